"""Tables of the read models. Cells are versioned by notification position and recorded
time, so the report as it stood at any moment is one indexed look-up per cell."""

from __future__ import annotations

TABLES = (
    "qr_tracking",
    "qr_cells",
    "qr_cell_versions",
    "qr_history",
    "qr_milestones",
    "qr_milestone_status",
    "qr_projects",
    "qr_risk_assessments",
    "qr_council_events",
    "qr_engagements",
    "qr_target_councils",
    "qr_take_up",
)

CREATE_STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS qr_tracking (
        projection TEXT PRIMARY KEY,
        position BIGINT NOT NULL,
        recorded_at TEXT
    )""",
    # The latest value of every cell of the return: one row per cell.
    """CREATE TABLE IF NOT EXISTS qr_cells (
        year TEXT NOT NULL,
        code TEXT NOT NULL,
        cell TEXT NOT NULL,
        position BIGINT NOT NULL,
        recorded_at TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (year, code, cell)
    )""",
    # Every value a cell has had, for reports as at a past moment.
    """CREATE TABLE IF NOT EXISTS qr_cell_versions (
        year TEXT NOT NULL,
        code TEXT NOT NULL,
        cell TEXT NOT NULL,
        position BIGINT NOT NULL,
        recorded_at TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (year, code, cell, position)
    )""",
    """CREATE INDEX IF NOT EXISTS qr_cell_versions_by_time
        ON qr_cell_versions (recorded_at, position)""",
    """CREATE TABLE IF NOT EXISTS qr_history (
        position BIGINT PRIMARY KEY,
        year TEXT NOT NULL,
        code TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        event TEXT NOT NULL,
        actor TEXT,
        reason TEXT,
        command_id TEXT NOT NULL,
        quarter TEXT,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS qr_history_by_target ON qr_history (year, code, position)",
    # "What changed between two times": a target's events recorded in a window.
    """CREATE INDEX IF NOT EXISTS qr_history_by_time
        ON qr_history (year, code, recorded_at, position)""",
    # "Your recent engagements" on the web pages: one person's latest.
    "CREATE INDEX IF NOT EXISTS qr_history_by_actor ON qr_history (actor, position)",
    """CREATE TABLE IF NOT EXISTS qr_milestones (
        project TEXT NOT NULL,
        milestone TEXT NOT NULL,
        due TEXT NOT NULL,
        current_due TEXT NOT NULL,
        completed_on TEXT,
        revisions TEXT NOT NULL,
        position BIGINT NOT NULL,
        PRIMARY KEY (project, milestone)
    )""",
    """CREATE TABLE IF NOT EXISTS qr_milestone_status (
        project TEXT NOT NULL,
        milestone TEXT NOT NULL,
        status TEXT,
        rag TEXT,
        recorded_at TEXT NOT NULL,
        position BIGINT NOT NULL,
        PRIMARY KEY (project, milestone)
    )""",
    """CREATE TABLE IF NOT EXISTS qr_projects (
        project TEXT PRIMARY KEY,
        overall TEXT,
        milestones TEXT,
        budget TEXT,
        risks TEXT,
        headline TEXT,
        recorded_at TEXT NOT NULL,
        position BIGINT NOT NULL
    )""",
    # Every assessment of every risk (qr_risks, which kept only the latest, is no longer
    # written: the register as it stood at any moment follows from these).
    """CREATE TABLE IF NOT EXISTS qr_risk_assessments (
        position BIGINT PRIMARY KEY,
        ref TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        actor TEXT,
        reason TEXT,
        command_id TEXT NOT NULL,
        title TEXT,
        owner TEXT,
        category TEXT,
        mitigation TEXT,
        impact INTEGER NOT NULL,
        likelihood INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS qr_risk_assessments_by_ref ON qr_risk_assessments (ref, position)",
    # Every change to the council register, to read it as it stood at any moment.
    """CREATE TABLE IF NOT EXISTS qr_council_events (
        position BIGINT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        code TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NOT NULL
    )""",
    # One row per engagement: what the take-up analysis counts.
    """CREATE TABLE IF NOT EXISTS qr_engagements (
        position BIGINT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        year TEXT NOT NULL,
        code TEXT NOT NULL,
        quarter TEXT NOT NULL,
        kind TEXT,
        kind_key TEXT,
        council TEXT NOT NULL,
        registered INTEGER NOT NULL,
        count BIGINT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS qr_engagements_by_year ON qr_engagements (year, code, kind_key)",
    # Engagements summed per target, council and kind (each spelling of a kind its own row,
    # '' for none):
    # the take-up analysis of now reads these, so its cost follows the councils and kinds,
    # not the number of engagements.
    """CREATE TABLE IF NOT EXISTS qr_take_up (
        year TEXT NOT NULL,
        code TEXT NOT NULL,
        council TEXT NOT NULL,
        kind_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        engagements BIGINT NOT NULL,
        PRIMARY KEY (year, code, council, kind_key, kind)
    )""",
    # The distinct councils each target engaged, per quarter and over the year.
    """CREATE TABLE IF NOT EXISTS qr_target_councils (
        year TEXT NOT NULL,
        code TEXT NOT NULL,
        period TEXT NOT NULL,
        council TEXT NOT NULL,
        PRIMARY KEY (year, code, period, council)
    )""",
    # Not a read model (so not in TABLES: a rebuild keeps it): where the verification page's
    # last check of the hash chain reached (infra/verification_checkpoints.py).
    """CREATE TABLE IF NOT EXISTS qr_chain_checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        position BIGINT NOT NULL,
        checkpoint TEXT NOT NULL
    )""",
)

# Indexes that serve reads only (no write looks anything up by them): a rebuild sets them
# aside while it writes every row and builds each once at its end, one sort instead of an
# index insert per row (projections/runner.py).
SECONDARY_INDEXES = tuple(
    statement for statement in CREATE_STATEMENTS if statement.startswith("CREATE INDEX")
)


def index_name(statement: str) -> str:
    """The name a ``CREATE INDEX IF NOT EXISTS <name> ON ...`` statement gives its index."""
    return statement.removeprefix("CREATE INDEX IF NOT EXISTS").split()[0]
