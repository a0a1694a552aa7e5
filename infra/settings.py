"""One typed settings object, read from the environment once at the edge."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STORE = "sqlite:///quarterly.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QUARTERLY_", extra="ignore")

    store: str = Field(DEFAULT_STORE, description="sqlite:///path or postgresql://...")
    close_after_days: int = Field(20, ge=0)
    remind_before_days: int = Field(7, ge=0)
    projection_batch_size: int = Field(5000, ge=1, description="events per read-model commit")
    max_body_bytes: int = Field(65_536, ge=1024, description="largest request body accepted")
    log_format: str = Field("console", pattern="^(console|json)$")
    seal_log: str | None = Field(
        None, description="append-only file every quarter close's seal is published to"
    )
