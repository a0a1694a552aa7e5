"""The strategic risk register: impact x likelihood, and the band of the score."""

from __future__ import annotations

from typing import Any

from domain.errors import BadInput
from domain.identity import risk_id
from domain.provenance import Provenance, RecordedAggregate
from domain.text import shows_something

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


# What each band asks of management, as the seed's risk register key prints it.
RISK_BAND_LEGEND: dict[str, str] = {
    "green": "1 to 5: accept and monitor periodically",
    "yellow": "6 to 10: monitor regularly and take action if it becomes more serious",
    "amber": "11 to 15: management action to address; regular reports to the senior "
    "management team and the leadership board",
    "red": "16 to 25: urgent action to address; ensure political leadership is briefed",
}


def risk_travel(previous_score: int | None, score: int) -> str | None:
    """A score against the previous assessment's: ``up`` (the risk grew), ``down`` or
    ``same``; None for a first assessment."""
    if previous_score is None:
        return None
    if score > previous_score:
        return "up"
    return "down" if score < previous_score else "same"


def _no_register_details_yet(state: dict[str, Any]) -> None:
    """Version 1 had no category or mitigation: not known then."""
    state.setdefault("category", None)
    state.setdefault("mitigation", None)


class Risk(RecordedAggregate):
    """A risk of the register; each assessment scores it again, and may restate its title,
    owner, category and mitigation (a detail left out keeps its value)."""

    class Event(RecordedAggregate.Event):
        ref: str

    class Registered(Event, RecordedAggregate.Created):
        class_version = 2  # v1 had no category or mitigation

        upcast_v1_v2 = staticmethod(_no_register_details_yet)

        title: str | None
        owner: str | None
        impact: int
        likelihood: int
        category: str | None
        mitigation: str | None

    class Reassessed(Event):
        class_version = 2  # v1 had no category or mitigation

        upcast_v1_v2 = staticmethod(_no_register_details_yet)

        title: str | None
        owner: str | None
        impact: int
        likelihood: int
        previous_score: int
        category: str | None
        mitigation: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.title = self.title
            aggregate.owner = self.owner
            aggregate.impact = self.impact
            aggregate.likelihood = self.likelihood
            aggregate.category = self.category
            aggregate.mitigation = self.mitigation

    def __init__(
        self,
        ref: str,
        title: str | None,
        owner: str | None,
        impact: int,
        likelihood: int,
        category: str | None,
        mitigation: str | None,
    ) -> None:
        self.ref = ref
        self.title = title
        self.owner = owner
        self.impact = impact
        self.likelihood = likelihood
        self.category = category
        self.mitigation = mitigation

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
        category: str | None = None,
        mitigation: str | None = None,
    ) -> Risk:
        if not shows_something(ref):
            raise BadInput("must not be empty", field="ref")
        return cls._create(
            cls.Registered,
            id=risk_id(ref),
            ref=ref,
            title=title,
            owner=owner,
            impact=check_rating(impact, field="impact"),
            likelihood=check_rating(likelihood, field="likelihood"),
            category=category,
            mitigation=mitigation,
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
        category: str | None = None,
        mitigation: str | None = None,
    ) -> None:
        self.trigger_event(
            self.Reassessed,
            title=title if title is not None else self.title,
            owner=owner if owner is not None else self.owner,
            impact=check_rating(impact, field="impact"),
            likelihood=check_rating(likelihood, field="likelihood"),
            previous_score=self.score,
            category=category if category is not None else self.category,
            mitigation=mitigation if mitigation is not None else self.mitigation,
            ref=self.ref,
            **provenance.event_fields(),
        )
