"""How a target's quarter figures become a year figure and a percentage achieved.

Figures are kept as ``int`` when whole and ``float`` otherwise (as JSON has them);
arithmetic runs in ``Decimal`` so that sums and the half-up rounding are exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import StrEnum

from domain.calendar import QUARTERS, Quarter
from domain.errors import BadInput

Number = int | float

# Bounds of a figure or an annual target: a trillion, to six decimal places. Enough for
# any count or sum of money a return reports, small enough that every total and
# percentage stays exact.
MAX_FIGURE = 10**12
MAX_DECIMAL_PLACES = 6
# Enough digits for any ratio of bounded figures, so rounding never overflows.
_EXACT = Context(prec=60)


class Aggregation(StrEnum):
    SUM = "sum"  # the year's figure is the sum of the quarters
    LATEST = "latest"  # a snapshot: the latest quarter that has a figure
    MAX = "max"  # the highest quarter
    # A quarter: distinct councils engaged in it; the year: distinct councils over the year
    # (not the sum of the quarters: a council engaged in Q1 and Q2 counts once).
    DISTINCT_COUNCILS = "distinct_councils"

    @classmethod
    def parse(cls, text: str) -> Aggregation:
        try:
            return cls(text)
        except ValueError:
            raise BadInput(
                f"{text!r} is not an aggregation; use sum, latest, max or distinct_councils",
                field="aggregation",
            ) from None


def check_figure(value: Number, *, field: str = "value", allow_negative: bool = False) -> Number:
    """A reported figure: a finite number from 0 (from -:data:`MAX_FIGURE` when
    ``allow_negative``) to :data:`MAX_FIGURE` with at most :data:`MAX_DECIMAL_PLACES` decimal
    places, normalised (25.0 -> 25).

    Raises :class:`BadInput` naming ``field`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadInput(f"must be a number, not {value!r}", field=field)
    if isinstance(value, float) and not math.isfinite(value):
        raise BadInput(f"must be a finite number, not {value!r}", field=field)
    if value < 0 and not allow_negative:
        raise BadInput(f"must be zero or more, not {value!r}", field=field)
    if abs(value) > MAX_FIGURE:
        bound = (
            f"-{MAX_FIGURE:,} to {MAX_FIGURE:,}" if allow_negative else f"at most {MAX_FIGURE:,}"
        )
        raise BadInput(f"must be {bound}, not {value!r}", field=field)
    exponent = Decimal(str(value)).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        raise BadInput(f"has more than {MAX_DECIMAL_PLACES} decimal places: {value!r}", field=field)
    return normalise(value)


def normalise(value: Number | Decimal) -> Number:
    """A whole number becomes ``int`` (25.0 -> 25); other values stay ``float``."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if exact == exact.to_integral_value():
        return int(exact)
    return float(exact)


def quarter_figure(reported: Number | None, engagement_count: Number | None) -> Number | None:
    """A reported figure wins; otherwise the engagements recorded; otherwise none."""
    if reported is not None:
        return reported
    return engagement_count


def year_figure(
    aggregation: Aggregation,
    quarters: Mapping[Quarter, Number | None],
    distinct_councils: int | None = None,
) -> Number | None:
    """The year's figure; ``None`` when no quarter has a figure (0 is a figure).

    For ``distinct_councils`` it is ``distinct_councils``, the councils engaged over the
    year, when engagements were recorded; a target with reported figures only has the
    highest quarter's (the fewest distinct councils the year can have had).
    """
    if aggregation is Aggregation.DISTINCT_COUNCILS and distinct_councils is not None:
        return distinct_councils
    present = [(q, quarters[q]) for q in QUARTERS if quarters.get(q) is not None]
    if not present:
        return None
    values = [Decimal(str(v)) for _, v in present]
    if aggregation is Aggregation.SUM:
        return normalise(sum(values, Decimal(0)))
    if aggregation is Aggregation.LATEST:
        return normalise(values[-1])
    return normalise(max(values))


def percent_achieved(figure: Number | None, target: Number | None) -> int | None:
    """figure / target x 100, rounded half up to a whole number, never capped."""
    if figure is None or target is None or target == 0:
        return None
    ratio = _EXACT.divide(_EXACT.multiply(Decimal(str(figure)), 100), Decimal(str(target)))
    return int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_EXACT))


def total_of(values: Iterable[Number]) -> Number:
    """The exact sum (decimal arithmetic, so 0.1 + 0.2 is 0.3), normalised."""
    numbers = list(values)
    if all(type(value) is int for value in numbers):
        return sum(numbers)  # whole counts, the usual case: the same sum, without Decimal
    return normalise(sum((Decimal(str(v)) for v in numbers), Decimal(0)))
