"""The board pack's formats in one place, for the CLI and the HTTP API alike: each
format's renderer, media type and file suffix. The renderers are imported when a pack is
rendered (matplotlib and WeasyPrint take a moment to load; other commands never pay it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from projections.board_pack import BoardPack


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it loads are missing (the message says what to
    install)."""


class PackFormat(StrEnum):
    """The formats a board pack is made in."""

    xlsx = "xlsx"
    html = "html"
    pdf = "pdf"


@dataclass(frozen=True)
class PackDocument:
    """A rendered pack: its bytes, media type and a file name to save it as."""

    content: bytes
    media_type: str
    filename: str


MEDIA_TYPES = {
    PackFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PackFormat.html: "text/html; charset=utf-8",
    PackFormat.pdf: "application/pdf",
}


def pack_filename(pack: BoardPack, pack_format: PackFormat) -> str:
    """``board-pack-2016-17.pdf``, ``board-pack-2016-17-Q2.xlsx``."""
    quarter = f"-{pack.quarter}" if pack.quarter else ""
    return f"board-pack-{pack.year.replace('/', '-')}{quarter}.{pack_format.value}"


def render_pack(pack: BoardPack, pack_format: PackFormat) -> PackDocument:
    """The pack in ``pack_format``. PDF raises ``PdfUnavailable`` when WeasyPrint cannot
    load."""
    content: bytes
    if pack_format is PackFormat.xlsx:
        from infra.exports.board_pack_xlsx import to_board_pack_xlsx

        content = to_board_pack_xlsx(pack)
    elif pack_format is PackFormat.html:
        from infra.exports.board_pack_html import to_board_pack_html

        content = to_board_pack_html(pack).encode("utf-8")
    else:
        from infra.exports.board_pack_pdf import to_board_pack_pdf

        content = to_board_pack_pdf(pack)
    return PackDocument(content, MEDIA_TYPES[pack_format], pack_filename(pack, pack_format))
