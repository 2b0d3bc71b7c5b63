"""A new cycle file, cycles/YYYY-MM.yaml, as ``ehqa cycle new`` and ``ehqa cycle plan --write`` write it.

People edit this file next — the QA officer the theme, the team managers their
nominations (R3) — so it explains itself in comments: where the dates came from, and
how to add a nomination. It reads back through ehqa's strict loader as the same data,
and passes ``ehqa validate`` as written (an empty ``nominations`` list is valid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ehqa.layout import schema_reference
from ehqa.model.cycle_dates import CycleDates
from ehqa.model.wording import long_date
from ehqa.repo_files.yaml_text import dump_document


@dataclass(frozen=True, slots=True)
class NewCycle:
    cycle: str  # YYYY-MM
    theme_title: str
    theme_source: str
    meeting: date
    dates: CycleDates
    learning_themes: tuple[str, ...] = ()
    rationale: str | None = None


def new_cycle_text(new: NewCycle, allocation_lead_days: int, written_by: str = "ehqa cycle new") -> str:
    """The whole file: the editor's schema line first, a short guide, the data, then the
    nominations guide just above ``nominations: []``."""
    body = dump_document(
        {
            "cycle": new.cycle,
            "theme": {
                "title": new.theme_title,
                "source": new.theme_source,
                "learning_themes": list(new.learning_themes) or None,
                "rationale": new.rationale or None,
            },
            "meeting": new.meeting,
            "dates": {
                "allocations_by": new.dates.allocations_by,
                "worker_forms_due": new.dates.worker_forms_due,
                "audits_due": new.dates.audits_due,
            },
        },
        schema_reference("cycle"),
    )
    schema_line, _, data = body.partition("\n")
    header = [
        "#",
        f"# Audit cycle {new.cycle} (R1), written by `{written_by}`. The dates are counted back",
        "# from the QA meeting by the timescales in qa.yaml, and moved earlier where they fell on a",
        "# weekend or a bank holiday. You may move them by hand, within the rules: allocations reach",
        f"# the auditors at least {allocation_lead_days} days before the meeting (R5), Perspective of Worker",
        "# forms are due before the audits (R7), and audits on or before the meeting (R13).",
        "",
    ]
    guide = [
        "",
        "# Nominations (R3). Team managers: add the cases that present this cycle's theme before",
        f"# the allocations go out on {long_date(new.dates.allocations_by)}. Replace the [] below",
        "# with one entry per case, like this (each value but the case reference is an id from",
        "# staff.yaml):",
        "#",
        "# nominations:",
        '#   - case: "1234567"        # the case reference in the case-management system, in quotes',
        "#     practitioner: EH0012   # the practitioner who works the case; they get the worker form (R7)",
        "#     team: eh-north         # the team that holds the case",
        "#     nominated_by: EH0008   # you, the team manager who nominates it",
        "#",
        "# The QA officer adds any re-audit that falls due this cycle (R18) the same way, with",
        "# reaudit_of: YYYY-MM/<case-ref>. Then run `ehqa validate` to check the file.",
        "nominations: []",
    ]
    return "\n".join([schema_line, *header]) + data + "\n".join(guide) + "\n"
