"""The console script (infra/cli/console.py): Ctrl-C while the command line loads ends in
one line and exit status 130, as it does once a command runs."""

from __future__ import annotations

import sys
import types

import pytest

from infra.cli import console


class _Interrupted(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        raise KeyboardInterrupt  # as if Ctrl-C came while the module loaded


def test_ctrl_c_while_loading_is_one_line_and_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "infra.cli.main", _Interrupted("infra.cli.main"))
    with pytest.raises(SystemExit) as exited:
        console.run()
    assert exited.value.code == 130
    assert capsys.readouterr().err == "error: interrupted\n"


def test_it_runs_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["quarterly", "--help"])
    with pytest.raises(SystemExit) as exited:
        console.run()
    assert exited.value.code == 0
    assert "Usage" in capsys.readouterr().out
