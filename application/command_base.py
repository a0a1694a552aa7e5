"""What every command has: an ``id``, who and why, the storable-values check, a digest."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, StrictStr, field_validator, model_validator

from application.command_fields import Text, check_storable
from domain.text import shows_something


class BaseCommand(BaseModel):
    """A command of the contract; subclasses add their fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Optional fields added after commands of this type were first stored, with their
    # defaults: left out of the digest when they hold their default, so that a command
    # sent before they existed keeps its digest (and its idempotency) for good.
    added_later: ClassVar[dict[str, Any]] = {}
    # Which fields were given is part of the content (a field left out keeps its value,
    # one given as null clears it): the digest covers only the fields given.
    digest_given_fields_only: ClassVar[bool] = False

    id: Text
    actor: StrictStr | None = None
    reason: StrictStr | None = None
    restatement_reason: StrictStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        """Every string and number of every command passes :func:`check_storable`."""
        if isinstance(data, dict):
            check_storable(data, "")
        return data

    @field_validator("id")
    @classmethod
    def _id_not_blank(cls, value: str) -> str:
        if not shows_something(value):
            raise ValueError("must not be blank")
        return value

    @field_validator("actor")
    @classmethod
    def _actor_names_someone(cls, value: str | None) -> str | None:
        """An actor that shows nothing (blank, or only invisible characters) is no actor:
        whoever sent the command is recorded instead."""
        return value if value is not None and shows_something(value) else None

    def digest(self) -> str:
        """Identifies the command's content; ``actor`` is who sent it, not what it says.
        A hex SHA-256 of the canonical JSON of the fields given, worked out once."""
        return self._content_digest

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy (pydantic's), whose digest is worked out afresh from its own content."""
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("_content_digest", None)
        return copied

    # Worked out once: a command is digested as it is decided and again as its receipt is
    # made (a tenth of a bulk import's time, twice over). Kept in the instance's __dict__,
    # which pydantic leaves out of equality.
    @functools.cached_property
    def _content_digest(self) -> str:
        content = self.model_dump(
            mode="json", exclude={"actor"}, exclude_unset=self.digest_given_fields_only
        )
        for name, default in self.added_later.items():
            if name in content and content[name] == default:
                del content[name]
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
