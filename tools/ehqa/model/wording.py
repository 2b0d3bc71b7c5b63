"""The wording every rendered page shares: dates, lists of names, free text on one line, Markdown
table cells.

Pure functions, and the same whatever the machine's locale: the day and month names are spelled
out here rather than taken from ``strftime``.
"""

from __future__ import annotations

from datetime import date

from ehqa.model import Person

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def day(when: date | None) -> str:
    """``16 October 2026``; ``""`` for no date."""
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}" if when else ""


def long_date(when: date) -> str:
    """``Friday 13 November 2026``."""
    return f"{_DAYS[when.weekday()]} {day(when)}"


def names(people) -> str:
    """``A``, ``A and B``, ``A, B and C``: people by their names, anything else as it is."""
    items = [p.name if isinstance(p, Person) else str(p) for p in people]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def one_line(text: str | None) -> str:
    """Free text on one line: YAML's folded and literal blocks leave line breaks and trailing newlines."""
    return " ".join((text or "").split())


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")
