"""Data shipped with the service, outside its layers: the sample year that `quarterly demo`
loads and the register of English councils. Read the files with :func:`sample_lines`."""

from __future__ import annotations

from importlib.resources import files

DEMO_YEAR = "2016/17"
DEMO_SCRIPT = "demo_2016_17.jsonl"
# English principal councils as at 1 April 2016, from the ONS (its header names the source).
COUNCIL_REGISTER = "councils_england_2016.csv"


def sample_lines(name: str) -> list[bytes]:
    """The lines of a shipped data file. Raises FileNotFoundError for an unknown name."""
    return files(__name__).joinpath(name).read_bytes().split(b"\n")


def council_register_text() -> str:
    """The shipped register of councils (:data:`COUNCIL_REGISTER`) as CSV text, as
    ``application.council_file.load_register`` reads it."""
    return b"\n".join(sample_lines(COUNCIL_REGISTER)).decode()
