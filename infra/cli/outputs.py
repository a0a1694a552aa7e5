"""Files the commands write (``report --out``, ``board-pack --out``, ``export-events FILE``):
never the store itself, always whole (a temporary file beside the target, then
``os.replace``), ``-`` meaning stdout."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from domain.errors import Refused
from infra.cli.errors import EXIT_REFUSED, fail
from infra.sqlite_turns import WRITER_SUFFIX
from infra.store import StoreLocation

STDOUT = "-"
_STORE_COMPANIONS = ("", "-wal", "-shm", "-journal", WRITER_SUFFIX)


def is_stdout(out: Path | None) -> bool:
    """True when ``out`` asks for stdout (no file, or ``-``)."""
    return out is None or str(out) == STDOUT


def refuse_the_store(out: Path | None, store_url: str, *, option: str = "--out") -> None:
    """Raises exit 2 naming ``option`` when ``out`` is the SQLite store file or one of its
    ``-wal``/``-shm``/``-journal``/``-writer`` companions (compared as resolved paths, and with
    ``os.path.samefile`` for hard links), so a pack never overwrites the events."""
    if is_stdout(out):
        return
    assert out is not None
    try:
        location = StoreLocation.parse(store_url)
    except Refused:  # a bad store URL: the command itself reports it
        return
    if location.kind != "sqlite" or location.sqlite_path is None:
        return
    target = out.expanduser().resolve()
    for suffix in _STORE_COMPANIONS:
        store_file = Path(location.sqlite_path + suffix).expanduser().resolve()
        same = target == store_file
        if not same and target.exists() and store_file.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(target, store_file)
        if same:
            raise fail(
                f"{option}: {out} is the store's own file ({store_file}); "
                "write the output somewhere else",
                EXIT_REFUSED,
            )


def write_output(content: str | bytes, out: Path) -> None:
    """Writes ``content`` to ``out`` whole: to stdout for ``-``; straight to a device or
    pipe (``/dev/stdout``, a FIFO); otherwise to a temporary file in the same folder that
    replaces ``out`` only once written, so a failed write never leaves a truncated file.
    Raises ``OSError`` naming ``out``."""
    if str(out) == STDOUT:
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replacing(out, binary=True) as file:
        file.write(data)


@contextlib.contextmanager
def replacing(out: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to write that becomes ``out`` only when the block ends without error (a
    temporary file beside it, then ``os.replace``); a device or FIFO is written directly.
    Raises ``OSError`` naming ``out``."""
    target = out.expanduser().resolve()
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _naming(error, out) from None
    if mode is not None and not stat.S_ISREG(mode):  # /dev/full, /dev/stdout, a FIFO
        try:
            with _opened(str(target), binary) as direct:
                yield direct
        except OSError as error:
            raise _naming(error, out) from None
        return
    try:
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise _naming(error, out) from None
    try:
        with _opened(descriptor, binary) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else _default_mode())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _naming(error, out) from None
        raise


def _opened(file: str | int, binary: bool) -> IO[Any]:
    if binary:
        return open(file, "wb")
    return open(file, "w", encoding="utf-8")


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _naming(error: OSError, out: Path) -> OSError:
    return OSError(error.errno, error.strerror or str(error), str(out))
