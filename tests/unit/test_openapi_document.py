"""The OpenAPI document states what the routes accept: the command union as the body of
POST /api/v1/commands (read raw by the route), and parameter schemas whose every value is
accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from application.commands import COMMAND_TYPES
from domain.calendar import FIRST_START_YEAR, LAST_START_YEAR
from domain.errors import BadInput
from infra.http.app import create_app
from infra.inputs import parse_year
from infra.settings import Settings


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    store = Path(tmp_path_factory.mktemp("openapi")) / "unused.db"
    return create_app(Settings(store=f"sqlite:///{store}")).openapi()


def parameter(document: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    operation = document["paths"][path]["get"]
    [found] = [p for p in operation["parameters"] if p["name"] == name]
    schema: dict[str, Any] = found["schema"]
    return schema


def test_the_command_body_is_the_union_of_the_contracts_commands(
    document: dict[str, Any],
) -> None:
    body = document["paths"]["/api/v1/commands"]["post"]["requestBody"]
    assert body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "type"
    mapping = schema["discriminator"]["mapping"]
    assert set(mapping) == set(COMMAND_TYPES)
    components = document["components"]["schemas"]
    for reference in mapping.values():
        name = reference.removeprefix("#/components/schemas/")
        assert components[name]["additionalProperties"] is False
    assert components["ReportFigure"]["properties"]["quarter"] == {
        "$ref": "#/components/schemas/Quarter"
    }
    assert "Quarter" in components


def test_the_year_parameter_lists_exactly_the_years_kept(document: dict[str, Any]) -> None:
    for path in (
        "/api/v1/years/{year}/report",
        "/api/v1/years/{year}/diff",
        "/api/v1/years/{year}/targets/{code}/history",
    ):
        years = parameter(document, path, "year")["enum"]
        assert len(years) == LAST_START_YEAR - FIRST_START_YEAR + 1
        assert {parse_year(year) for year in years} == {
            f"{start}/{(start + 1) % 100:02d}"
            for start in range(FIRST_START_YEAR, LAST_START_YEAR + 1)
        }
    for outside in ("0", "1989-90", "2099-00", "2016-55"):
        with pytest.raises(BadInput):
            parse_year(outside)


def test_time_parameters_state_their_format_and_range(document: dict[str, Any]) -> None:
    for path, name in (
        ("/api/v1/years/{year}/report", "as_at"),
        ("/api/v1/years/{year}/diff", "from"),
        ("/api/v1/years/{year}/diff", "to"),
    ):
        schema = parameter(document, path, name)
        assert (schema["type"], schema["format"]) == ("string", "date-time")
        assert schema["pattern"].startswith("^(19")
        assert "1900 to 9998" in schema["description"]


def test_every_route_documents_the_503_of_an_outage(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if path != "/api/v1/health":
                assert "503" in operation["responses"], (method, path)
