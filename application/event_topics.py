"""Stored topics stay readable when an event class moves.

eventsourcing stores each event with its class's topic, ``module:QualifiedName``. If a module
is renamed or a class moves, events stored under the old topic must still resolve: register
the old topic (a whole module, or one class) against where it lives now, here, in
:data:`PREVIOUS_TOPICS`. Code that selects events by topic asks :func:`topics_of` for every
topic a class has been stored under.
"""

from __future__ import annotations

from types import ModuleType

from eventsourcing.utils import get_topic, register_topic

# Old topic (``module`` or ``module:Class``) -> the module or class it names today. Empty:
# no event class has moved yet. Add a line when one does, never remove one.
PREVIOUS_TOPICS: dict[str, ModuleType | type] = {}


def register_previous_topic(old: str, now: ModuleType | type) -> None:
    """Makes events stored under ``old`` (a module, or ``module:Class``) resolve to ``now``.
    Raises eventsourcing's TopicError if ``old`` already names something else."""
    register_topic(old, now)
    PREVIOUS_TOPICS[old] = now


def topics_of(cls: type) -> list[str]:
    """Every topic events of ``cls`` may be stored under: today's first, then older ones."""
    found = [get_topic(cls)]
    for old, now in PREVIOUS_TOPICS.items():
        if isinstance(now, ModuleType):
            if cls.__module__ == now.__name__:
                found.append(f"{old}:{cls.__qualname__}")
        elif cls.__module__ == now.__module__ and (
            cls is now or cls.__qualname__.startswith(now.__qualname__ + ".")
        ):
            found.append(old + cls.__qualname__.removeprefix(now.__qualname__))
    return found


for _old, _now in PREVIOUS_TOPICS.items():
    register_topic(_old, _now)
