"""RAG: a judgement people make each quarter, never computed from the percentage."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import BadInput


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    BLACK = "black"  # not applicable
    NONE = "none"  # not yet assessed

    @classmethod
    def parse(cls, text: str) -> Rag:
        try:
            return cls(text.lower())
        except ValueError:
            raise BadInput(
                f"{text!r} is not a RAG; use green, amber, red, black or none",
                field="rag",
            ) from None


class CommentaryKind(StrEnum):
    DELIVERED = "delivered"  # what have we delivered
    IMPACT = "impact"
    FORECAST = "forecast"

    @classmethod
    def parse(cls, text: str) -> CommentaryKind:
        try:
            return cls(text)
        except ValueError:
            raise BadInput(
                f"{text!r} is not a commentary kind; use delivered, impact or forecast",
                field="kind",
            ) from None
