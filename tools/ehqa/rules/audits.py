"""Rules on audits and Perspective of Worker forms (R1, R3–R4, R6–R8, R11–R13, R17–R18)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath
from typing import Iterator

from ehqa import layout
from ehqa.findings import Finding
from ehqa.model import Audit, Grade, Role, Service, Settings, WorkerForm
from ehqa.model.enums import OVERALL_GRADES
from ehqa.rules.base import Context, finding
from ehqa.rules.conflicts import conflict_reason
from ehqa.rules.cycles import (
    case_pattern_of,
    check_case_reference,
    check_person,
    check_reaudit_target,
    check_team,
)
from ehqa.rules.evidence import evidence_problem


def check_audits(ctx: Context) -> Iterator[Finding]:
    service = ctx.service
    case_pattern = case_pattern_of(service.settings)
    by_key: dict[str, list[Audit]] = defaultdict(list)
    for audit in service.audits:
        by_key[audit.key].append(audit)
    for key, audits in by_key.items():
        for duplicate in audits[1:]:
            yield finding("AUDIT-DUPLICATE", f"case {duplicate.case} already has an audit in cycle {duplicate.cycle}: {audits[0].source}", duplicate.source, "case")
    for audit in service.audits:
        yield from check_case_reference(case_pattern, audit.case, audit.source, "case")
        yield from _check_placement(audit, ctx)
        yield from _check_people(audit, ctx)
        if service.settings is not None:
            yield from _check_content(audit, service.settings)
        yield from _check_dates(audit, ctx)
        if audit.reaudit_of is not None:
            yield from check_reaudit_target(ctx, audit.reaudit_of, audit.case, audit.cycle, audit.source, "reaudit_of")
    for form in service.worker_forms:
        yield from _check_worker_form(form, service)
        if form.submitted > ctx.as_of:  # R7: a form records what the practitioner has given, not what they will
            yield finding("WORKER-FORM", f"the form is dated {form.submitted}, after today ({ctx.as_of}): date it "
                          "the day the practitioner gave it", form.source, "submitted")


def _check_file_name(source: str, expected: str, case: str, cycle: str) -> Iterator[Finding]:
    """The file is where ``layout`` puts what it holds: ``expected``."""
    path, want = PurePosixPath(source), PurePosixPath(expected)
    if path.name != want.name:
        yield finding("FILE-NAME", f"the file is named {path.name} but holds case {case}; name it {want.name}", source, "case")
    if path.parent.name != cycle:
        yield finding("FILE-NAME", f"the file is in folder {path.parent.name} but holds cycle {cycle}; move it to {want.parent}/", source, "cycle")


def _check_placement(audit: Audit, ctx: Context) -> Iterator[Finding]:
    """The audit's cycle exists, its case was nominated and allocated there, to these auditors (R1, R3, R4, R13)."""
    service, src = ctx.service, audit.source
    yield from _check_file_name(src, layout.audit_path(audit.cycle, audit.case), audit.case, audit.cycle)
    cycle = service.cycles.get(audit.cycle)
    if cycle is None:
        if layout.cycle_path(audit.cycle) not in service.broken:
            yield finding("AUDIT-CYCLE", f"there is no cycle {audit.cycle} ({layout.cycle_path(audit.cycle)})", src, "cycle")
        return
    nomination = cycle.nomination(audit.case)
    if nomination is None:
        yield finding("AUDIT-NOMINATED", f"case {audit.case} was not nominated in cycle {audit.cycle}", src, "case")
        return
    allocation = service.allocations.get(audit.cycle)
    if allocation is None:
        if layout.allocation_path(audit.cycle) not in service.broken:
            yield finding("AUDIT-ALLOCATED", f"cycle {audit.cycle} has no allocation yet ({layout.allocation_path(audit.cycle)})", src, "case")
        return
    placed = allocation.pair_for(audit.case)
    if placed is None:
        yield finding("AUDIT-ALLOCATED", f"case {audit.case} is not allocated to any pair in cycle {audit.cycle}", src, "case")
        return
    _, pair = placed
    yield from _check_auditors(audit, set(pair.auditors))
    if service.staff is not None and service.settings is not None:
        for index, auditor_id in enumerate(audit.auditors):
            reason = conflict_reason(service.staff, auditor_id, nomination, exclude_own_team=service.settings.exclude_own_team)
            if reason:
                yield finding("CONFLICT-OF-INTEREST", f"case {audit.case}: {auditor_id} {reason}", src, "auditors", index)


def _check_auditors(audit: Audit, allocated: set[str]) -> Iterator[Finding]:
    src, sole = audit.source, audit.sole_completion
    named = set(audit.auditors)
    if sole is None:
        if named != allocated:
            yield finding(
                "AUDIT-AUDITORS",
                f"the auditors {_names(named)} are not the allocated pair {_names(allocated)}; "
                "if one auditor completed alone, record sole_completion",
                src,
                "auditors",
            )
        return
    if sole.completed_by == sole.absent:
        yield finding("AUDIT-AUDITORS", "sole_completion names the same person as completing and absent", src, "sole_completion")
    for role, staff_id in (("completed_by", sole.completed_by), ("absent", sole.absent)):
        if staff_id not in allocated:
            yield finding("AUDIT-AUDITORS", f"sole_completion.{role} {staff_id} was not allocated this case", src, "sole_completion", role)
    if not named <= allocated or sole.completed_by not in named:
        yield finding("AUDIT-AUDITORS", f"the auditors {_names(named)} are not the allocated pair {_names(allocated)}", src, "auditors")


def _check_people(audit: Audit, ctx: Context) -> Iterator[Finding]:
    src, staff, settings = audit.source, ctx.service.staff, ctx.service.settings
    refs: list[tuple[str, tuple]] = [(a, ("auditors", i)) for i, a in enumerate(audit.auditors)]
    if audit.sole_completion:
        refs += [(audit.sole_completion.completed_by, ("sole_completion", "completed_by")),
                 (audit.sole_completion.absent, ("sole_completion", "absent"))]
    refs += [(a.owner, ("smart_actions", i, "owner")) for i, a in enumerate(audit.smart_actions)]
    refs += [(f.practitioner, ("previous_work_feedback", i, "practitioner"))
             for i, f in enumerate(audit.previous_work_feedback) if f.practitioner]
    refs += [(a.by, ("amendments", i, "by")) for i, a in enumerate(audit.amendments)]
    for staff_id, where in refs:
        yield from check_person(staff, staff_id, src, *where)
    if staff is not None:
        for index, feedback in enumerate(audit.previous_work_feedback):
            yield from check_team(staff, feedback.team, src, "previous_work_feedback", index, "team")
    if audit.safety_concern:
        yield from _check_told(audit, ctx)
    if audit.disagreement and audit.disagreement.review:
        yield from check_person(staff, audit.disagreement.review.reviewer, src, "disagreement", "review", "reviewer",
                                roles=frozenset({Role.HEAD_OF_SERVICE_QA}), rule="ROLE-REVIEWER",
                                doing="the independent reviewer")
    if audit.reaudit_of and staff is not None and settings is not None:
        completing = [audit.sole_completion.completed_by] if audit.sole_completion else list(audit.auditors)
        if not any((p := staff.get(a)) and p.role in settings.roles.senior_manager_roles for a in completing):
            yield finding("REAUDIT-SENIOR", f"a re-audit is done by a senior manager, and {', '.join(completing)} is not one", src, "auditors")


def _check_told(audit: Audit, ctx: Context) -> Iterator[Finding]:
    """R11: a safety concern is told to the team manager of the case's practitioner, or to someone above
    them in the line (an area or service manager), never to another team's manager."""
    concern, staff, src = audit.safety_concern, ctx.service.staff, audit.source
    assert concern is not None
    told = concern.team_manager
    cycle = ctx.service.cycles.get(audit.cycle)
    nomination = cycle.nomination(audit.case) if cycle is not None else None
    if staff is None or staff.get(told) is None or nomination is None:
        yield from check_person(staff, told, src, "safety_concern", "team_manager", roles=frozenset({Role.TEAM_MANAGER}),
                                rule="ROLE-TEAM-MANAGER", doing="whoever is told of a safety concern")
        return
    manager = staff.team_manager_of(nomination)
    line = (manager.id, *staff.management_chain(manager.id)) if manager else staff.management_chain(nomination.practitioner)
    if told not in line:
        whom = f"{manager.id}, the team manager of {nomination.practitioner}," if manager else "a line manager"
        yield finding("ROLE-TEAM-MANAGER", f"{told} is not in the line of case {audit.case}'s practitioner "
                      f"{nomination.practitioner}: tell {whom} or someone above them ({', '.join(line) or 'nobody'})",
                      src, "safety_concern", "team_manager")


def _check_content(audit: Audit, settings: Settings) -> Iterator[Finding]:
    src = audit.source
    domain_set = settings.domain_set_for(audit.cycle)
    if domain_set is None:
        yield finding("AUDIT-DOMAINS", f"no domain set in qa.yaml applies to cycle {audit.cycle}", src, "domains")
    else:
        known = domain_set.ids
        missing = [d for d in known if d not in audit.domains]
        if missing:
            yield finding(
                "AUDIT-DOMAINS",
                f"domains not completed: {', '.join(missing)}; grade each, or mark it not-applicable with a reason",
                src,
                "domains",
            )
        for key in audit.domains:
            if key not in known:
                yield finding(
                    "AUDIT-DOMAINS",
                    f"'{key}' is not a domain of the audit tool (version {domain_set.version}) in force for {audit.cycle}",
                    src,
                    "domains",
                    key,
                )
    for key, judgement in audit.domains.items():
        if judgement.grade is not Grade.NOT_APPLICABLE:
            problem = evidence_problem(judgement.evidence, settings.min_evidence_words)
            if problem:
                yield finding("AUDIT-EVIDENCE", f"domain '{key}': {problem}", src, "domains", key, "evidence")
    for index, theme in enumerate(audit.learning_themes):
        if theme not in settings.theme_ids:
            yield finding("REF-THEME", f"learning theme '{theme}' is not in qa.yaml's learning_themes", src, "learning", "themes", index)
    yield from _check_overall_range(audit)
    concern = audit.safety_concern
    if concern is not None and concern.team_manager_told < concern.identified:
        yield finding(
            "AUDIT-SAFETY-CONCERN",
            f"the team manager was told ({concern.team_manager_told}) before the concern was identified ({concern.identified})",
            src,
            "safety_concern",
            "team_manager_told",
        )


def _check_overall_range(audit: Audit) -> Iterator[Finding]:
    """R8, R9: the overall grade sums up the domains. One better than the best domain or worse than the worst
    needs a written reason (``overall.reason``); Inadequate – Critical counts as Inadequate here."""
    rank = {grade: OVERALL_GRADES.index(grade) for grade in OVERALL_GRADES}
    rank[Grade.INADEQUATE_CRITICAL] = rank[Grade.INADEQUATE]
    graded = [j.grade for j in audit.domains.values() if j.grade in rank]
    if not graded or audit.overall_reason.strip():
        return
    best, worst = min(graded, key=rank.__getitem__), max(graded, key=rank.__getitem__)
    if rank[best] <= rank[audit.overall] <= rank[worst]:
        return
    side = f"better than the best domain grade ({best.value})" if rank[audit.overall] < rank[best] else \
        f"worse than the worst domain grade ({worst.value})"
    yield finding("AUDIT-OVERALL", f"the overall grade {audit.overall.value} is {side}: give the reason in "
                  "overall.reason, or grade overall within the domains' range", audit.source, "overall", "grade")


def _check_dates(audit: Audit, ctx: Context) -> Iterator[Finding]:
    """R13: completed within the cycle, not in the future, not before allocation; the record is in order."""
    src, as_of = audit.source, ctx.as_of
    if audit.completed > as_of:
        yield finding("AUDIT-DATES", f"completed {audit.completed} is in the future (as of {as_of})", src, "completed")
    allocation = ctx.service.allocations.get(audit.cycle)
    if allocation is not None and audit.completed < allocation.allocated:
        yield finding("AUDIT-DATES", f"completed {audit.completed} is before the case was allocated on {allocation.allocated}", src, "completed")
    steps = audit.followup
    for name in ("report_sent_to_manager", "casenote_recorded", "service_manager_alerted",
                 "supervision_note_recorded", "actions_reviewed", "escalated_to_senior_management",
                 "reflective_discussion"):
        when = getattr(steps, name)
        if when is not None and when > as_of:
            yield finding("AUDIT-DATES", f"followup.{name} {when} is in the future (as of {as_of})", src, "followup", name)
    concern = audit.safety_concern
    if concern is not None and concern.team_manager_told > as_of:
        yield finding("AUDIT-DATES", f"the team manager cannot have been told in the future ({concern.team_manager_told})", src, "safety_concern", "team_manager_told")
    for index, action in enumerate(audit.smart_actions):
        if action.done is not None and action.done > as_of:
            yield finding("AUDIT-DATES", f"SMART action {index + 1} is marked done in the future ({action.done})", src, "smart_actions", index, "done")


def _check_worker_form(form: WorkerForm, service: Service) -> Iterator[Finding]:
    src = form.source
    yield from _check_file_name(src, layout.worker_path(form.cycle, form.case), form.case, form.cycle)
    yield from check_person(service.staff, form.practitioner, src, "practitioner")
    cycle = service.cycles.get(form.cycle)
    nomination = cycle.nomination(form.case) if cycle else None
    if cycle is not None and nomination is None:
        yield finding("WORKER-FORM", f"case {form.case} was not nominated in cycle {form.cycle}", src, "case")
    elif nomination is not None and nomination.practitioner != form.practitioner:
        yield finding(
            "WORKER-FORM",
            f"the form is from {form.practitioner}, but case {form.case}'s practitioner is {nomination.practitioner}",
            src,
            "practitioner",
        )
    if service.settings is not None:
        questions = {q.id for q in service.settings.worker_questions}
        for key in form.answers:
            if key not in questions:
                yield finding("WORKER-FORM", f"'{key}' is not a question of the worker form in qa.yaml", src, "answers", key)


def _names(ids: set[str]) -> str:
    return " and ".join(sorted(ids)) or "nobody"
