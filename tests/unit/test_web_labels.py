"""The "what changed" page's labels for the diff's field names (the API keeps the names)."""

from __future__ import annotations

import pytest

from infra.web.labels import change_label


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("quarters.Q1", "Q1 figure"),
        ("quarters.Q4", "Q4 figure"),
        ("rag_by_quarter.Q2", "Q2 RAG"),
        ("commentary.Q1.delivered", "Q1 commentary: what we delivered"),
        ("commentary.Q3.forecast", "Q3 commentary: forecast"),
        ("commentary.delivered", "Commentary: what we delivered"),
        ("commentary.impact", "Commentary: impact"),
        ("percent_achieved", "Percent achieved"),
        ("rag", "RAG"),
        ("target", "Annual target"),
        ("total", "Total"),
        ("aggregation", "How the year adds up"),
        ("title", "Title"),
        ("theme", "Theme"),
        ("unit", "Unit"),
        ("some_new_field", "Some new field"),
    ],
)
def test_each_diff_field_has_a_label_people_read(field: str, label: str) -> None:
    assert change_label(field) == label
