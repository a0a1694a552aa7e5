"""Unit tests run the application on eventsourcing's in-memory store: no database."""

from __future__ import annotations

import pytest

from application.ledger import ReturnsLedger
from tests.unit.ledgers import in_memory


@pytest.fixture
def ledger() -> ReturnsLedger:
    """A fresh returns ledger with nothing stored, in memory."""
    return in_memory()
