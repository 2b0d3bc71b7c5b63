"""The Jinja environment the private documents' templates (``documents/templates/``) render in."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ehqa.model.wording import cell, day, long_date, names

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> jinja2.Environment:
    """The templates under templates/, with the ``day``, ``long_date``, ``names`` and ``cell`` filters.
    HTML templates are escaped; the Markdown ones are not. A missing variable is an error, never an
    empty string."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = day
    env.filters["long_date"] = long_date
    env.filters["names"] = names
    env.filters["cell"] = cell
    return env
