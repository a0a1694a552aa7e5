"""The strategic risk register: impact x likelihood, and the band of the score."""

from __future__ import annotations

from typing import Any

from domain.errors import BadInput
from domain.identity import risk_id
from domain.provenance import Provenance, RecordedAggregate

_BANDS = ((5, "green"), (10, "yellow"), (15, "amber"), (25, "red"))


def check_rating(value: int, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise BadInput(f"must be a whole number from 1 to 5, not {value!r}", field=field)
    return value


def risk_band(score: int) -> str:
    """1-5 green, 6-10 yellow, 11-15 amber, 16-25 red."""
    if not 1 <= score <= 25:
        raise BadInput(f"a risk score runs from 1 to 25, not {score}", field="score")
    return next(band for ceiling, band in _BANDS if score <= ceiling)


class Risk(RecordedAggregate):
    class Event(RecordedAggregate.Event):
        ref: str

    class Registered(Event, RecordedAggregate.Created):
        class_version = 1

        title: str | None
        owner: str | None
        impact: int
        likelihood: int

    class Reassessed(Event):
        class_version = 1

        title: str | None
        owner: str | None
        impact: int
        likelihood: int
        previous_score: int

        def apply(self, aggregate: Any) -> None:
            aggregate.title = self.title
            aggregate.owner = self.owner
            aggregate.impact = self.impact
            aggregate.likelihood = self.likelihood

    def __init__(
        self, ref: str, title: str | None, owner: str | None, impact: int, likelihood: int
    ) -> None:
        self.ref = ref
        self.title = title
        self.owner = owner
        self.impact = impact
        self.likelihood = likelihood

    @property
    def score(self) -> int:
        return self.impact * self.likelihood

    @classmethod
    def register(
        cls,
        ref: str,
        impact: int,
        likelihood: int,
        provenance: Provenance,
        *,
        title: str | None = None,
        owner: str | None = None,
    ) -> Risk:
        if not ref.strip():
            raise BadInput("must not be empty", field="ref")
        return cls._create(
            cls.Registered,
            id=risk_id(ref),
            ref=ref,
            title=title,
            owner=owner,
            impact=check_rating(impact, field="impact"),
            likelihood=check_rating(likelihood, field="likelihood"),
            **provenance.event_fields(),
        )

    def reassess(
        self,
        impact: int,
        likelihood: int,
        provenance: Provenance,
        *,
        title: str | None = None,
        owner: str | None = None,
    ) -> None:
        self.trigger_event(
            self.Reassessed,
            title=title if title is not None else self.title,
            owner=owner if owner is not None else self.owner,
            impact=check_rating(impact, field="impact"),
            likelihood=check_rating(likelihood, field="likelihood"),
            previous_score=self.score,
            ref=self.ref,
            **provenance.event_fields(),
        )
