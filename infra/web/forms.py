"""What the pages' forms share: a command id made when a form is drawn, the fields a form
posts turned into a command's payload, and refusals turned into the GOV.UK error summary
(each error names its field and links to it)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from application.command_json import parse_number
from domain.errors import BadInput, Refused

# What the contract's messages tell a command's sender to do, in a page's words: a person
# on a form does not send define_target or amend_target (an admin changes targets).
PAGE_WORDS = (
    (
        re.compile(r"\(amend_target with allow_negative true if it should\)"),
        "(an admin can amend the target to allow negative figures)",
    ),
    (re.compile(r"define_target it first"), "an admin must define the target first"),
    (re.compile(r" \(quarterly councils lists them\)"), ""),  # the form lists them
)


def new_command_id(kind: str) -> str:
    """The id a form's command will carry: made when the page is drawn, so a second
    submit or a refresh of the same form is the same command (stored once)."""
    return f"web-{kind}-{uuid.uuid4()}"


@dataclass
class FormErrors:
    """Errors for the error summary (``errors``) and beside each field (``by_field``)."""

    labels: dict[str, str]  # a command's field -> the label the form shows
    anchors: dict[str, str] = field(default_factory=dict)  # field -> the input's id
    errors: list[dict[str, str]] = field(default_factory=list)
    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str | None, message: str) -> None:
        """An error about ``name`` (a command's field), or about the whole form, in the
        page's own words (a command's field named in it is named by its label)."""
        message = self.in_words(message)
        entry = {"text": message}
        if name in self.labels:
            entry["href"] = "#" + self.anchors.get(name, name)
            self.by_field.setdefault(name, message)
        self.errors.append(entry)

    def refused(self, refusal: Refused) -> None:
        """A refusal from a command's validation or use case: its message, naming the
        field by the form's label (``Count: Input should be greater than ...``)."""
        message = refusal.message
        label = self.labels.get(refusal.field or "")
        if label is None:
            self.add(refusal.field, message[:1].upper() + message[1:])
        elif message.split(" ", 1)[0] in ("is", "must", "may", "should"):
            self.add(refusal.field, f"{label} {message}")
        else:
            self.add(refusal.field, f"{label}: {message}")

    def in_words(self, message: str) -> str:
        """``message`` with every command field it names (``restatement_reason``) named by
        the form's label (``restatement reason``), and the command hints a person on a form
        cannot follow (``define_target it first``) in the page's words. Only names with an
        underscore are replaced: a one-word name (``value``, ``kind``) is also an English
        word, and the refusal's field is named by its label already. What a message quotes
        (``'as_at'``, the person's own input echoed back) is left as it was typed."""
        parts = QUOTED.split(message)
        for index in range(0, len(parts), 2):  # the even parts lie outside quotes
            part = parts[index]
            for pattern, words in PAGE_WORDS:
                part = pattern.sub(words, part)
            for name, label in self.labels.items():
                if "_" in name:
                    pattern = re.compile(rf"\b{re.escape(name)}\b")
                    part = pattern.sub(_mid_sentence(label).replace("\\", r"\\"), part)
            parts[index] = part
        return "".join(parts)

    def __bool__(self) -> bool:
        return bool(self.errors)


# A quoted value in a message, as Python's repr writes the input it echoes: 'x' or "x",
# not an apostrophe inside a word ("target's").
QUOTED = re.compile(r"""((?<![\w])'(?:[^'\\]|\\.)*'(?![\w])|(?<![\w])"(?:[^"\\]|\\.)*"(?![\w]))""")


def _mid_sentence(label: str) -> str:
    """A label as written inside a sentence: ``Restatement reason`` -> ``restatement
    reason``; ``RAG`` stays ``RAG``."""
    if label[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def required(form: dict[str, str], name: str, message: str, errors: FormErrors) -> str:
    """The field's text, or an error saying what to enter."""
    value = form.get(name, "")
    if not value:
        errors.add(name, message)
    return value


def date_from(form: dict[str, str], name: str, what: str, errors: FormErrors) -> str | None:
    """A GOV.UK date input's three fields as an ISO date, or an error in the Design
    System's words: what is missing, or that it is not a real date."""
    parts = {part: form.get(f"{name}-{part}", "") for part in ("day", "month", "year")}
    if not any(parts.values()):
        errors.add(name, f"Enter the {what}")
        return None
    missing = [part for part, value in parts.items() if not value]
    if missing:
        errors.add(name, f"The {what} must include a {' and '.join(missing)}")
        return None
    if not all(part.isascii() and part.isdigit() and len(part) <= 4 for part in parts.values()):
        errors.add(name, f"The {what} must be a real date")
        return None
    if len(parts["year"]) != 4:  # "17" is not 2017 (nor year 17): the Design System's rule
        errors.add(name, f"The year of the {what} must include 4 numbers")
        return None
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        errors.add(name, f"The {what} must be a real date")
        return None
    return day.isoformat()


def number_field(text: str, name: str, errors: FormErrors) -> int | float | None:
    """The field's number, read by the rules an API body's numbers follow
    (``application.command_json.parse_number``): never rounded on the way in, so the form
    stores exactly what the API would, or is refused as the API refuses. ``None`` (and an
    error naming ``name``) for anything else."""
    try:
        return parse_number(text.strip())
    except BadInput as refusal:
        label = errors.labels.get(name, name).lower()
        errors.add(name, f"The {label} {refusal.message}")
        return None


def whole_number_field(text: str, name: str, errors: FormErrors) -> int | None:
    """The field's whole number (a count: ``3``), read by the rules an API body's numbers
    follow (``application.command_json.parse_number``); ``None`` and an error naming
    ``name`` for anything else (``2.5``, ``1e3``, ``three``, ``+3``), whose bounds the
    command then checks as the API's would be."""
    try:
        value = parse_number(text.strip())
    except BadInput:
        value = None
    if type(value) is int:
        return value
    label = errors.labels.get(name, name).lower()
    errors.add(name, f"The {label} must be a whole number, like 3")
    return None


def payload(**fields: Any) -> dict[str, Any]:
    """A command's payload: fields left empty on the form are left out."""
    return {name: value for name, value in fields.items() if value not in (None, "")}
