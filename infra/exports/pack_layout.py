"""How the board pack's formats (HTML, PDF, XLSX) word what they show, so that every format
says the same thing: column headings, dates as boards read them, slippage, commentary with
the quarter it was written for, direction of travel."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.milestone_dates import MilestoneDate
from projections.models import MilestoneLine, RiskLine, TakeUp, TargetLine

COMMENTARY_KINDS = {
    "delivered": "What have we delivered",
    "impact": "Impact",
    "forecast": "Forecast",
}
TRAVEL_WORDS = {
    "better": "↑ Better",
    "same": "→ Same",
    "worse": "↓ Worse",
    "not compared": "Not compared",
}
RISK_TRAVEL_WORDS = {"up": "↑ Worse (score up)", "down": "↓ Better (score down)", "same": "→ Same"}
TRAJECTORY_WORDS = {"green": "On course", "amber": "At risk", "red": "Off course"}
DIRECTION_WORDS = {"higher_is_better": "Higher is better", "lower_is_better": "Lower is better"}


def milestone_date(text: str | None) -> str:
    """A milestone date as a board reads it: ``Sep 2016`` for a month, ``11 Dec 2015``."""
    return MilestoneDate.parse(text, field="date").label() if text else ""


def recorded(text: str | None) -> str:
    """A recorded time as a board reads it: ``20 Oct 2016, 00:30 UTC`` (empty for None)."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def slippage(milestone: MilestoneLine) -> str:
    """``3 months later (92 days)``, ``10 days earlier``, ``On time``."""
    days = milestone.slippage_days
    if days == 0:
        return "On time"
    way = "later" if days > 0 else "earlier"
    months = abs(milestone.slippage_months)
    in_days = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    if months:
        return f"{months} month{'s' if months != 1 else ''} {way} ({in_days})"
    return f"{in_days} {way}"


def revised_date(milestone: MilestoneLine) -> str:
    """The current due date when it differs from the original, else empty."""
    return milestone_date(milestone.current_due) if milestone.revisions else ""


def revision_reasons(milestone: MilestoneLine) -> str:
    """Each revision's new date and reason, oldest first, one per line."""
    return "\n".join(
        f"{milestone_date(r.revised_due)}: {r.reason or 'no reason given'}"
        for r in milestone.revisions
    )


def commentary(target: TargetLine) -> list[tuple[str, str, str]]:
    """(heading, source, text) of each kind of commentary shown, e.g. ("Impact",
    "Q1, carried forward", "..."): the quarter it was written for, and whether it was
    carried from an earlier quarter than the target's latest."""
    found = []
    for kind, heading in COMMENTARY_KINDS.items():
        text = getattr(target.commentary, kind)
        if text is None:
            continue
        source = getattr(target.commentary_from, kind)
        where = "" if source is None else source.quarter
        if source is not None and source.carried:
            where += ", carried forward"
        found.append((heading, where, text))
    return found


def travel_word(travel: str | None) -> str:
    """A target's direction of travel as words with an arrow."""
    return TRAVEL_WORDS[travel or "not compared"]


def trajectory_word(target: TargetLine) -> str:
    """The computed trajectory, flagged where it disagrees with the stated RAG."""
    if target.trajectory is None:
        return ""
    word = TRAJECTORY_WORDS.get(target.trajectory, target.trajectory)
    return word + (" (differs from the stated RAG)" if target.rag_disagrees else "")


def risk_travel_word(risk: RiskLine) -> str:
    """A risk's score against its previous assessment."""
    if risk.direction_of_travel is None:
        return "New"
    return RISK_TRAVEL_WORDS.get(risk.direction_of_travel, risk.direction_of_travel)


HEAT_MAP_REFS = 4
HEAT_MAP_REF_CHARS = 16


def heat_map_refs(refs: list[str]) -> str:
    """The risk refs a heat-map cell shows, so the 5x5 map always fits one page: at most
    ``HEAT_MAP_REFS`` refs, each cut to ``HEAT_MAP_REF_CHARS`` characters (ending "…"),
    then "+K more" (every risk is in the register below the map)."""
    shown = [
        ref if len(ref) <= HEAT_MAP_REF_CHARS else ref[: HEAT_MAP_REF_CHARS - 1] + "…"
        for ref in refs[:HEAT_MAP_REFS]
    ]
    hidden = len(refs) - len(shown)
    return ", ".join(shown) + (f" +{hidden} more" if hidden else "")


def take_up_line(take_up: TakeUp) -> str:
    """The year's take-up in one sentence; without a council register it says so rather
    than "3 of 0 councils"."""
    activity = (
        f"{take_up.engagements} engagements, {take_up.first_time} councils engaged for the "
        "first time."
    )
    if not take_up.register_loaded or not take_up.councils:
        return (
            f"No council register loaded: {take_up.engaged} councils engaged, counted by the "
            f"names recorded; {activity}"
        )
    percent = "–" if take_up.percent is None else f"{take_up.percent}%"
    return f"{take_up.engaged} of {take_up.councils} councils engaged ({percent}), {activity}"


RESTATED_FIELDS = {
    "figure": "Figure",
    "rag": "RAG",
    "engagements": "Engagements",
}


def restated_field(field: str) -> str:
    """What a restatement changed, as a board reads it: ``Figure``, ``RAG``,
    ``Commentary (impact)`` rather than ``commentary:impact``."""
    if field.startswith(("commentary:", "commentary.")):
        kind = field.split(":", 1)[-1].split(".", 1)[-1]
        return f"Commentary ({COMMENTARY_KINDS.get(kind, kind).lower()})"
    return RESTATED_FIELDS.get(field, field.replace("_", " ").capitalize())


def moment(text: str | None) -> datetime | None:
    """A recorded time as a spreadsheet holds it: a naive datetime in UTC (XLSX has no time
    zones; the column heading says UTC)."""
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)
