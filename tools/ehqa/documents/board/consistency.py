"""Grading consistency, "where measured", in the board report and the evidence pack: the hook.

How consistently auditors grade (agreement between auditors, or with a moderator) is measured by issue 14's
agreement statistics, on their own branch. Until they land, ``grading_consistency`` returns None and both
documents say, in a section of its own, that it is not measured. To fill it in, return the blocks (``Para``,
``Bullets``, ``Grid`` of ``documents.board.document``) that say what was measured over the cycles given; for the
board report they must be figures the site publishes, with its disclosure control.
"""

from __future__ import annotations

from datetime import date

from ehqa.documents.board.document import Para, Section
from ehqa.model import Service

HEADING = "Grading consistency"
NOT_MEASURED = ("Not measured. How consistently auditors grade (their agreement with each other, or with a "
                "moderator) is not measured by this service's records yet; this section reports it once it is.")


def grading_consistency(service: Service, cycle_ids: list[str], as_of: date) -> tuple | None:
    """What was measured of grading consistency over ``cycle_ids``, as blocks; None: not measured (the hook)."""
    return None


def consistency_section(service: Service, cycle_ids: list[str], as_of: date) -> Section:
    """The section both documents end their figures with: what was measured, or that nothing was."""
    measured = grading_consistency(service, cycle_ids, as_of)
    return Section("consistency", HEADING, measured if measured else (Para((NOT_MEASURED,)),))
