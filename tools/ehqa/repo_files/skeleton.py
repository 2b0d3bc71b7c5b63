"""The skeletons ehqa writes for people to fill in: a new audit, audits/YYYY-MM/<case>.yaml, as
``ehqa new audit`` writes it, and a Perspective of Worker form, audits/YYYY-MM/<case>.worker.yaml,
as the notices attach it (R7).

The auditors fill it in, so it explains itself in comments: every domain of the audit tool in
force for the cycle with its prompt (R8), the grades (R9), what good evidence and a publishable
learning excerpt look like (R21), and the optional sections with a line each on when they
apply. What ehqa already knows is filled in: the case, the cycle, the allocated auditors (R4)
and, for a re-audit, the audit it re-audits (R18).

The skeleton is deliberately *not* valid until it is filled in: its grades, evidence and
summary are empty, so ``ehqa validate`` points at each one still to do. Pure: no files read
or written here.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from datetime import date

from ehqa.layout import audit_path, schema_reference
from ehqa.model import Allocation, Cycle, Settings, StaffDirectory, WorkerQuestion
from ehqa.model.enums import DOMAIN_GRADES, OVERALL_GRADES
from ehqa.model.wording import long_date
from ehqa.repo_files.yaml_text import dump_document, schema_line

WIDTH = 100
_DOMAIN_GRADES = ", ".join(g.value for g in DOMAIN_GRADES[:-1]) + f" or {DOMAIN_GRADES[-1].value}"
_OVERALL_GRADES = ", ".join(g.value for g in OVERALL_GRADES[:-1]) + f" or {OVERALL_GRADES[-1].value}"


@dataclass(frozen=True, slots=True)
class SkeletonFacts:
    """What the skeleton is written from: the cycle, its allocation and the service's settings."""

    settings: Settings
    cycle: Cycle
    allocation: Allocation
    case: str
    staff: StaffDirectory | None = None  # for the auditors' names in a comment; optional


def refusal(cycle: Cycle, allocation: Allocation | None, case: str) -> str | None:
    """Why no skeleton can be written for the case in this cycle, or None."""
    if cycle.nomination(case) is None:
        return f"case {case} was not nominated in cycle {cycle.id} (R3): check the case reference, or the cycle"
    if allocation is None:
        return f"cycle {cycle.id} has not been allocated yet (R4): the QA officer runs `ehqa allocate {cycle.id}` first"
    if allocation.pair_for(case) is None:
        left = dict(allocation.unallocated)
        why = f": {left[case]}" if case in left else ""
        return f"case {case} is nominated in cycle {cycle.id} but not allocated to any auditors (R4){why}"
    return None


def audit_skeleton(facts: SkeletonFacts, today: date) -> str:
    """The whole file, the editor's schema line first. Raises ValueError when the case is not
    allocated in the cycle, or no domain set of qa.yaml covers the cycle."""
    problem = refusal(facts.cycle, facts.allocation, facts.case)
    if problem is not None:
        raise ValueError(problem)
    settings, cycle, case = facts.settings, facts.cycle, facts.case
    domain_set = settings.domain_set_for(cycle.id)
    if domain_set is None:
        raise ValueError(f"no domain set in qa.yaml covers cycle {cycle.id}: add one (domain_sets, from_cycle)")
    found = facts.allocation.pair_for(case)
    assert found is not None  # refusal() checked it
    auditors = found[1].auditors
    nomination = cycle.nomination(case)
    assert nomination is not None
    min_words = settings.min_evidence_words

    out: list[str] = [schema_line(schema_reference("audit")).rstrip("\n"), "#"]
    out += _comment(
        f"Case audit of case {case} in cycle {cycle.id} (theme: {cycle.theme_title}), written by "
        f"`ehqa new audit` on {today.isoformat()}. Audits are due by {long_date(cycle.audits_due)} (R13); the QA "
        f"meeting is on {long_date(cycle.meeting)}. Fill in every empty value, then run "
        f"`ehqa validate {audit_path(cycle.id, case)}` until it is clean, and open a pull request."
    )
    out.append("#")
    out += _comment(
        "Write no child's or family member's name, date of birth or address anywhere in this file: "
        "the case is only its reference."
    )
    out.append(f"case: {json.dumps(case)}")
    out.append(f"cycle: {cycle.id}")
    if nomination.reaudit_of:
        out.append(f"reaudit_of: {nomination.reaudit_of}   # R18: the Inadequate audit this re-audit follows up")
    out.append(f"auditors: [{', '.join(auditors)}]   # allocated (R4){_names(facts.staff, auditors)}")
    out.append("completed:   # the day you finished the audit, written YYYY-MM-DD: not in the future (R13)")

    out.append("")
    out += _comment(
        f"The audit tool, version {domain_set.version} (R8). Grade every domain {_DOMAIN_GRADES} (R9), "
        f"with evidence: at least {min_words} words of comments that show what the grade rests on. "
        "Where a domain does not apply to this case, write grade: not-applicable and, in place of "
        "evidence:, reason: saying why."
    )
    out.append("domains:")
    for domain in domain_set.domains:
        out += _comment(f"{domain.title}: {domain.prompt}", indent=2)
        out.append(f"  {domain.id}:")
        out.append("    grade:")
        out.append("    evidence:")

    out.append("")
    out.append("overall:")
    out.append(f"  grade:     # {_OVERALL_GRADES} (R9)")
    out.append("  summary:   # why this grade: the impact of the work, and how well the child's needs were met (R14)")

    out.append("")
    out += _comment("Strengths and good practice (R8): at least one, a line each. Reports lead with these.")
    out.append("strengths:")
    out.append("  -")
    out += _comment("Areas for development (R8, R14): what would make the practice better. Delete the "
                    "section if there are none.")
    out.append("areas_for_development:")
    out.append("  -")

    out.append("")
    out += _comment("What others can learn from this case (R21, R22).")
    out.append("learning:")
    out += _comment(_themes_guide(settings, cycle), indent=2)
    out.append("  themes: []")
    out += _comment(
        "A short excerpt for the learning site, 20 to 600 characters. It is published to every member of "
        "staff, so anonymise it: no names, case references, dates or places. Say what others can learn, "
        "not whom to blame.",
        indent=2,
    )
    out.append("  excerpt:")

    out.append("")
    out += _optional_sections(auditors)
    return "\n".join(out) + "\n"


def _optional_sections(auditors: tuple[str, ...]) -> list[str]:
    rule = "# " + "-" * (WIDTH - 2)
    out = [rule, "# Only where they apply: remove the leading '# ' from a section's lines and fill it in.", rule]
    if len(auditors) > 1:
        me, other = auditors[0], auditors[1]
        out += [
            "#",
            "# One auditor completed the audit alone, the other being on leave or sick (R13).",
            "# sole_completion:",
            f"#   completed_by: {me:<14}# the auditor who completed it",
            f"#   absent: {other:<20}# the auditor who could not take part",
            "#   reason: sick-leave          # annual-leave, sick-leave or other",
        ]
    out += [
        "#",
        "# An immediate concern for a child's safety (R11): make sure the team manager is told at once;",
        "# the audit never delays safeguarding action.",
        "# safety_concern:",
        "#   description:",
        "#   identified:                 # YYYY-MM-DD, the day you found it",
        "#   team_manager:               # staff id of the team manager you told",
        "#   team_manager_told:          # YYYY-MM-DD, the same day",
        "#",
        "# SMART actions agreed by the team manager and practitioner (R17): at least one when the",
        "# overall grade is requires-improvement.",
        "# smart_actions:",
        "#   - action:                   # what is to be done: specific and achievable",
        "#     owner:                    # staff id of the person who owns it",
        "#     due:                      # YYYY-MM-DD",
        "#     measure:                  # how success is measured",
        "#     status: open",
        "#",
        "# Strengths or concerns in earlier work by a previous practitioner or team, fed back to them (R10).",
        "# previous_work_feedback:",
        "#   - team:                     # team id of the previous team",
        "#     practitioner:             # their staff id, where they still work here",
        "#     kind:                     # strength, concern or requires-improvement",
        "#     summary:",
        "#",
        "# The quality of the Early Help Assessment (R20); feedback goes back to its practitioner.",
        "# assessment:",
        f"#   grade:                     # {_DOMAIN_GRADES}",
        "#   comments:",
        "#",
        "# You and the team manager disagree about the findings (R12): the Head of Service for QA",
        "# takes an independent look.",
        "# disagreement:",
        "#   raised:                     # YYYY-MM-DD",
        "#   summary:                    # what is disputed, in a few sentences",
    ]
    return out


def _themes_guide(settings: Settings, cycle: Cycle) -> str:
    vocabulary = "; ".join(f"{t.id} ({t.title})" for t in settings.learning_themes)
    text = "One or more learning-theme ids, as [id, id]."
    if cycle.theme_learning:
        text += f" This cycle's theme covers {', '.join(cycle.theme_learning)}."
    return text + f" The themes in qa.yaml: {vocabulary}."


def _names(staff: StaffDirectory | None, ids: tuple[str, ...]) -> str:
    if staff is None:
        return ""
    names = [staff.get(i).name for i in ids if staff.get(i) is not None]
    return ": " + " and ".join(names) if len(names) == len(ids) else ""


def _comment(text: str, indent: int = 0) -> list[str]:
    pad = " " * indent + "# "
    flat = " ".join(text.split())
    return textwrap.wrap(flat, WIDTH, initial_indent=pad, subsequent_indent=pad,
                         break_long_words=False, break_on_hyphens=False) or [pad.rstrip()]


def worker_skeleton(case: str, cycle: str, practitioner: str, due: date, questions: tuple[WorkerQuestion, ...]) -> str:
    """A ready-to-fill ``audits/YYYY-MM/<case>.worker.yaml``: each answer is ``""`` under its question."""
    schema = schema_reference("worker")
    head = dump_document({"case": case, "cycle": cycle, "practitioner": practitioner, "submitted": due}, schema)
    lines = head.rstrip("\n").split("\n")
    lines[-1] += "  # change to the day you send the form back"
    lines.append("answers:  # replace each \"\" with your answer; please name no child or family member")
    for question in questions:
        for part in textwrap.wrap(" ".join(question.prompt.split()), width=94):
            lines.append(f"  # {part}")
        body = dump_document({question.id: ""}, schema).split("\n", 1)[1].rstrip("\n")
        lines.append(f"  {body}")
    return "\n".join(lines) + "\n"

