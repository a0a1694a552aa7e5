"""structlog: JSON lines in production, readable in a terminal; never a secret.

Libraries that log through the standard library (psycopg's pool, uvicorn) are written in
the same format, so a JSON log holds nothing but JSON lines. In JSON, an exception is a few
fields on its line (type, first line of the message, innermost frames), never a multi-line
traceback.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from typing import Any

import structlog

from application.access import TOKEN_PREFIX

MAX_ERROR_TEXT = 300
FRAMES_LOGGED = 4
# A token anywhere in a logged value (a client that sent it in a field, a path or a request
# id, and a refusal that quotes what was sent): tokens are never logged.
_TOKEN = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]+")
REDACTED = TOKEN_PREFIX + "[redacted]"


def without_tokens(text: str) -> str:
    """``text`` with every token-shaped run (``qtk_`` and what follows it) redacted."""
    return _TOKEN.sub(REDACTED, text) if TOKEN_PREFIX in text else text


def _redact_tokens(
    _logger: Any, _method: str, event_dict: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """The structlog processor that applies :func:`without_tokens` to every string field
    of a log line, and to the strings of a list field (``where``)."""
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = without_tokens(value)
        elif isinstance(value, list):
            event_dict[key] = [without_tokens(v) if isinstance(v, str) else v for v in value]
    return event_dict


def configure_logging(log_format: str = "console") -> None:
    json_lines = log_format == "json"
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    exceptions: structlog.typing.Processor = (
        _exception_as_fields if json_lines else structlog.processors.format_exc_info
    )
    stamped: list[structlog.typing.Processor] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            *stamped,
            exceptions,
            _redact_tokens,
            renderer,
        ],
        # One write per line, so lines from several threads never interleave.
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                structlog.stdlib.add_logger_name,
                *stamped,
                exceptions,
                _redact_tokens,
            ],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


def error_fields(error: BaseException, *, where: bool = False) -> dict[str, Any]:
    """``error_type`` and ``error`` (the message's first line, at most 300 characters) and,
    with ``where``, the innermost frames as ``file:line function`` strings."""
    text = str(error).strip()
    first_line = text.splitlines()[0] if text else ""
    if len(first_line) > MAX_ERROR_TEXT:
        first_line = first_line[: MAX_ERROR_TEXT - 3] + "..."
    fields: dict[str, Any] = {"error_type": type(error).__name__, "error": first_line}
    if where:
        frames = traceback.extract_tb(error.__traceback__)[-FRAMES_LOGGED:]
        fields["where"] = [f"{frame.filename}:{frame.lineno} {frame.name}" for frame in frames]
    return fields


def _exception_as_fields(
    _logger: Any, _method: str, event_dict: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    exc_info = event_dict.pop("exc_info", None)
    error: BaseException | None = None
    if isinstance(exc_info, BaseException):
        error = exc_info
    elif isinstance(exc_info, tuple):
        error = exc_info[1]
    elif exc_info:
        error = sys.exc_info()[1]
    if error is not None:
        for key, value in error_fields(error, where=True).items():
            event_dict.setdefault(key, value)
    return event_dict
