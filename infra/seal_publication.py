"""Seals published outside the store: an append-only JSON Lines file the operator names.

A store cannot prove its own tail: deleting the last close and everything after it leaves a
chain that verifies. Each seal is therefore also written to a destination outside the
database (``QUARTERLY_SEAL_LOG``, a file an operator can ship to write-once storage) and
logged as one structured line (``seal_published``) for log pipelines; ``quarterly verify
--published FILE`` checks the store against every seal in such a file.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import structlog
from eventsourcing.persistence import Mapper

from application.audit import ChainedRecorder, PublishedSeal, Seal, seals
from domain.errors import BadInput

log = structlog.get_logger("quarterly.seals")


class SealLog:
    """One seal per line: ``{"year", "quarter", "digest", "sealed_position", "closed_at",
    "actor", "published_at"}``. Lines are only ever appended (``O_APPEND``, fsync'd), under
    an exclusive lock, so processes publishing at once write each seal once."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def publish(self, found: Sequence[Seal]) -> list[Seal]:
        """Appends the seals not yet in the file; returns them. Raises OSError, and
        BadInput for a file that is not a seal log (not UTF-8, or a line that is no seal)."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        with os.fdopen(descriptor, "r+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.seek(0)
            try:
                written = file.read()
            except UnicodeDecodeError as error:
                raise BadInput(
                    f"the seal log {self.path} is not UTF-8 text (byte {error.start}): it is "
                    "not a file quarterly wrote; point QUARTERLY_SEAL_LOG at the seal log",
                    field="seal_log",
                ) from None
            already = {seal.digest for seal in parse_published(written, str(self.path))}
            new = [seal for seal in found if seal.digest not in already]
            published_at = datetime.now(UTC).isoformat(timespec="seconds")
            for seal in new:
                file.write(json.dumps(seal.document() | {"published_at": published_at}) + "\n")
            file.flush()
            os.fsync(file.fileno())
        for seal in new:
            log.info(
                "seal_published",
                year=seal.year,
                quarter=seal.quarter,
                digest=seal.digest,
                sealed_position=seal.sealed_position,
                destination=str(self.path),
            )
        return new


def publish_seals(
    recorder: ChainedRecorder, mapper: Mapper[UUID], destination: str | None
) -> list[Seal]:
    """Publishes every seal of the store not yet at ``destination`` (nothing when no
    destination is configured); returns the seals published now."""
    if not destination:
        return []
    return SealLog(Path(destination)).publish(seals(recorder, mapper))


def read_published(path: Path) -> list[PublishedSeal]:
    """The seals in a published file, in file order. Raises BadInput naming the line of the
    first that is not a seal (or a file that is not UTF-8 text); OSError when the file
    cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(
            f"{path} is not UTF-8 text (byte {error.start})", field="published"
        ) from None
    return parse_published(text, str(path))


def parse_published(text: str, name: str) -> list[PublishedSeal]:
    """Seals from JSON Lines (the seal log) or a JSON array (``seals --format json``)."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except RecursionError:
            raise BadInput(
                f"{name} nests too deeply to be a list of seals", field="published"
            ) from None
        except ValueError as error:
            raise BadInput(
                f"{name} is not a JSON list of seals: {error}", field="published"
            ) from None
        return [_seal(item, f"{name} item {n}") for n, item in enumerate(items, start=1)]
    found = []
    for number, line in enumerate(stripped.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            raise BadInput(f"{name} line {number} is not JSON", field="published") from None
        found.append(_seal(item, f"{name} line {number}"))
    return found


def _seal(item: object, where: str) -> PublishedSeal:
    if not isinstance(item, dict) or not all(
        isinstance(item.get(key), str) for key in ("year", "quarter", "digest")
    ):
        raise BadInput(f"{where} is not a seal (year, quarter, digest)", field="published")
    published_at = item.get("published_at")
    return PublishedSeal(
        item["year"],
        item["quarter"],
        item["digest"],
        published_at if isinstance(published_at, str) else None,
    )
