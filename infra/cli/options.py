"""Options shared by several commands."""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


class ListFormat(StrEnum):
    table = "table"
    json = "json"
