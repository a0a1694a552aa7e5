"""One typed settings object, read from the environment once at the edge."""

from __future__ import annotations

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import BadInput

DEFAULT_STORE = "sqlite:///quarterly.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QUARTERLY_", extra="ignore")

    store: str = Field(DEFAULT_STORE, description="sqlite:///path or postgresql://...")
    close_after_days: int = Field(20, ge=0)
    remind_before_days: int = Field(7, ge=0)
    projection_batch_size: int = Field(5000, ge=1, description="events per read-model commit")
    max_body_bytes: int = Field(65_536, ge=1024, description="largest request body accepted")
    token_cache_seconds: float = Field(
        5.0,
        ge=0,
        le=300,
        description="how long a server process trusts a token it has authenticated, checking "
        "only that the token is unchanged (a revoke is seen at once either way)",
    )
    group_commit: bool = Field(
        True,
        description="store commands that a process's threads record at the same moment in "
        "one transaction (one commit, one disk flush); each is still checked on its own",
    )
    log_format: str = Field("console", pattern="^(console|json)$")
    seal_log: str | None = Field(
        None, description="append-only file every quarter close's seal is published to"
    )


def load_settings() -> Settings:
    """The settings from the environment; BadInput naming the first variable that is not
    valid (``QUARTERLY_LOG_FORMAT: must be console or json ...``)."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        name = "QUARTERLY_" + ".".join(str(part) for part in first["loc"]).upper()
        raise BadInput(f"{first['msg']} (given {first.get('input')!r})", field=name) from None
