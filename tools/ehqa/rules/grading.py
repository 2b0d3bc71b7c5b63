"""Trust in the grades (issue 14): each auditor's own grades before the pair agrees (R8), and the moderation of a
sample of closed audits by someone outside them (R12).

* A ``grades`` record is one auditor's own grade of every domain of the audit and overall, dated no later than the
  agreed audit; one per auditor per audit. With qa.yaml's ``grading.independent: required`` every audit of a cycle
  from ``grading.from_cycle`` on has one from each of its auditors (from the one who completed it, under R13's sole
  completion): GRADES-MISSING.
* ``cycles/YYYY-MM.moderation.yaml`` names closed audits of the cycle, each once, each with a moderator who may
  moderate (``may_moderate``) and was not involved in the case or the audit (``involved``). A ``moderation`` record
  grades every domain of the audit and overall, once per audit.

``involved`` and ``may_moderate`` are the one answer to "who may moderate this audit": ``ehqa moderate`` asks them
too (plan.moderation).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath
from typing import Iterable, Iterator

from ehqa import layout
from ehqa.findings import Finding
from ehqa.model import Audit, Moderation, Nomination, Person, Record, Role, StaffDirectory
from ehqa.rules.base import Context, finding
from ehqa.rules.conflicts import conflicts

MODERATOR_ROLES = frozenset({Role.QA_OFFICER, Role.HEAD_OF_SERVICE_QA})
AUDITED_IT = "audited the case"


def may_moderate(person: Person) -> bool:
    """A QA officer, the Head of Service for QA, or a named moderator (staff.yaml ``moderator: true``)."""
    return person.role in MODERATOR_ROLES or person.moderator


def involved(staff: StaffDirectory, nomination: Nomination | None, auditors: Iterable[str]) -> dict[str, str]:
    """Everyone involved in the case or its audit, each with how: the case's practitioner, their team manager and
    everyone up their line (R6's conflicts), and the audit's auditors. None of them moderates it."""
    found = conflicts(staff, nomination) if nomination is not None else {}
    for auditor in auditors:
        found.setdefault(auditor, AUDITED_IT)
    return found


def audit_people(audit: Audit) -> tuple[str, ...]:
    """Everyone the audit involved: its auditors, and one allocated it who could not take part (R13)."""
    absent = (audit.sole_completion.absent,) if audit.sole_completion is not None else ()
    return tuple(dict.fromkeys((*audit.auditors, *absent)))


def required_graders(audit: Audit) -> tuple[str, ...]:
    """Whose own grades an audit needs: its auditors, or the one who completed it alone (R13)."""
    if audit.sole_completion is not None:
        return (audit.sole_completion.completed_by,)
    return audit.auditors


def check_grading(ctx: Context) -> Iterator[Finding]:
    service = ctx.service
    own: dict[str, list[Record]] = defaultdict(list)
    for record in service.records:
        if record.kind in ("grades", "moderation"):
            own[record.audit_key].append(record)
    for key, records in own.items():
        audit = ctx.audits_by_key.get(key)
        if audit is not None:  # no audit: RECORD-NO-AUDIT says so
            yield from _check_own_grades(sorted(records, key=lambda r: (r.date, r.source)), audit)
    settings = service.settings
    if settings is not None and settings.grading_independent == "required":
        for audit in service.audits:
            if settings.grading_for(audit.cycle) == "required" and audit.source not in service.broken:
                yield from _check_required(audit, own.get(audit.key, []), settings.grading_from_cycle)
    for moderation in service.moderations.values():
        yield from _check_sample(moderation, ctx)


def _check_own_grades(records: list[Record], audit: Audit) -> Iterator[Finding]:
    """Each grades every domain of the audit, and no other; one record per grader and kind; grades no later than
    the audit they lead to."""
    seen: dict[tuple[str, str], str] = {}
    for record in records:
        src, what = record.source, "their own grades" if record.kind == "grades" else "a moderation"
        first = seen.setdefault((record.kind, record.by), src)
        if first != src:
            yield finding("RECORD-GRADES", f"{record.by} has already given {what} of this audit in "
                          f"{PurePosixPath(first).name}: one {record.kind} record per person per audit", src, "by")
        for domain in record.domains:
            if domain not in audit.domains:
                yield finding("RECORD-GRADES", f"the audit has no domain '{domain}': grade the domains of the audit "
                              f"tool it was graded with ({', '.join(audit.domains)})", src, "domains", domain)
        missing = [d for d in audit.domains if d not in record.domains]
        if missing:
            yield finding("RECORD-GRADES", f"grade every domain of the audit, not-applicable where one does not "
                          f"apply: missing {', '.join(missing)}", src, "domains")
        if record.kind == "grades" and record.date > audit.completed:
            yield finding("RECORD-GRADES", f"your own grades are dated {record.date}, after the pair agreed the audit "
                          f"on {audit.completed}: they are made alone, before the pair agrees", src, "date")


def _check_required(audit: Audit, records: list[Record], from_cycle: str | None) -> Iterator[Finding]:
    graded = {r.by for r in records if r.kind == "grades"}
    missing = [who for who in required_graders(audit) if who not in graded]
    if missing:
        since = f" from {from_cycle}" if from_cycle else ""
        folder = layout.records_folder(audit.cycle, audit.case)
        yield finding("GRADES-MISSING", f"qa.yaml asks each auditor for their own grades before the pair agrees "
                      f"(grading.independent: required{since}); none from {', '.join(missing)}: add "
                      f"{folder}/<date>.grades.<staff-id>.yaml (`ehqa new grades`)", audit.source, "auditors")


def _check_sample(moderation: Moderation, ctx: Context) -> Iterator[Finding]:
    service, src = ctx.service, moderation.source
    staff = service.staff
    cycle = service.cycles.get(moderation.cycle)
    expected = layout.moderation_path(moderation.cycle)
    if PurePosixPath(src) != PurePosixPath(expected):
        yield finding("FILE-NAME", f"the moderation sample is for cycle {moderation.cycle}: name it {expected}", src,
                      "cycle")
    if cycle is not None and moderation.drawn <= cycle.meeting:
        yield finding("MODERATION-SAMPLE", f"the sample was drawn on {moderation.drawn}, on or before the QA meeting "
                      f"on {cycle.meeting} that closes the audits: moderate closed audits", src, "drawn")
    seen: set[str] = set()
    for index, sampled in enumerate(moderation.cases):
        audit = ctx.audits_by_key.get(f"{moderation.cycle}/{sampled.case}")
        if sampled.case in seen:
            yield finding("MODERATION-SAMPLE", f"case {sampled.case} is in the sample twice", src, "cases", index,
                          "case")
        seen.add(sampled.case)
        if audit is None:
            yield finding("MODERATION-SAMPLE", f"there is no audit of case {sampled.case} in cycle {moderation.cycle} "
                          "to moderate", src, "cases", index, "case")
            continue
        person = staff.get(sampled.moderator) if staff is not None else None
        if person is None:
            if staff is not None:
                yield finding("REF-PERSON", f"'{sampled.moderator}' is not in staff.yaml", src, "cases", index,
                              "moderator")
            continue
        nomination = cycle.nomination(sampled.case) if cycle is not None else None
        how = involved(staff, nomination, audit_people(audit)).get(person.id)
        if how is not None:
            yield finding("MODERATION-MODERATOR", f"{person.id} {how}, so may not moderate it: a moderator is "
                          "independent of the case and the audit", src, "cases", index, "moderator")
        elif not may_moderate(person):
            yield finding("MODERATION-MODERATOR", f"{person.id} may not moderate: a QA officer, the Head of Service "
                          "for QA or a named moderator (staff.yaml moderator: true) does", src, "cases", index,
                          "moderator")
