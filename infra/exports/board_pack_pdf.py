"""The board pack as PDF: the HTML pack (``board_pack_html``) printed by WeasyPrint, A4
landscape with page numbers, table headers repeated on every page and no table row split
across pages (the page's print CSS). WeasyPrint needs Pango from the system (Debian:
``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``; ``make`` installs them)."""

from __future__ import annotations

import logging

from infra.exports.board_pack import PdfUnavailable
from infra.exports.board_pack_html import to_board_pack_html
from projections.board_pack import BoardPack

# WeasyPrint warns once per SVG style it ignores and fontTools logs each font it subsets:
# hundreds of lines per pack, which flooded the service log. Only their errors are kept.
NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


def quiet_pdf_libraries() -> None:
    """WeasyPrint's and fontTools' loggers to ERROR: a pack writes no per-request lines to
    the service log or to the CLI's stderr."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def to_board_pack_pdf(pack: BoardPack) -> bytes:
    """The pack as PDF bytes. Raises ``PdfUnavailable`` naming what to install when
    WeasyPrint cannot load."""
    try:
        from weasyprint import HTML  # imported here: it loads Pango, which takes a moment
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            f"PDF needs WeasyPrint and Pango ({error}); on Debian: apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
        ) from None
    quiet_pdf_libraries()
    # the PDF's title is the page's <title> (WeasyPrint has no "metadata" option)
    pdf: bytes = HTML(string=to_board_pack_html(pack, for_print=True)).write_pdf()
    return pdf
