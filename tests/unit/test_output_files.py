"""``infra.cli.outputs``: a file is replaced whole or not at all, keeps its mode, and a
failure names the path."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from infra.cli.outputs import refuse_the_store, replacing, write_output


def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    out.write_text("the old pack")

    def render() -> None:
        with replacing(out) as file:
            file.write("half a pa")
            raise RuntimeError("the renderer failed")

    with pytest.raises(RuntimeError, match="renderer"):
        render()
    assert out.read_text() == "the old pack"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.html"]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    out.write_text("old")
    out.chmod(0o640)
    write_output(b"new", out)
    assert out.read_bytes() == b"new"
    assert out.stat().st_mode & 0o777 == 0o640


def test_a_full_device_is_an_error_naming_it() -> None:
    with pytest.raises(OSError, match="space") as raised:
        write_output("x" * 100_000, Path("/dev/full"))
    assert raised.value.filename == "/dev/full"


def test_the_store_and_its_companions_are_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    (tmp_path / "q.db").write_bytes(b"")
    for name in ("q.db", "q.db-wal", "q.db-shm", "q.db-journal", "q.db-writer"):
        with pytest.raises(typer.Exit) as raised:
            refuse_the_store(tmp_path / name, url)
        assert raised.value.exit_code == 2
    refuse_the_store(tmp_path / "q.html", url)
    refuse_the_store(Path("-"), url)
    refuse_the_store(tmp_path / "q.db", "postgresql://root@127.0.0.1/test")
