"""A target of the business plan and what teams report against it each quarter."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from domain.calendar import FinancialYear, Quarter
from domain.errors import BadInput
from domain.identity import target_id
from domain.measures import Aggregation, Number, check_figure
from domain.provenance import Provenance, RecordedAggregate
from domain.quarter_close import restatement_for
from domain.rag import CommentaryKind, Rag


@dataclass(frozen=True)
class TargetDefinition:
    title: str
    aggregation: str
    theme: str | None = None
    target: Number | None = None
    unit: str | None = None
    lead: str | None = None
    board: str | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise BadInput("must not be empty", field="title")
        Aggregation.parse(self.aggregation)
        if self.target is not None:
            check_figure(self.target, field="target")


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
            aggregate.definition = TargetDefinition(**self.definition)

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
        self.definition = TargetDefinition(**definition)
        self.reported: dict[Quarter, Number] = {}
        self.rags: dict[Quarter, Rag] = {}
        self.commentary: dict[tuple[Quarter, CommentaryKind], str] = {}

    @classmethod
    def define(
        cls, year: FinancialYear, code: str, definition: TargetDefinition, provenance: Provenance
    ) -> Target:
        if not code.strip():
            raise BadInput("must not be empty", field="code")
        return cls._create(
            cls.Defined,
            id=target_id(str(year), code),
            year=str(year),
            code=code,
            definition=asdict(definition),
            **provenance.event_fields(),
        )

    def _identity(self, provenance: Provenance) -> dict[str, Any]:
        return {"year": self.year, "code": self.code, **provenance.event_fields()}

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.parse(self.year)

    def amend(self, definition: TargetDefinition, provenance: Provenance) -> None:
        if definition == self.definition:
            return
        self.trigger_event(
            self.Amended,
            definition=asdict(definition),
            previous=asdict(self.definition),
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
        value = check_figure(value)
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
        if not text.strip():
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
