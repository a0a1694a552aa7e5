"""The council register's use cases: register, retire, record an attribute, define a type."""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from application.commands import (
    BaseCommand,
    DefineCouncilType,
    RecordCouncilAttribute,
    RegisterCouncil,
    RetireCouncil,
)
from application.use_cases import ReturnsUseCases, UseCase
from domain.councils import (
    DIRECTORY_ID,
    Council,
    CouncilDirectory,
    CouncilName,
    check_region,
    council_id,
    council_key,
    council_name_id,
)
from domain.errors import BadInput, Conflict, UnknownReference
from domain.provenance import Provenance


class CouncilUseCases(ReturnsUseCases):
    """The register of councils, as events like everything else (as-at, history, verify)."""

    def register_council(self, command: RegisterCouncil, provenance: Provenance) -> list[Aggregate]:
        directory = self._directory(provenance)
        council_type = directory.check_type(command.council_type)
        region = check_region(command.region)
        existing = self._find(Council, council_id(command.code))
        if existing is not None:
            if existing.same_as(command.name, council_type, region, list(command.aliases)):
                return []  # registered again as it is: nothing changes
            raise Conflict(
                f"council {command.code} is already registered as {existing.name!r} "
                f"({existing.council_type}, {existing.region}) with other details",
                field="code",
            )
        council = Council.register(
            command.code,
            command.name,
            council_type,
            region,
            provenance,
            aliases=list(command.aliases),
            valid_from=command.valid_from,
        )
        claims: list[Aggregate] = []
        for field, text in [
            ("code", command.code),
            ("name", command.name),
            *(("aliases", alias) for alias in council.aliases),
        ]:
            key = council_key(text)
            if any(isinstance(c, CouncilName) and c.key == key for c in claims):
                continue
            taken = self._find(CouncilName, council_name_id(key))
            if taken is not None:
                raise Conflict(
                    f"{text!r} already names council {taken.code}; two councils cannot "
                    "share a name",
                    field=field,
                )
            claims.append(CouncilName.claim(key, command.code, provenance))
        directory.list_council(command.code, command.name, provenance)
        return [directory, council, *claims]

    def retire_council(self, command: RetireCouncil, provenance: Provenance) -> list[Aggregate]:
        council = self._council(command.code, field="code")
        if command.succeeded_by is not None:
            if command.succeeded_by == command.code:
                raise BadInput("a council does not succeed itself", field="succeeded_by")
            self._council(command.succeeded_by, field="succeeded_by")
        council.retire(command.on, provenance, succeeded_by=command.succeeded_by)
        return [council]

    def record_council_attribute(
        self, command: RecordCouncilAttribute, provenance: Provenance
    ) -> list[Aggregate]:
        council = self._council(command.code, field="code")
        council.record_attribute(command.attribute, command.value, command.valid_from, provenance)
        return [council]

    def define_council_type(
        self, command: DefineCouncilType, provenance: Provenance
    ) -> list[Aggregate]:
        directory = self._directory(provenance)
        directory.define_type(command.council_type, command.label, provenance)
        return [directory]

    def _directory(self, provenance: Provenance) -> CouncilDirectory:
        return self._find(CouncilDirectory, DIRECTORY_ID) or CouncilDirectory.open(provenance)

    def _council(self, code: str, *, field: str) -> Council:
        found = self._find(Council, council_id(code))
        if found is None:
            raise UnknownReference(f"no council {code!r} is registered", field=field)
        return found


COUNCIL_USE_CASES: dict[type[BaseCommand], UseCase] = {
    RegisterCouncil: CouncilUseCases.register_council,
    RetireCouncil: CouncilUseCases.retire_council,
    RecordCouncilAttribute: CouncilUseCases.record_council_attribute,
    DefineCouncilType: CouncilUseCases.define_council_type,
}
