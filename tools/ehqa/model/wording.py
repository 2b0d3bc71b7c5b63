"""The wording every rendered page and message shares: dates and months in words, lists of names,
free text on one line, Markdown table cells.

Pure functions, and the same whatever the machine's locale: the day and month names are spelled
out here, once, rather than taken from ``strftime`` or ``calendar``.
"""

from __future__ import annotations

from datetime import date

from ehqa.model.staff import Person

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # as date.weekday()
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def day(when: date | None) -> str:
    """``16 October 2026``; ``""`` for no date."""
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}" if when else ""


def long_date(when: date) -> str:
    """``Friday 13 November 2026``."""
    return f"{DAYS[when.weekday()]} {day(when)}"


def short_day(when: date) -> str:
    """``Tue 2026-11-17``: the ISO date people type, with the weekday they check it by. Every
    ``ehqa cycle`` message and table writes days this way."""
    return f"{DAYS[when.weekday()][:3]} {when.isoformat()}"


def month_name(cycle_id: str) -> str:
    """A cycle's month in words: ``2026-10`` -> ``October 2026``."""
    return f"{MONTHS[int(cycle_id[5:]) - 1]} {cycle_id[:4]}"


def a(word: str) -> str:
    """The word with its indefinite article: "a review", "an oversight"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


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
