"""The board pack's charts for the pages, as SVG images served from their own URLs.

A page shows a chart as ``<img src=…>`` rather than inline: an SVG loaded as an image keeps
its own styles under the pages' Content-Security-Policy (``style-src 'self'`` refuses the
inline styles matplotlib writes), and the page itself stays as fast as its tables. Drawing a
chart costs tens of milliseconds, so the SVG is kept per distinct content (the model's JSON),
a few dozen at most: the same take-up draws once, a new engagement draws anew.
"""

from __future__ import annotations

from functools import lru_cache

from projections.models import TakeUp


def take_up_by_region(take_up: TakeUp) -> str:
    """SVG text of the board pack's "take-up by region" chart for ``take_up``."""
    return _take_up_by_region(take_up.model_dump_json())


@lru_cache(maxsize=32)
def _take_up_by_region(document: str) -> str:
    # matplotlib is loaded on the first chart, not when the service starts.
    from infra.exports.charts import take_up_by_region_svg

    return take_up_by_region_svg(TakeUp.model_validate_json(document))
