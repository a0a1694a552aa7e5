"""One piece of support delivered to a council, recorded as it happens.

Each engagement is its own small aggregate so that many teams can record against the
same target at once without colliding on one hot aggregate. Its id derives from the
command id and it keeps the command's digest: it is its own receipt, one event per
engagement rather than two.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.calendar import Quarter
from domain.errors import BadInput
from domain.identity import receipt_id
from domain.provenance import Provenance, RecordedAggregate
from domain.quarter_close import restatement_for
from domain.receipts import confirm_same
from domain.targets import Target
from domain.text import shows_something


class Engagement(RecordedAggregate):
    class Recorded(RecordedAggregate.Created):
        # v1 kept no digest (a separate receipt was stored beside it); v2 no council_code
        # (councils were free text before the register).
        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("digest", "")

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.setdefault("council_code", None)

        year: str
        code: str
        date: str
        quarter: str
        council: str  # as the command gave it
        council_code: str | None  # the registered council it names; None without a register
        kind: str | None
        count: int
        region: str | None
        notes: str | None
        restatement_reason: str | None
        digest: str

    def __init__(
        self,
        year: str,
        code: str,
        date: str,
        quarter: str,
        council: str,
        council_code: str | None,
        kind: str | None,
        count: int,
        region: str | None,
        notes: str | None,
        restatement_reason: str | None,
        digest: str,
    ) -> None:
        self.digest = digest
        self.council_code = council_code
        self.year = year
        self.code = code
        self.date = date
        self.quarter = quarter
        self.council = council
        self.kind = kind
        self.count = count
        self.region = region
        self.notes = notes
        self.restatement_reason = restatement_reason

    @classmethod
    def record(
        cls,
        target: Target,
        on: date,
        council: str,
        provenance: Provenance,
        *,
        closed_quarters: frozenset[Quarter],
        council_code: str | None = None,
        count: int = 1,
        kind: str | None = None,
        region: str | None = None,
        notes: str | None = None,
        restatement_reason: str | None = None,
        digest: str = "",
    ) -> Engagement:
        if not shows_something(council):
            raise BadInput("must not be empty", field="council")
        if isinstance(count, bool) or count < 1:
            raise BadInput(f"must be a whole number of 1 or more, not {count!r}", field="count")
        quarter = target.financial_year.quarter_of(on)
        restated = restatement_for(
            quarter,
            target.year,
            closed=quarter in closed_quarters,
            restatement_reason=restatement_reason,
        )
        return cls._create(
            cls.Recorded,
            id=receipt_id(provenance.command_id),
            year=target.year,
            code=target.code,
            date=on.isoformat(),
            quarter=quarter.value,
            council=council,
            council_code=council_code,
            kind=kind,
            count=count,
            region=region,
            notes=notes,
            restatement_reason=restated,
            digest=digest,
            **provenance.event_fields(),
        )

    def confirm_same(self, command_id: str, digest: str) -> None:
        confirm_same(self.digest, command_id, digest)
