"""A target of the business plan and what teams report against it each quarter."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from domain.achievement import Measure, Threshold, implied_direction
from domain.calendar import FinancialYear, Quarter
from domain.errors import BadInput
from domain.identity import target_id
from domain.measures import Aggregation, Number, check_figure
from domain.provenance import Provenance, RecordedAggregate
from domain.quarter_close import restatement_for
from domain.rag import CommentaryKind, Rag
from domain.text import shows_something

# Keys of a definition added after the first events were stored, with the value a stored
# definition without them means. They are stored only when they differ from it, so that a
# definition using none of them is stored, compared and hashed exactly as before.
LATER_KEYS: dict[str, Any] = {"direction": None, "allow_negative": False, "threshold": None}


@dataclass(frozen=True)
class TargetDefinition:
    """What a target is. Stored as a dict inside ``Target.Defined``/``Amended``; a stored
    dict may lack the keys of :data:`LATER_KEYS` (it was written before they existed).

    ``direction`` is None when the target does not state one: higher is better, unless its
    ``threshold`` implies otherwise (``below``, ``at_most``). A direction equal to the one
    implied is kept as None, so that stating it or not is the same definition.
    ``allow_negative``: figures and the annual target may be negative ("change from 2016:
    -2", a pay gap of -6.8 per cent). ``threshold``: the target is a threshold on the
    figure (``above`` 75 is ">75%"); it needs a numeric target.
    """

    title: str
    aggregation: str
    theme: str | None = None
    target: Number | None = None
    unit: str | None = None
    lead: str | None = None
    board: str | None = None
    direction: str | None = None
    allow_negative: bool = False
    threshold: str | None = None

    def __post_init__(self) -> None:
        if not shows_something(self.title):
            raise BadInput("must not be empty", field="title")
        Aggregation.parse(self.aggregation)
        if not isinstance(self.allow_negative, bool):
            raise BadInput(
                f"must be true or false, not {self.allow_negative!r}", field="allow_negative"
            )
        if self.target is not None:
            check_figure(self.target, field="target", allow_negative=self.allow_negative)
        if self.threshold is not None:
            Threshold.parse(self.threshold)
            if self.target is None:
                raise BadInput("a threshold needs a numeric target", field="threshold")
        implied = implied_direction(None, self.threshold)
        if (
            self.direction is not None
            and implied_direction(self.direction, self.threshold) is implied
        ):
            object.__setattr__(self, "direction", None)  # the implied one, stated: the same

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> TargetDefinition:
        """A definition as an event stored it, of any age."""
        return cls(**stored)

    def stored(self) -> dict[str, Any]:
        """The dict the events store: keys added later only where they say something."""
        fields = asdict(self)
        return {
            name: value
            for name, value in fields.items()
            if name not in LATER_KEYS or value != LATER_KEYS[name]
        }

    @property
    def measure(self) -> Measure:
        """How the target's figure is judged (direction, threshold, aggregation)."""
        return Measure(
            target=self.target,
            direction=implied_direction(self.direction, self.threshold),
            threshold=None if self.threshold is None else Threshold(self.threshold),
            aggregation=Aggregation(self.aggregation),
        )


class Target(RecordedAggregate):
    class Event(RecordedAggregate.Event):
        """Every event of a target names it, so readers need no look-up."""

        year: str
        code: str

    class Defined(Event, RecordedAggregate.Created):
        class_version = 1

        definition: dict[str, Any]

    class Amended(Event):
        class_version = 1

        definition: dict[str, Any]
        previous: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.definition = TargetDefinition.from_stored(self.definition)

    class FigureReported(Event):
        class_version = 2  # v1 had no restatement_reason (restatements came later)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("restatement_reason", None)

        quarter: str
        value: Number
        previous: Number | None
        restatement_reason: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.reported[Quarter(self.quarter)] = self.value

    class RagSet(Event):
        class_version = 2  # v1 did not record the annual target the RAG was judged against

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("annual_target", None)
            state.setdefault("restatement_reason", None)

        quarter: str
        rag: str
        previous: str | None
        reported_figure: Number | None  # what the judgement was made against
        annual_target: Number | None
        restatement_reason: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.rags[Quarter(self.quarter)] = Rag(self.rag)

    class CommentaryWritten(Event):
        class_version = 1

        quarter: str
        kind: str
        text: str
        previous: str | None
        restatement_reason: str | None

        def apply(self, aggregate: Any) -> None:
            key = (Quarter(self.quarter), CommentaryKind(self.kind))
            aggregate.commentary[key] = self.text

    class ReminderIssued(Event):
        """Before close: what this target still lacks for the quarter."""

        class_version = 1

        quarter: str
        missing: list[str]

    def __init__(self, year: str, code: str, definition: dict[str, Any]) -> None:
        self.year = year
        self.code = code
        self.definition = TargetDefinition.from_stored(definition)
        self.reported: dict[Quarter, Number] = {}
        self.rags: dict[Quarter, Rag] = {}
        self.commentary: dict[tuple[Quarter, CommentaryKind], str] = {}

    @classmethod
    def define(
        cls, year: FinancialYear, code: str, definition: TargetDefinition, provenance: Provenance
    ) -> Target:
        if not shows_something(code):
            raise BadInput("must not be empty", field="code")
        return cls._create(
            cls.Defined,
            id=target_id(str(year), code),
            year=str(year),
            code=code,
            definition=definition.stored(),
            **provenance.event_fields(),
        )

    def _identity(self, provenance: Provenance) -> dict[str, Any]:
        return {"year": self.year, "code": self.code, **provenance.event_fields()}

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.parse(self.year)

    def amend(self, definition: TargetDefinition, provenance: Provenance) -> None:
        """Replaces the definition. Refused naming ``allow_negative`` when it would forbid
        negative figures that are already reported."""
        if definition == self.definition:
            return
        negative = {q.value: v for q, v in self.reported.items() if v < 0}
        if negative and not definition.allow_negative:
            raise BadInput(
                f"negative figures are reported ({negative}); correct them first",
                field="allow_negative",
            )
        self.trigger_event(
            self.Amended,
            definition=definition.stored(),
            previous=self.definition.stored(),
            **self._identity(provenance),
        )

    def report_figure(
        self,
        quarter: Quarter,
        value: Number,
        provenance: Provenance,
        *,
        closed: bool,
        restatement_reason: str | None = None,
    ) -> None:
        negative = isinstance(value, int | float) and not isinstance(value, bool) and value < 0
        if negative and not self.definition.allow_negative:
            raise BadInput(
                f"must be zero or more, not {value!r}: target {self.code} does not allow "
                "negative figures (amend_target with allow_negative true if it should)",
                field="value",
            )
        value = check_figure(value, allow_negative=self.definition.allow_negative)
        restated = restatement_for(
            quarter, self.year, closed=closed, restatement_reason=restatement_reason
        )
        self.trigger_event(
            self.FigureReported,
            quarter=quarter.value,
            value=value,
            previous=self.reported.get(quarter),
            restatement_reason=restated,
            **self._identity(provenance),
        )

    def set_rag(
        self,
        quarter: Quarter,
        rag: Rag,
        provenance: Provenance,
        *,
        closed: bool,
        restatement_reason: str | None = None,
    ) -> None:
        restated = restatement_for(
            quarter, self.year, closed=closed, restatement_reason=restatement_reason
        )
        previous = self.rags.get(quarter)
        self.trigger_event(
            self.RagSet,
            quarter=quarter.value,
            rag=rag.value,
            previous=previous.value if previous else None,
            reported_figure=self.reported.get(quarter),
            annual_target=self.definition.target,
            restatement_reason=restated,
            **self._identity(provenance),
        )

    def write_commentary(
        self,
        quarter: Quarter,
        kind: CommentaryKind,
        text: str,
        provenance: Provenance,
        *,
        closed: bool,
        restatement_reason: str | None = None,
    ) -> None:
        if not shows_something(text):
            raise BadInput("must not be empty", field="text")
        restated = restatement_for(
            quarter, self.year, closed=closed, restatement_reason=restatement_reason
        )
        self.trigger_event(
            self.CommentaryWritten,
            quarter=quarter.value,
            kind=kind.value,
            text=text,
            previous=self.commentary.get((quarter, kind)),
            restatement_reason=restated,
            **self._identity(provenance),
        )

    def remind(self, quarter: Quarter, missing: list[str], provenance: Provenance) -> None:
        if not missing:
            raise BadInput("a reminder names at least one missing item", field="missing")
        self.trigger_event(
            self.ReminderIssued,
            quarter=quarter.value,
            missing=sorted(missing),
            **self._identity(provenance),
        )
