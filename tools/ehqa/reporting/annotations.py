"""GitHub Actions workflow commands: the one writer of annotations (``::error file=...::message``).

``ehqa validate``, ``ehqa followups`` and ``ehqa check-pr`` all annotate through ``annotation``, so a
value from the data (a path, a message quoting a field) is escaped the same way everywhere: GitHub
reads ``%``, line breaks and, in a property, ``:`` and ``,`` as syntax.
"""

from __future__ import annotations


def annotation(level: str, message: str, *, file: str, line: int | None = None, col: int | None = None,
               title: str | None = None) -> str:
    """One workflow command line: ``level`` is ``error``, ``warning`` or ``notice``."""
    properties = [f"file={escape_property(file)}"]
    if line is not None:
        properties.append(f"line={line}")
    if col is not None:
        properties.append(f"col={col}")
    if title is not None:
        properties.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(properties)}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """A message, safe after ``::``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property's value (a file, a title), safe between ``=`` and the next ``,`` or ``::``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
