"""Grading consistency, "where measured", in the board report and the evidence pack: the hook.

How consistently auditors grade (agreement between auditors, or with a moderator) is measured by issue 14's
agreement statistics (``ehqa.agreement``). Until some audit has independent grades, ``grading_consistency``
returns None and both documents say, in a section of its own, that it is not measured; then they show the learning
site's own figures ("How consistent are our grades", ``site.consistency``), with its disclosure control.
"""

from __future__ import annotations

from datetime import date

from ehqa.documents.board.document import Grid, Para, Section
from ehqa.model import Service

HEADING = "Grading consistency"
NOT_MEASURED = ("Not measured. How consistently auditors grade (their agreement with each other, or with a "
                "moderator) is not measured by this service's records yet; this section reports it once it is.")


def grading_consistency(service: Service, cycle_ids: list[str], as_of: date) -> tuple | None:
    """What was measured of grading consistency, as blocks; None: not measured (no audit has independent grades).

    The figures are the learning site's own ("How consistent are our grades", ``site.consistency``: the same
    disclosure control), over every audit graded independently up to ``as_of``, not only ``cycle_ids``': a cycle's
    few audits are too few to measure agreement on (``agreement.min_units``)."""
    from ehqa.site.consistency import consistency_context

    found = consistency_context(service, as_of)
    if not found["measured"]:
        return None
    blocks = [Para(("How far auditors grading the same case independently agree (each auditor's own grades before "
                    "the pair agreed, and moderators' blind grades), over every audit graded so, as the learning "
                    "site shows it. Each figure has its 95% interval.",)),
              Grid.of("consistency", found["table"]), Para((found["reading"],))]
    drift = found["drift"]
    if drift:
        blocks.append(Para((f"Drift: on the {drift['moderated']} moderated audits, the auditors' agreed grades were on "
                            f"average {drift['mean']} of a grade {drift['direction']} than the moderators' (95% "
                            f"interval {drift['interval']}); the grade crossed the line between Good and below Good in "
                            f"{drift['crossed']} of them.",)))
    if found["trend"]:
        blocks.append(Grid.of("consistency-trend", found["trend"]))
    return tuple(blocks)


def consistency_section(service: Service, cycle_ids: list[str], as_of: date) -> Section:
    """The section both documents end their figures with: what was measured, or that nothing was."""
    measured = grading_consistency(service, cycle_ids, as_of)
    return Section("consistency", HEADING, measured if measured else (Para((NOT_MEASURED,)),))
