"""Rules on cycles and their allocations (R1–R7, R18)."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import PurePosixPath
from typing import Iterator

from ehqa import layout
from ehqa.findings import Finding
from ehqa.model import Allocation, Cycle, Nomination, Person, Role, Settings, StaffDirectory
from ehqa.model.cycle_dates import cycle_of
from ehqa.model.wording import a, day
from ehqa.rules.base import Context, finding
from ehqa.rules.conflicts import conflict_reason
from ehqa.rules.obligations import reaudit_window, regraded_by


def check_cycles(ctx: Context) -> Iterator[Finding]:
    service = ctx.service
    settings, staff = service.settings, service.staff
    case_pattern = case_pattern_of(settings)
    for cycle in service.cycles.values():
        yield from _check_cycle(cycle, ctx, settings, staff, case_pattern)
    for allocation in service.allocations.values():
        yield from _check_allocation(allocation, ctx, settings, staff)


def case_pattern_of(settings: Settings | None) -> re.Pattern[str] | None:
    try:
        return re.compile(settings.case_reference_pattern) if settings else None
    except re.error:
        return None  # reported by SETTINGS-CASE-PATTERN


def check_case_reference(pattern: re.Pattern[str] | None, case: str, file: str, *where: str | int) -> Iterator[Finding]:
    if pattern is not None and not pattern.fullmatch(case):
        yield finding(
            "CASE-REFERENCE",
            f"case reference '{case}' does not match the service's pattern {pattern.pattern}",
            file,
            *where,
        )


def check_team(staff: StaffDirectory, team: str, file: str, *where: str | int) -> Iterator[Finding]:
    """REF-TEAM: a team id that staff.yaml does not have, with the nearest one it has, or the ones it has."""
    if team in staff.teams:
        return
    known = sorted(staff.teams)
    words = set(team.split("-"))  # eh-north for eh-0-11-north: every word of it in the id
    near = [t for t in known if words <= set(t.split("-"))][:3] or difflib.get_close_matches(team, known, 1, 0.75)
    tip = (f"; did you mean {' or '.join(repr(t) for t in near)}?" if near
           else f"; its teams: {', '.join(known[:8])}{' …' if len(known) > 8 else ''}" if known else "")
    yield finding("REF-TEAM", f"team '{team}' is not in staff.yaml{tip}", file, *where)


def check_person(
    staff: StaffDirectory | None, staff_id: str, file: str, *where: str | int, roles: frozenset[Role] | None = None,
    rule: str = "", doing: str = "",
) -> Iterator[Finding]:
    """The person exists and, when ``roles`` is given, holds one of them (reported under ``rule``)."""
    if staff is None:
        return
    person = staff.get(staff_id)
    if person is None:
        yield finding("REF-PERSON", f"'{staff_id}' is not in staff.yaml", file, *where)
    elif roles is not None and person.role not in roles:
        allowed = ", ".join(sorted(r.value for r in roles))
        yield finding(rule, f"{staff_id} is {a(person.role.value)}, and {doing} must be one of: {allowed}", file, *where)


def _check_cycle(
    cycle: Cycle, ctx: Context, settings: Settings | None, staff: StaffDirectory | None,
    case_pattern: re.Pattern[str] | None,
) -> Iterator[Finding]:
    src = cycle.source
    if PurePosixPath(src).stem != cycle.id:
        yield finding("FILE-NAME", f"the file is named {PurePosixPath(src).name} but holds cycle {cycle.id}", src, "cycle")
    if cycle_of(cycle.meeting) != cycle.id:
        yield finding("CYCLE-DATES", f"cycle {cycle.id}'s QA meeting ({cycle.meeting}) is in another month; one cycle a month (R1)", src, "meeting")
    lead = settings.timescales.allocation_lead_days if settings else 14
    if (cycle.meeting - cycle.allocations_by).days < lead:
        yield finding(
            "CYCLE-LEAD-TIME",
            f"allocations_by {cycle.allocations_by} is {(cycle.meeting - cycle.allocations_by).days} days before the "
            f"meeting on {cycle.meeting}; allocations must reach auditors at least {lead} days before",
            src,
            "dates",
            "allocations_by",
        )
    if not cycle.allocations_by <= cycle.worker_forms_due:
        yield finding("CYCLE-DATES", "worker forms fall due before the allocations go out", src, "dates", "worker_forms_due")
    if not cycle.worker_forms_due <= cycle.audits_due:
        yield finding("CYCLE-DATES", "worker forms must be due on or before the audits, so auditors can read them (R7)", src, "dates", "worker_forms_due")
    if not cycle.audits_due <= cycle.meeting:
        yield finding("CYCLE-DATES", f"audits are due ({cycle.audits_due}) after the QA meeting ({cycle.meeting})", src, "dates", "audits_due")
    if settings:
        for index, theme in enumerate(cycle.theme_learning):
            if theme not in settings.theme_ids:
                yield finding("REF-THEME", f"learning theme '{theme}' is not in qa.yaml's learning_themes", src, "theme", "learning_themes", index)
    seen: set[str] = set()
    for index, nomination in enumerate(cycle.nominations):
        at = ("nominations", index)
        yield from check_case_reference(case_pattern, nomination.case, src, *at, "case")
        if nomination.case in seen:
            yield finding("CYCLE-DUPLICATE-CASE", f"case {nomination.case} is nominated twice in cycle {cycle.id}", src, *at, "case")
        seen.add(nomination.case)
        if staff is not None:
            yield from check_team(staff, nomination.team, src, *at, "team")
            if settings:
                yield from check_person(staff, nomination.practitioner, src, *at, "practitioner",
                                        roles=settings.roles.caseholder_roles, rule="ROLE-CASEHOLDER",
                                        doing="the practitioner who works a case")
                yield from check_person(staff, nomination.nominated_by, src, *at, "nominated_by",
                                        roles=settings.roles.nominator_roles, rule="ROLE-NOMINATOR",
                                        doing="whoever nominates a case")
            yield from check_nomination_people(staff, cycle, nomination, src, *at)
        if nomination.reaudit_of is not None:
            yield from check_reaudit_target(ctx, nomination.reaudit_of, nomination.case, cycle.id, src, *at, "reaudit_of")
            yield from _reaudit_before_its_window(ctx, nomination.reaudit_of, cycle, src, *at, "reaudit_of")


def check_nomination_people(
    staff: StaffDirectory, cycle: Cycle, nomination: Nomination, file: str, *at: str | int
) -> Iterator[Finding]:
    """R3: a case is nominated under its practitioner's team, by a team manager of that team. R7: its
    practitioner is in post to fill in the worker form: not gone, nor away for the whole time the form
    is open (from allocations_by to worker_forms_due)."""
    practitioner = staff.get(nomination.practitioner)
    known = nomination.team in staff.teams  # an unknown team is REF-TEAM's, a person's STAFF-UNKNOWN-TEAM's
    if practitioner is not None and known and practitioner.team in staff.teams and practitioner.team != nomination.team:
        yield finding("NOMINATION-TEAM", f"{practitioner.id} is in team {practitioner.team}, but the case is "
                      f"nominated under {nomination.team}: nominate it under {practitioner.team}", file, *at, "team")
    nominator = staff.get(nomination.nominated_by)
    if (nominator is not None and nominator.role is Role.TEAM_MANAGER and known and nominator.team in staff.teams
            and nominator.team != nomination.team):
        yield finding("NOMINATION-TEAM", f"{nominator.id} manages team {nominator.team} and nominates a case of "
                      f"{nomination.team}: a team's cases are nominated by its own team manager", file, *at,
                      "nominated_by")
    if practitioner is None:
        return
    opens, closes = cycle.allocations_by, cycle.worker_forms_due
    if not practitioner.in_service_on(opens):
        yield finding("NOMINATION-UNAVAILABLE", f"{practitioner.id} left the service on {practitioner.left}, before "
                      f"this cycle's allocations go out ({opens}): nobody can fill in their worker form; "
                      "nominate a case of someone in post", file, *at, "practitioner")
    elif not can_fill_in_the_form(practitioner, opens, closes):
        yield finding("NOMINATION-UNAVAILABLE", f"{practitioner.id} is away or leaves for the whole time the worker "
                      f"form is open ({opens} to {closes}): nobody can fill it in; nominate a case of someone "
                      "in post", file, *at, "practitioner")


def can_fill_in_the_form(practitioner: Person, opens: date, closes: date) -> bool:
    """R7: in post when the allocations go out (``opens``), and not away for the whole time the Perspective of
    Worker form is open, to ``closes``. NOMINATION-UNAVAILABLE asks it; the demo generator too."""
    return practitioner.in_service_on(opens) and (
        opens > closes or any(practitioner.available(day, day) for day in _days(opens, closes)))


def _days(first: date, last: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


def check_reaudit_target(ctx: Context, target_key: str, case: str, cycle: str, file: str, *where: str | int) -> Iterator[Finding]:
    """R18: a re-audit follows an earlier Inadequate or Inadequate – Critical audit of the same case, graded so by its
    auditors or on review (``Service.effective_grades``, R12)."""
    target_cycle, _, target_case = target_key.partition("/")
    if layout.audit_path_of_key(target_key) in ctx.service.broken:
        return
    target = ctx.audits_by_key.get(target_key)
    if target is None:
        yield finding("REAUDIT-TARGET", f"there is no audit {target_key} to re-audit", file, *where)
    elif target_case != case:
        yield finding("REAUDIT-TARGET", f"{target_key} is an audit of another case, not {case}", file, *where)
    elif target_cycle >= cycle:
        yield finding("REAUDIT-TARGET", f"a re-audit comes after the audit it checks, but {target_key} is not earlier than {cycle}", file, *where)
    elif not target.overall.is_inadequate:
        # Graded Inadequate by the auditors, or on review (R12): a re-audit that followed the audit's own grade
        # stays valid when a later review revises it away from Inadequate.
        grades = ctx.service.effective_grades(target, ctx.as_of)
        if grades.overall.is_inadequate:
            return
        revised = f", {grades.overall.value} on review" if grades.revised else ""
        yield finding(
            "REAUDIT-TARGET",
            f"{target_key} was graded {target.overall.value}{revised}; only Inadequate or Inadequate – Critical audits "
            "are re-audited",
            file,
            *where,
        )


def _reaudit_before_its_window(ctx: Context, target_key: str, cycle: Cycle, file: str,
                                *where: str | int) -> Iterator[Finding]:
    """R18: the re-audit is 2–3 months after the audit (or the review, R12) that graded the case Inadequate, so
    the cycle that nominates it must not be a month before the month that window opens in. Cycles are monthly:
    the cycle of that month may have its audits due a few days before the window opens, and that is allowed."""
    target, settings = ctx.audits_by_key.get(target_key), ctx.service.settings
    if target is None or settings is None or target.cycle >= cycle.id:
        return  # REAUDIT-TARGET says what is wrong
    times = settings.timescales
    if times.reaudit_earliest_months > times.reaudit_latest_months:
        return  # SETTINGS-TIMESCALES says what is wrong
    grades = ctx.service.effective_grades(target, ctx.as_of)
    if not grades.overall.is_inadequate:
        return
    review = regraded_by(target, grades)
    graded_on = review.date if review else target.completed
    opens, _ = reaudit_window(graded_on, settings.timescales)
    if cycle.id < cycle_of(opens):
        yield finding(
            "REAUDIT-EARLY",
            f"the re-audit of {target_key} is nominated in {cycle.id}, before the month R18's window opens in: "
            f"{day(opens)}, {times.reaudit_earliest_months}–{times.reaudit_latest_months} months after it was graded "
            f"{settings.grade_label(grades.overall)} on {day(graded_on)}; nominate it in {cycle_of(opens)} or later (`ehqa reaudits` "
            "lists those due)",
            file,
            *where,
        )


def _line_manager_pairs(auditors: tuple[str, ...], cycle: Cycle, as_of: date, settings: Settings,
                        staff: StaffDirectory, src: str, at: tuple) -> Iterator[Finding]:
    """R4 as ``ehqa allocate`` draws it: no pair holds a line manager and their direct report (unless
    ``allocation.pair_line_managers``), so a hand-edited allocation is held to the same. Only for a cycle whose
    meeting is today or later: staff.yaml says who manages whom now, not when a past cycle was allocated."""
    if settings.pair_line_managers or cycle.meeting < as_of:
        return
    for number, auditor_id in enumerate(auditors):
        person = staff.get(auditor_id)
        if person is not None and person.line_manager in auditors:
            yield finding("ALLOC-LINE-MANAGER", f"{person.line_manager} is the line manager of {auditor_id}, and "
                          "they are paired; pair each with someone else, or set allocation.pair_line_managers in "
                          "qa.yaml", src, *at, "auditors", number)


def allocation_late(cycle: Cycle, allocated: date) -> bool:
    """R5: an allocation made after the cycle's allocations_by date reaches auditors less than
    allocation_lead_days before the meeting (CYCLE-LEAD-TIME checks the date itself)."""
    return allocated > cycle.allocations_by


def _check_allocation(
    allocation: Allocation, ctx: Context, settings: Settings | None, staff: StaffDirectory | None
) -> Iterator[Finding]:
    service, src = ctx.service, allocation.source
    expected = PurePosixPath(src).name.removesuffix(".allocation.yaml")
    if expected != allocation.cycle:
        yield finding("FILE-NAME", f"the file is named for cycle {expected} but holds cycle {allocation.cycle}", src, "cycle")
    cycle = service.cycles.get(allocation.cycle)
    if cycle is None:
        if layout.cycle_path(allocation.cycle) not in service.broken:
            yield finding("ALLOC-CYCLE", f"there is no cycle file {layout.cycle_path(allocation.cycle)} for this allocation", src, "cycle")
        return
    if allocation_late(cycle, allocation.allocated) and not allocation.late_reason:
        yield finding(
            "ALLOC-LATE",
            f"allocated on {allocation.allocated}, after the cycle's allocations_by date {cycle.allocations_by}; "
            "if it could not go out sooner, say why under late_reason (`ehqa allocate --late-reason`)",
            src,
            "allocated",
        )
    sole_absent = {
        (a.case, a.sole_completion.absent) for a in ctx.audits_by_cycle.get(allocation.cycle, ()) if a.sole_completion
    }
    # An audit that could not be loaded may record a sole completion (R13): do not guess that it does not.
    unread = {n.case for n in cycle.nominations if layout.audit_path(allocation.cycle, n.case) in service.broken}
    placed_cases: set[str] = set()
    placed_auditors: set[str] = set()
    for index, pair in enumerate(allocation.pairs):
        at = ("pairs", index)
        nominations = []
        for number, case in enumerate(pair.cases):
            nomination = cycle.nomination(case)
            if nomination is None:
                yield finding("ALLOC-NOT-NOMINATED", f"case {case} was not nominated in cycle {cycle.id}", src, *at, "cases", number)
            else:
                nominations.append(nomination)
            if case in placed_cases:
                yield finding("ALLOC-DUPLICATE", f"case {case} is allocated twice", src, *at, "cases", number)
            placed_cases.add(case)
        reaudit = bool(nominations) and all(n.reaudit_of for n in nominations)
        if len(pair.auditors) == 1 and not reaudit:
            yield finding("ALLOC-PAIR-SIZE", "auditors work in pairs; one auditor alone is only for a senior manager's re-audit", src, *at, "auditors")
        for number, auditor_id in enumerate(pair.auditors):
            where = (*at, "auditors", number)
            if auditor_id in placed_auditors:
                yield finding("ALLOC-DUPLICATE", f"{auditor_id} is in two pairs of cycle {cycle.id}", src, *where)
            placed_auditors.add(auditor_id)
            if staff is None or settings is None:
                continue
            person = staff.get(auditor_id)
            if person is None:
                yield finding("REF-PERSON", f"'{auditor_id}' is not in staff.yaml", src, *where)
                continue
            if not person.auditor or person.role not in settings.roles.auditor_roles:
                yield finding("ROLE-AUDITOR", f"{auditor_id} ({person.role.value}) is not in the auditor pool", src, *where)
            if not person.available(allocation.allocated, cycle.audits_due) and not any(
                (n.case, auditor_id) in sole_absent or n.case in unread for n in nominations
            ):
                yield finding(
                    "ALLOC-UNAVAILABLE",
                    f"{auditor_id} is absent or has left during the audit window "
                    f"{allocation.allocated}–{cycle.audits_due}",
                    src,
                    *where,
                )
            for nomination in nominations:
                reason = conflict_reason(staff, auditor_id, nomination, exclude_own_team=settings.exclude_own_team)
                if reason:
                    yield finding("CONFLICT-OF-INTEREST", f"case {nomination.case}: {auditor_id} {reason}", src, *where)
        if staff is not None and settings is not None:
            yield from _line_manager_pairs(pair.auditors, cycle, ctx.as_of, settings, staff, src, at)
        if reaudit and staff is not None and settings is not None:
            seniors = [a for a in pair.auditors if (p := staff.get(a)) and p.role in settings.roles.senior_manager_roles]
            if not seniors:
                yield finding("REAUDIT-SENIOR", "a re-audit is allocated to a senior manager, and this pair has none", src, *at, "auditors")
    for number, (case, _reason) in enumerate(allocation.unallocated):
        if case in placed_cases:
            yield finding("ALLOC-DUPLICATE", f"case {case} is both allocated and listed as unallocated", src, "unallocated", number, "case")
    listed = placed_cases | {case for case, _reason in allocation.unallocated}
    missing = [n.case for n in cycle.nominations if n.case not in listed]
    if missing:
        yield finding(
            "ALLOC-MISSING",
            f"nominated but neither allocated nor listed as unallocated: {', '.join(missing)}; "
            f"run `ehqa allocate {cycle.id} --force` again",
            src,
            "pairs",
        )
