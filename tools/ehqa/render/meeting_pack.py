"""The QA meeting pack (R14): the agenda, each audited case's findings, and what is carried over.

Pure functions: the loaded ``Service`` in, the pack as Markdown and as one self-contained,
printable HTML page out. Nothing here touches the disk or reads the clock; ``ehqa meeting``
writes the files. The same service, cycle, start time and ``as_of`` always give the same bytes.

What the pack holds, in order:

- the agenda: a short opening item, one slot of ``meeting.minutes_per_case`` minutes per
  audited case (R14), then the items carried over from the previous meeting;
- each audited case (by team, then case reference): who worked and audited it, the overall
  and domain grades, strengths first and then areas for development (the guidance's
  positive, restorative principle), the Perspective of Worker form (R7), any safety concern
  (R11), disagreement (R12) and SMART actions (R17), and for a re-audit its outcome against
  the original audit, domain by domain (R18);
- the cases allocated but not yet audited (R13);
- what is carried over from the previous meeting: the Requires Improvement cases' SMART
  actions to review (R17), the reflective discussions and anything new from them (R19), and
  the re-audits completed since (R18); and every follow-up overdue as of ``as_of``, by rule.

The pack names cases, practitioners and auditors: it is for the meeting, never for the
published site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import jinja2

from ..model import Audit, Cycle, Grade, Role, Service, Settings, StaffDirectory
from ..rules.reaudit_outcome import compare, reaudit_outcome

TEMPLATES = Path(__file__).resolve().parent / "templates"
OPENING_MINUTES = 5  # welcome, apologies and the cycle's theme

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_ACTION_STATUS = {"open": "open", "done": "done", "not-met": "not met"}
_REVIEW_OUTCOME = {"findings-upheld": "findings upheld", "findings-revised": "findings revised"}
_ABSENCE = {"annual-leave": "annual leave", "sick-leave": "sick leave", "other": "absent"}
RULE_TITLES = {
    "R10": "Feedback on earlier work to the previous practitioner and team manager",
    "R11": "Immediate safety concerns told to the team manager",
    "R12": "Independent look at disputed findings (Head of Service for QA)",
    "R13": "Audits not yet submitted",
    "R15": "Audit report to the manager and the case note",
    "R16": "Service manager alerted to an Inadequate grade",
    "R17": "Requires Improvement: SMART actions, their review and escalation",
    "R18": "Re-audits of Inadequate cases",
    "R19": "Reflective discussions with the practitioner",
    "R20": "Feedback on the Early Help Assessment",
}


class MeetingPackError(Exception):
    """The repository's data stops the pack being written; the message says what to do."""


# --- the facts the templates show ---------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    start: str  # HH:MM
    end: str
    minutes: int
    title: str
    anchor: str = ""  # the section it points to, in the HTML


@dataclass(frozen=True)
class DomainRow:
    title: str
    grade: str
    reason: str = ""  # why it does not apply


@dataclass(frozen=True)
class WorkerAnswer:
    prompt: str
    answer: str


@dataclass(frozen=True)
class ActionRow:
    action: str
    owner: str
    due: date
    measure: str
    status: str  # "open", "open, overdue", "done 28 October 2026", "not met"


@dataclass(frozen=True)
class DomainOutcome:
    title: str
    before: str
    after: str
    outcome: str  # improved / same / worse / not comparable


@dataclass(frozen=True)
class ReauditView:
    original: str  # YYYY-MM/<case-ref>
    reaudit: str
    found: bool  # the original audit is in the repository
    before: str = ""  # overall grade labels
    after: str = ""
    outcome: str = ""
    domains: tuple[DomainOutcome, ...] = ()

    @property
    def counts(self) -> str:
        """``3 improved, 2 same, 1 worse``: only the outcomes that occur."""
        tally: dict[str, int] = {}
        for row in self.domains:
            tally[row.outcome] = tally.get(row.outcome, 0) + 1
        order = ("improved", "same", "worse", "not comparable")
        return ", ".join(f"{tally[o]} {o}" for o in order if o in tally)


@dataclass(frozen=True)
class CaseSummary:
    number: int
    slot: AgendaItem
    ref: str
    key: str
    team: str
    practitioner: str
    team_manager: str
    auditors: str
    sole_completion: str  # "" unless one auditor completed alone (R13)
    completed: date
    overall: str
    overall_summary: str
    domains: tuple[DomainRow, ...]
    strengths: tuple[str, ...]
    areas_for_development: tuple[str, ...]
    worker_submitted: date | None
    worker_answers: tuple[WorkerAnswer, ...]
    safety_concern: dict | None
    disagreement: dict | None
    actions: tuple[ActionRow, ...]
    assessment: str  # the Early Help Assessment's grade and comments (R20), or ""
    reaudit: ReauditView | None

    auditor_count: int = 2

    @property
    def anchor(self) -> str:
        return f"case-{self.ref}"

    @property
    def auditors_label(self) -> str:
        return "Auditor" if self.auditor_count == 1 else "Auditors"


@dataclass(frozen=True)
class PendingCase:
    ref: str
    team: str
    practitioner: str
    auditors: str
    reaudit_of: str | None
    auditor_count: int = 2

    @property
    def auditors_label(self) -> str:
        return "auditor" if self.auditor_count == 1 else "auditors"


@dataclass(frozen=True)
class Review:
    """A Requires Improvement case of the previous cycle, whose SMART actions this meeting reviews (R17)."""

    key: str
    team: str
    practitioner: str
    team_manager: str
    supervision_note: date | None
    reviewed: date | None
    escalated: date | None
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class Reflection:
    key: str
    team: str
    practitioner: str
    team_manager: str
    overall: str
    held: date | None
    notes: str


@dataclass(frozen=True)
class CompletedReaudit:
    view: ReauditView
    completed: date
    by: str
    team: str


@dataclass(frozen=True)
class OverdueRow:
    case: str  # YYYY-MM/<case-ref>
    what: str
    owner: str
    due: date
    days_overdue: int
    escalate_to: str


@dataclass(frozen=True)
class OverdueGroup:
    rule: str
    title: str
    rows: tuple[OverdueRow, ...]

    @property
    def cases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row.case for row in self.rows))


@dataclass(frozen=True)
class CarriedOver:
    cycle: str | None  # the previous cycle, None when this is the first
    meeting: date | None
    reviews: tuple[Review, ...] = ()
    reflections: tuple[Reflection, ...] = ()
    reaudits: tuple[CompletedReaudit, ...] = ()


@dataclass
class MeetingPack:
    """What ``render_meeting_pack`` produced: files to write (name, text), and warnings."""

    files: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cases: int = 0
    pending: int = 0
    overdue: int = 0


# --- the one entry point ------------------------------------------------------------------


def render_meeting_pack(service: Service, cycle_id: str, as_of: date, start: time) -> MeetingPack:
    """The pack for one cycle's QA meeting: ``meeting-YYYY-MM.md`` and ``meeting-YYYY-MM.html``.

    Raises ``MeetingPackError`` when the data stops it (no such cycle, qa.yaml or staff.yaml
    broken) and ``ValueError`` when the agenda would run past midnight.
    """
    settings, staff = _settings_and_staff(service)
    cycle = _cycle(service, cycle_id)
    names = _Names(staff)
    audits = sorted((a for a in service.audits if a.cycle == cycle_id),
                    key=lambda a: (_team_of(cycle, a.case, staff).casefold(), a.case))
    minutes = settings.minutes_per_case

    clock = _Clock(start)
    agenda = [clock.item(OPENING_MINUTES, "Welcome, apologies and the cycle's theme", "theme")]
    slots = [clock.item(minutes, f"{n}. Case {a.case}: {_team_of(cycle, a.case, staff)}", f"case-{a.case}")
             for n, a in enumerate(audits, 1)]
    agenda += slots
    previous = _previous_cycle(service, cycle_id)
    carried_title = (f"Carried over from the previous meeting (cycle {previous.id}) and overdue follow-ups"
                     if previous else "Overdue follow-ups")
    agenda.append(clock.item(minutes, carried_title, "carried-over"))
    close = clock.close()

    forms = {(f.cycle, f.case): f for f in service.worker_forms}
    by_key = service.audits_by_key()
    cases = [
        _summary(n, slot, audit, cycle, settings, staff, names, forms.get((audit.cycle, audit.case)), by_key, as_of)
        for n, (slot, audit) in enumerate(zip(slots, audits), 1)
    ]
    pending = _pending(service, cycle, staff, names)
    carried = _carried_over(service, previous, cycle, settings, staff, names, by_key, as_of)
    overdue = _overdue(service, as_of, names)

    titles = {t.id: t.title for t in settings.learning_themes}
    allocation = service.allocations.get(cycle_id)
    context = {
        "service_name": settings.service_name,
        "system": settings.case_management_system,
        "cycle": cycle,
        "learning_themes": [titles.get(t, t) for t in cycle.theme_learning
                            if titles.get(t, t).casefold() != cycle.theme_title.casefold()],
        "as_of": as_of,
        "start": agenda[0].start,
        "close": close,
        "minutes_per_case": minutes,
        "agenda": agenda,
        "cases": cases,
        "pending": pending,
        "allocated": allocation is not None,
        "unallocated": allocation.unallocated if allocation else (),
        "carried": carried,
        "overdue": overdue,
        "overdue_total": sum(len(g.rows) for g in overdue),
    }
    env = _environment()
    out = MeetingPack(cases=len(cases), pending=len(pending), overdue=context["overdue_total"])
    out.files.append((f"meeting-{cycle_id}.md", _tidy(env.get_template("meeting/pack.md.j2").render(context))))
    out.files.append((f"meeting-{cycle_id}.html", _tidy(env.get_template("meeting/pack.html.j2").render(context))))
    for audit in audits:
        if cycle.nomination(audit.case) is None:
            out.warnings.append(f"{audit.source}: case {audit.case} was not nominated in {cycle.source}: "
                                "its team and practitioner are unknown (run `ehqa validate`)")
    return out


# --- the agenda ---------------------------------------------------------------------------


class _Clock:
    """Hands out consecutive slots from the start time; refuses to run past midnight."""

    def __init__(self, start: time) -> None:
        self.day = datetime(2000, 1, 1)
        self.now = datetime.combine(self.day.date(), start)

    def item(self, minutes: int, title: str, anchor: str = "") -> AgendaItem:
        begin = self.now
        self.now = begin + timedelta(minutes=minutes)
        if self.now > self.day + timedelta(days=1):
            raise ValueError("the agenda would run past midnight: start the meeting earlier")
        return AgendaItem(_hhmm(begin), _hhmm(self.now), minutes, title, anchor)

    def close(self) -> str:
        return _hhmm(self.now)


def _hhmm(moment: datetime) -> str:
    return "24:00" if moment.date() > datetime(2000, 1, 1).date() else f"{moment.hour:02d}:{moment.minute:02d}"


# --- one audited case ---------------------------------------------------------------------


class _Names:
    """Display names from the staff directory; the id where somebody is not in it."""

    def __init__(self, staff: StaffDirectory) -> None:
        self.staff = staff

    def __call__(self, staff_id: str | None) -> str:
        if not staff_id:
            return ""
        person = self.staff.get(staff_id)
        return person.name if person else staff_id

    def join(self, ids) -> str:
        items = [self(i) for i in ids]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]


def _summary(number: int, slot: AgendaItem, audit: Audit, cycle: Cycle, settings: Settings, staff: StaffDirectory,
             names: _Names, form, by_key: dict[str, Audit], as_of: date) -> CaseSummary:
    nomination = cycle.nomination(audit.case)
    practitioner = nomination.practitioner if nomination else None
    sole = audit.sole_completion
    auditors = tuple(dict.fromkeys(audit.auditors + ((sole.completed_by, sole.absent) if sole else ())))
    concern = audit.safety_concern
    disagreement = audit.disagreement
    review = disagreement.review if disagreement else None
    assessment = audit.assessment
    return CaseSummary(
        number=number,
        slot=slot,
        ref=audit.case,
        key=audit.key,
        team=_team_of(cycle, audit.case, staff),
        practitioner=names(practitioner) or "not recorded (the case was not nominated)",
        team_manager=names(_team_manager(staff, practitioner)) if practitioner else "",
        auditors=names.join(auditors),
        auditor_count=len(auditors),
        sole_completion=(f"{names(sole.completed_by)} completed the audit alone: {names(sole.absent)} was on "
                         f"{_ABSENCE.get(sole.reason, sole.reason)} (R13)" if sole else ""),
        completed=audit.completed,
        overall=_label(settings, audit.overall),
        overall_summary=_text(audit.overall_summary),
        domains=_domain_rows(audit, settings),
        strengths=tuple(_text(s) for s in audit.strengths),
        areas_for_development=tuple(_text(s) for s in audit.areas_for_development),
        worker_submitted=form.submitted if form else None,
        worker_answers=_answers(form, settings) if form else (),
        safety_concern=({"description": _text(concern.description), "identified": concern.identified,
                         "team_manager": names(concern.team_manager), "told": concern.team_manager_told,
                         "action": _text(concern.action_taken)} if concern else None),
        disagreement=({"raised": disagreement.raised, "summary": _text(disagreement.summary),
                       "reviewer": names(review.reviewer) if review else "",
                       "reviewed": review.date if review else None,
                       "outcome": _REVIEW_OUTCOME.get(review.outcome, review.outcome) if review else "",
                       "notes": _text(review.notes) if review else ""} if disagreement else None),
        actions=_actions(audit, names, as_of),
        assessment=(f"{_label(settings, assessment.grade)}" + (f": {_text(assessment.comments)}"
                                                              if assessment.comments else "")
                    if assessment else ""),
        reaudit=_reaudit_view(audit, by_key, settings) if audit.reaudit_of else None,
    )


def _domain_rows(audit: Audit, settings: Settings) -> tuple[DomainRow, ...]:
    titles = _domain_titles(settings, audit.cycle)
    order = list(titles) + [d for d in audit.domains if d not in titles]
    rows = []
    for domain in order:
        judgement = audit.domains.get(domain)
        if judgement is None:
            continue
        rows.append(DomainRow(titles.get(domain, domain), _label(settings, judgement.grade), _text(judgement.reason)))
    return tuple(rows)


def _answers(form, settings: Settings) -> tuple[WorkerAnswer, ...]:
    """The answers in the order of qa.yaml's questions, with their prompts; any other answer after."""
    prompts = {q.id: q.prompt for q in settings.worker_questions}
    order = [q.id for q in settings.worker_questions] + [k for k in form.answers if k not in prompts]
    return tuple(WorkerAnswer(_text(prompts.get(k, k)), _text(form.answers[k]))
                 for k in order if _text(form.answers.get(k, "")))


def _actions(audit: Audit, names: _Names, as_of: date) -> tuple[ActionRow, ...]:
    rows = []
    for action in audit.smart_actions:
        if action.status == "done":
            status = f"done {_day(action.done)}" if action.done else "done"
        elif action.status == "open" and action.due < as_of:
            status = "open, overdue"
        else:
            status = _ACTION_STATUS.get(action.status, action.status)
        rows.append(ActionRow(_text(action.action), names(action.owner), action.due, _text(action.measure), status))
    return tuple(rows)


def _reaudit_view(reaudit: Audit, by_key: dict[str, Audit], settings: Settings) -> ReauditView:
    assert reaudit.reaudit_of is not None
    original = by_key.get(reaudit.reaudit_of)
    if original is None:
        return ReauditView(reaudit.reaudit_of, reaudit.key, found=False, after=_label(settings, reaudit.overall))
    outcome = reaudit_outcome(original, reaudit)
    titles = {**_domain_titles(settings, reaudit.cycle), **_domain_titles(settings, original.cycle)}
    order = list(outcome.domains)
    rows = []
    for domain in order:
        before, after = original.domains.get(domain), reaudit.domains.get(domain)
        rows.append(DomainOutcome(
            title=titles.get(domain, domain),
            before=_label(settings, before.grade) if before else "not audited",
            after=_label(settings, after.grade) if after else "not audited",
            outcome=outcome.domains[domain],
        ))
    return ReauditView(original.key, reaudit.key, found=True, before=_label(settings, original.overall),
                       after=_label(settings, reaudit.overall), outcome=compare(original.overall, reaudit.overall),
                       domains=tuple(rows))


# --- cases still to come (R13) ------------------------------------------------------------


def _pending(service: Service, cycle: Cycle, staff: StaffDirectory, names: _Names) -> tuple[PendingCase, ...]:
    allocation = service.allocations.get(cycle.id)
    if allocation is None:
        return ()
    submitted = {a.case for a in service.audits if a.cycle == cycle.id}
    rows: dict[str, PendingCase] = {}
    for pair in allocation.pairs:
        for case in pair.cases:
            if case in submitted or case in rows:
                continue
            nomination = cycle.nomination(case)
            rows[case] = PendingCase(
                ref=case,
                team=_team_of(cycle, case, staff),
                practitioner=names(nomination.practitioner) if nomination else "not recorded",
                auditors=names.join(pair.auditors),
                auditor_count=len(set(pair.auditors)),
                reaudit_of=nomination.reaudit_of if nomination else None,
            )
    return tuple(sorted(rows.values(), key=lambda p: (p.team.casefold(), p.ref)))


# --- carried over from the previous meeting -----------------------------------------------


def _previous_cycle(service: Service, cycle_id: str) -> Cycle | None:
    earlier = [c for c in service.cycles if c < cycle_id]
    return service.cycles[max(earlier)] if earlier else None


def _carried_over(service: Service, previous: Cycle | None, cycle: Cycle, settings: Settings, staff: StaffDirectory,
                  names: _Names, by_key: dict[str, Audit], as_of: date) -> CarriedOver:
    if previous is None:
        return CarriedOver(cycle=None, meeting=None)
    earlier = sorted((a for a in service.audits if a.cycle == previous.id),
                     key=lambda a: (_team_of(previous, a.case, staff).casefold(), a.case))
    reviews, reflections = [], []
    for audit in earlier:
        nomination = previous.nomination(audit.case)
        practitioner = nomination.practitioner if nomination else None
        team = _team_of(previous, audit.case, staff)
        manager = names(_team_manager(staff, practitioner)) if practitioner else ""
        steps = audit.followup
        if audit.overall is Grade.REQUIRES_IMPROVEMENT:
            reviews.append(Review(audit.key, team, names(practitioner), manager, steps.supervision_note_recorded,
                                  steps.actions_reviewed, steps.escalated_to_senior_management,
                                  _actions(audit, names, as_of)))
        reflections.append(Reflection(audit.key, team, names(practitioner), manager, _label(settings, audit.overall),
                                      steps.reflective_discussion, _text(steps.reflective_notes)))
    reaudits = []
    for audit in service.audits:
        if audit.reaudit_of and previous.meeting < audit.completed <= cycle.meeting:
            reaudit_cycle = service.cycles.get(audit.cycle)
            team = _team_of(reaudit_cycle, audit.case, staff) if reaudit_cycle else ""
            reaudits.append(CompletedReaudit(_reaudit_view(audit, by_key, settings), audit.completed,
                                             names.join(audit.auditors), team))
    reaudits.sort(key=lambda r: (r.completed, r.view.reaudit))
    return CarriedOver(previous.id, previous.meeting, tuple(reviews), tuple(reflections), tuple(reaudits))


def _overdue(service: Service, as_of: date, names: _Names) -> tuple[OverdueGroup, ...]:
    from ..rules.obligations import Obligations, Status

    try:
        found = [o for o in Obligations(service, as_of).all() if o.status is Status.OVERDUE]
    except ValueError as exc:  # the follow-up rules cannot be worked out from this data
        raise MeetingPackError(f"the follow-ups cannot be worked out: {exc}") from None
    groups: dict[str, list[OverdueRow]] = {}
    for item in found:
        case = item.audit.removeprefix("audits/").removesuffix(".yaml")
        owner = names(item.owner) or item.owner_role
        escalate = names(item.escalate_to) if item.escalate_to else ""
        groups.setdefault(item.rule, []).append(
            OverdueRow(case, _text(item.what), owner, item.due, item.days_overdue, escalate))
    return tuple(OverdueGroup(rule, RULE_TITLES.get(rule, rule), tuple(rows))
                 for rule, rows in sorted(groups.items(), key=lambda kv: _rule_number(kv[0])))


def _rule_number(rule: str) -> tuple[int, str]:
    digits = rule.lstrip("R")
    return (int(digits), rule) if digits.isdigit() else (10**6, rule)


# --- gathering the facts ------------------------------------------------------------------


def _settings_and_staff(service: Service) -> tuple[Settings, StaffDirectory]:
    if service.settings is None:
        raise MeetingPackError("qa.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    if service.staff is None:
        raise MeetingPackError("staff.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    return service.settings, service.staff


def _cycle(service: Service, cycle_id: str) -> Cycle:
    cycle_file = f"cycles/{cycle_id}.yaml"
    cycle = service.cycles.get(cycle_id)
    if cycle is None:
        if cycle_file in service.broken:
            raise MeetingPackError(f"{cycle_file} could not be read: run `ehqa validate` and fix it first")
        raise MeetingPackError(f"there is no cycle {cycle_id}: {cycle_file} does not exist")
    return cycle


def _team_of(cycle: Cycle, case: str, staff: StaffDirectory) -> str:
    nomination = cycle.nomination(case)
    if nomination is None:
        return "team not recorded"
    team = staff.teams.get(nomination.team)
    return team.name if team else nomination.team


def _team_manager(staff: StaffDirectory, practitioner: str | None) -> str | None:
    """The first team manager up the practitioner's line-management chain."""
    if not practitioner:
        return None
    for manager in staff.management_chain(practitioner):
        person = staff.get(manager)
        if person is not None and person.role is Role.TEAM_MANAGER:
            return manager
    return None


def _domain_titles(settings: Settings, cycle_id: str) -> dict[str, str]:
    domain_set = settings.domain_set_for(cycle_id)
    return {d.id: d.title for d in domain_set.domains} if domain_set else {}


def _label(settings: Settings, grade: Grade) -> str:
    definition = settings.grades.get(grade)
    if definition is not None:
        return definition.label
    return "Not applicable" if grade is Grade.NOT_APPLICABLE else grade.value


def _text(text: str | None) -> str:
    """Free text on one line: YAML's folded and literal blocks leave line breaks and trailing newlines."""
    return " ".join((text or "").split())


# --- templates ----------------------------------------------------------------------------


def _day(day: date | None) -> str:
    """``16 October 2026``, the same whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}" if day else ""


def _long_date(day: date) -> str:
    """``Thursday 22 October 2026``."""
    return f"{_DAYS[day.weekday()]} {_day(day)}"


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, and one newline at the end."""
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = _day
    env.filters["long_date"] = _long_date
    env.filters["cell"] = _cell
    return env
