"""The board pack's charts for the pages, as SVG images served from their own URLs.

A page shows a chart as ``<img src=…>`` rather than inline: an SVG loaded as an image keeps
its own styles under the pages' Content-Security-Policy (``style-src 'self'`` refuses the
inline styles matplotlib writes), and the page itself stays as fast as its tables. Drawing a
chart costs tens to hundreds of milliseconds, so the SVG is kept per distinct content of
what it draws (the regions' figures), a few dozen at most: the same figures draw once
whatever else differs (a kind that matches nothing draws the chart of no engagements once),
and an engagement that changes a region's figures draws anew.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from projections.models import TakeUp

KEPT = 32  # charts kept per process
_drawn: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def take_up_by_region(take_up: TakeUp) -> str:
    """SVG text of the board pack's "take-up by region" chart for ``take_up``."""
    key = json.dumps([region.model_dump(mode="json") for region in take_up.by_region])
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    # matplotlib is loaded on the first chart, not when the service starts.
    from infra.exports.charts import take_up_by_region_svg

    svg = take_up_by_region_svg(take_up)
    with _lock:
        _drawn[key] = svg
        while len(_drawn) > KEPT:
            _drawn.popitem(last=False)
    return svg
