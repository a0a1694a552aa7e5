"""How a target's figure is judged against its annual target: direction, thresholds, percent
achieved, whether the target is met, and whether the year is on course for it.

These are the measures the seed reports use beyond a count against a target: "days to
respond" and a pay gap, where lower is better; "change from 2016: -2", which can be negative;
"over 75% satisfied", a threshold. None of them replaces the RAG people state: the
trajectory is computed beside it and only flagged where the two disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from enum import StrEnum

from domain.calendar import QUARTERS, Quarter
from domain.errors import BadInput
from domain.measures import Aggregation, Number
from domain.measures import percent_achieved as ratio_percent
from domain.rag import Rag

_EXACT = Context(prec=60)
# How far short of the expected figure a target may be and still be amber: a quarter of it.
AMBER_MARGIN = Decimal("0.25")
# Aggregations whose year figure grows through the year, so that a quarter in, a quarter of
# the annual target is what being on course means.
CUMULATIVE = frozenset({Aggregation.SUM, Aggregation.DISTINCT_COUNCILS})


class Direction(StrEnum):
    """Which way a figure gets better."""

    HIGHER_IS_BETTER = "higher_is_better"  # peer challenges delivered
    LOWER_IS_BETTER = "lower_is_better"  # days to respond, a pay gap

    @classmethod
    def parse(cls, text: str) -> Direction:
        try:
            return cls(text)
        except ValueError:
            raise BadInput(
                f"{text!r} is not a direction; use higher_is_better or lower_is_better",
                field="direction",
            ) from None


class Threshold(StrEnum):
    """A target that is a threshold on the figure: ``above`` 75 is the seeds' ">75%"."""

    ABOVE = "above"  # figure > target
    AT_LEAST = "at_least"  # figure >= target
    BELOW = "below"  # figure < target
    AT_MOST = "at_most"  # figure <= target

    @classmethod
    def parse(cls, text: str) -> Threshold:
        try:
            return cls(text)
        except ValueError:
            raise BadInput(
                f"{text!r} is not a threshold; use above, at_least, below or at_most",
                field="threshold",
            ) from None

    @property
    def direction(self) -> Direction:
        if self in (Threshold.ABOVE, Threshold.AT_LEAST):
            return Direction.HIGHER_IS_BETTER
        return Direction.LOWER_IS_BETTER

    def passes(self, figure: Decimal, target: Decimal) -> bool:
        """Whether ``figure`` passes this threshold on ``target``."""
        if self is Threshold.ABOVE:
            return figure > target
        if self is Threshold.AT_LEAST:
            return figure >= target
        if self is Threshold.BELOW:
            return figure < target
        return figure <= target


def implied_direction(direction: str | None, threshold: str | None) -> Direction:
    """The direction a target states, else the one its threshold implies, else higher is
    better. Raises BadInput naming ``threshold`` when the two contradict each other."""
    stated = None if direction is None else Direction.parse(direction)
    bound = None if threshold is None else Threshold.parse(threshold)
    if stated is not None and bound is not None and bound.direction is not stated:
        raise BadInput(
            f"{bound.value} contradicts direction {stated.value}; leave direction out "
            "(a threshold implies it) or state the one it implies",
            field="threshold",
        )
    if stated is not None:
        return stated
    return bound.direction if bound is not None else Direction.HIGHER_IS_BETTER


@dataclass(frozen=True)
class Measure:
    """A target's annual figure, as judged: ``target`` (None for a narrative outcome), the
    direction (a threshold's own, when it has one), an optional threshold, and the
    aggregation (cumulative or not)."""

    target: Number | None
    direction: Direction = Direction.HIGHER_IS_BETTER
    threshold: Threshold | None = None
    aggregation: Aggregation = Aggregation.SUM

    def __post_init__(self) -> None:
        if self.threshold is not None:  # a threshold says which way is better
            object.__setattr__(self, "direction", self.threshold.direction)

    @property
    def comparison(self) -> Threshold:
        """How the figure must compare with the target to meet it: the threshold, else at
        least the target (higher is better) or at most it (lower is better)."""
        if self.threshold is not None:
            return self.threshold
        if self.direction is Direction.HIGHER_IS_BETTER:
            return Threshold.AT_LEAST
        return Threshold.AT_MOST

    def percent_achieved(self, figure: Number | None) -> int | None:
        """Percent achieved, a whole number rounded half up and never capped.

        - higher is better (and thresholds ``above``, ``at_least``): figure / target x 100,
          the contract's definition (185 of 200 -> 93; 242% is a real value);
        - lower is better (and ``below``, ``at_most``): target / figure x 100, so that
          beating the target scores above 100 (8 days against a target of 10 -> 125) and
          missing it below (20 days -> 50);
        - None without a figure or a numeric target, when the target is 0, when the figure
          or the target is negative (a ratio of signed changes measures nothing: -1 against
          a target of -2 is not "50% achieved"), and for lower is better when the figure is
          0. Whether the target is met is :meth:`met`; a threshold of ``above`` 75 with a
          figure of exactly 75 is 100% achieved and not met.
        """
        if figure is None or self.target is None or figure < 0 or self.target <= 0:
            return None
        if self.direction is Direction.HIGHER_IS_BETTER:
            return ratio_percent(figure, self.target)
        if figure == 0:
            return None
        return ratio_percent(self.target, figure)

    def met(self, figure: Number | None) -> bool | None:
        """Whether the year figure as it stands meets the target (see :attr:`comparison`);
        None without a figure or a numeric target."""
        if figure is None or self.target is None:
            return None
        return self.comparison.passes(_exact(figure), _exact(self.target))

    def trajectory(
        self,
        quarters: Mapping[Quarter, Number | None],
        figure: Number | None,
        closed: Iterable[Quarter] = (),
    ) -> Rag | None:
        """Is the year-to-date figure on course for the annual target? Green, amber or red;
        None without a numeric target or a figure. Computed beside the stated RAG, never
        instead of it.

        The quarters elapsed are those up to the latest quarter that has a figure or is
        ``closed``, whichever is later (a closed quarter has passed, figure or not). What is
        expected by then is, for a cumulative aggregation (``sum``, ``distinct_councils``),
        the annual target pro rata (a quarter of it after Q1, half after Q2 ...), and for a
        snapshot (``latest``, ``max``) the annual target itself. Then:

        - green: the figure (``figure``, the year figure so far) meets what is expected,
          compared as the target is met (at least it, at most it for lower is better, or
          by the threshold, strictly for ``above`` and ``below``);
        - amber: it falls short by no more than a quarter of what is expected (a higher is
          better target at three quarters of its pro-rata figure or more; a lower is better
          one no more than a quarter over its allowance);
        - red: it falls short by more, or anything short of an expected 0.

        Signed figures need no special case: the shortfall is measured in the target's
        units, against the size of what is expected.
        """
        if self.target is None or figure is None:
            return None
        passed = [q.number for q in QUARTERS if quarters.get(q) is not None]
        passed += [Quarter(q).number for q in closed]
        elapsed = max(passed, default=len(QUARTERS))
        expected = _exact(self.target)
        if self.aggregation in CUMULATIVE:
            expected = _EXACT.divide(_EXACT.multiply(expected, elapsed), len(QUARTERS))
        actual = _exact(figure)
        if self.comparison.passes(actual, expected):
            return Rag.GREEN
        shortfall = abs(actual - expected)
        if expected != 0 and shortfall <= _EXACT.multiply(AMBER_MARGIN, abs(expected)):
            return Rag.AMBER
        return Rag.RED


def _exact(value: Number) -> Decimal:
    return Decimal(str(value))
