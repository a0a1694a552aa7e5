"""RAG: a judgement people make each quarter, never computed from the percentage."""

from __future__ import annotations

from collections.abc import Mapping
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


# What each colour means, as the seed reports print it under their tables (their wording,
# made general: the seeds' key speaks of "the project"). For renderers' legends.
RAG_LEGEND: dict[Rag, str] = {
    Rag.RED: "Will miss milestones or targets, or deliverables will be compromised: "
    "replan or descope required",
    Rag.AMBER: "There is a chance of missing targets or deadlines, or of deliverables being "
    "compromised, unless specific action is taken",
    Rag.GREEN: "Everything under control",
    Rag.BLACK: "Not applicable (N/A)",
    Rag.NONE: "Not yet assessed",
}

# Green above amber above red; black (not applicable) and none (not assessed) are not ranked.
_RANK = {Rag.GREEN: 3, Rag.AMBER: 2, Rag.RED: 1}


class Travel(StrEnum):
    """A stated RAG against the previous quarter's stated RAG."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


TRAVEL_LEGEND: dict[Travel, str] = {
    Travel.BETTER: "RAG better than the previous quarter's",
    Travel.SAME: "RAG the same as the previous quarter's",
    Travel.WORSE: "RAG worse than the previous quarter's",
}


def direction_of_travel(previous: Rag | str | None, latest: Rag | str | None) -> Travel | None:
    """``latest`` against ``previous`` (green > amber > red): better, same or worse; None
    when either is missing, black (not applicable) or none (not yet assessed)."""
    if previous is None or latest is None:
        return None
    before, after = _RANK.get(Rag(previous)), _RANK.get(Rag(latest))
    if before is None or after is None:
        return None
    if after > before:
        return Travel.BETTER
    return Travel.SAME if after == before else Travel.WORSE


# The final stated RAGs that judge whether a target was achieved: black (not applicable) and
# none (never assessed) are no judgement, so they count neither way.
ASSESSED_RAGS = (Rag.GREEN, Rag.AMBER, Rag.RED)


def key_targets_achieved(by_rag: Mapping[str, int]) -> tuple[int, int]:
    """The seeds' "56 of 60 key targets achieved" from targets counted by final stated RAG:
    (those green, those green, amber or red)."""
    return by_rag.get(Rag.GREEN.value, 0), sum(by_rag.get(r.value, 0) for r in ASSESSED_RAGS)
