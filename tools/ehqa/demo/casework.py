"""Audits and Perspective of Worker forms for the demo.

Grades follow a realistic mix (about 10% outstanding, 50% good, 30% requires
improvement, 8% inadequate and 2% inadequate – critical), domain grades correlate with
the overall grade, and the follow-up (R15–R19) is mostly complete, with a few steps left
open for good so that there is always something overdue to chase. Nothing is dated after
``as_of``. The follow-up is drawn as the fields audits had before records; ``records``
takes it out of the audit and writes it as the follow-up records that say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any

import ehqa.demo.dates as dates
import ehqa.demo.learning_points as points
import ehqa.demo.narrative as text
import ehqa.demo.wording as wording
from ehqa.demo.cycles import CyclePlan, reaudit_window
from ehqa.demo.people import DemoStaff
from ehqa.demo.settings import NA_ELIGIBLE
from ehqa.model import Nomination
from ehqa.model.cycle_dates import shift_cycle

O, G, R, I, C = "outstanding", "good", "requires-improvement", "inadequate", "inadequate-critical"
SCALE = (O, G, R, I)
ORIGINAL_MIX = ((O, 10), (G, 50), (R, 30), (I, 8), (C, 2))
REAUDIT_MIX = ((O, 5), (G, 50), (R, 37), (I, 8))
DOMAIN_SHIFT = {O: ((0, 60), (1, 40)), G: ((-1, 15), (0, 65), (1, 20)), R: ((-1, 25), (0, 55), (1, 20)), I: ((-1, 35), (0, 65))}
THEME_FOR_DOMAIN = {
    "voice-of-child": "voice-of-child",
    "multi-agency": "multi-agency-working",
    "management-oversight": "management-oversight",
}


@dataclass(frozen=True)
class AuditRecord:
    """What later cycles need to know about an audit (re-audits, R18)."""

    cycle: str
    case: str
    practitioner: str
    team: str
    completed: date
    grade: str

    @property
    def key(self) -> str:
        return f"{self.cycle}/{self.case}"


@dataclass(frozen=True)
class SoleCompletion:
    completed_by: str
    absent: str
    reason: str


READING_DAYS = timedelta(days=3)  # auditors read the file and the worker's form before they finish


class Casework:
    def __init__(self, rng: Random, staff: DemoStaff, as_of: date, domains: list[str], questions: list[str], themes: list[str]) -> None:
        self.rng = rng
        self.staff = staff
        self.as_of = as_of
        self.domains = domains
        self.questions = questions
        self.themes = set(themes)
        # The excerpts' words, from random numbers of their own seeded by the demo's (drawing none of them).
        self.excerpts = wording.Excerpts(repr(rng.getstate()[1][:8]), points.LEARNING)

    # --- the audit ----------------------------------------------------------------------

    def audit(
        self,
        plan: CyclePlan,
        nomination: Nomination,
        auditors: list[str],
        sole: SoleCompletion | None,
        original: AuditRecord | None,
    ) -> tuple[dict[str, Any], AuditRecord] | None:
        """The audit of one allocated case, or None when it is not completed by ``as_of``."""
        rng = self.rng
        if original is not None:
            window = reaudit_window(original.completed, plan)
            if window is None:
                return None
            start, end = max(window[0], plan.allocated + READING_DAYS), window[1]
        else:
            start, end = plan.allocated + READING_DAYS, plan.audits_due
        completed = dates.working_day_between(rng, start, end)
        if completed is None or completed > self.as_of:
            return None
        grade = _weighted(rng, REAUDIT_MIX if original is not None else ORIGINAL_MIX)
        domains = self._domains(grade)
        graded = {d: j["grade"] for d, j in domains.items() if j["grade"] != "not-applicable"}
        best = sorted(graded, key=lambda d: (SCALE.index(graded[d]), rng.random()))
        worst = best[::-1]
        summaries = text.REAUDIT_SUMMARIES if original is not None else text.SUMMARIES
        manager = self.staff.directory.team_manager_of(nomination).id  # whom a safety concern is told (R11)
        record = {
            "case": nomination.case,
            "cycle": plan.id,
            "reaudit_of": original.key if original is not None else None,
            "auditors": list(auditors),
            "sole_completion": (
                {"completed_by": sole.completed_by, "absent": sole.absent, "reason": sole.reason} if sole else None
            ),
            "completed": completed,
            "domains": domains,
            "overall": {"grade": grade, "summary": rng.choice(summaries[grade])},
            "strengths": self._strengths(grade, best),
            "areas_for_development": self._development(grade, worst) or None,
            "learning": self._learning(plan, grade, worst),
            "safety_concern": self._safety(plan, grade, completed, manager),
            "previous_work_feedback": self._previous_work(nomination, grade, completed),
            "assessment": self._assessment(domains["assessment"]["grade"] if "assessment" in domains else G, completed),
            "disagreement": None,
            "smart_actions": self._smart_actions(plan, grade, worst, nomination, manager),
            "followup": None,
            "amendments": None,
        }
        self._disagreement(record, plan, completed)
        record["followup"] = self._followup(plan, grade, completed, record["smart_actions"]) or None
        return record, AuditRecord(plan.id, nomination.case, nomination.practitioner, nomination.team, completed, grade)

    def _domains(self, grade: str) -> dict[str, dict[str, Any]]:
        rng = self.rng
        base = I if grade == C else grade
        result: dict[str, dict[str, Any]] = {}
        for domain in self.domains:
            if domain in NA_ELIGIBLE and rng.random() < 0.03:
                result[domain] = {"grade": "not-applicable", "reason": rng.choice(wording.NOT_APPLICABLE[domain])}
                continue
            shift = _weighted(rng, DOMAIN_SHIFT[base])
            domain_grade = SCALE[min(3, max(0, SCALE.index(base) + shift))]
            result[domain] = {"grade": domain_grade, "evidence": self._evidence(domain, domain_grade)}
        graded = [d for d, j in result.items() if j["grade"] != "not-applicable"]
        ranks = [SCALE.index(result[d]["grade"]) for d in graded]
        if graded and not min(ranks) <= SCALE.index(base) <= max(ranks):
            # Every domain shifted the same way: the overall grade would sum up none of them (AUDIT-OVERALL, R8).
            # One domain takes the overall grade; drawn only then, so the seed's demo stays as it was.
            domain = rng.choice(graded)
            result[domain] = {"grade": base, "evidence": self._evidence(domain, base)}
        return result

    def _evidence(self, domain: str, grade: str) -> str:
        rng = self.rng
        first, second = rng.sample(wording.FINDINGS[domain][grade], 2)
        if rng.random() < 0.35 and first.startswith(("The ", "There ")):
            first = f"{rng.choice(wording.LEAD_INS)} {first[0].lower()}{first[1:]}"
        parts = [first]
        if rng.random() < 0.4:
            parts.append(second)
        if rng.random() < 0.7 or sum(len(p.split()) for p in parts) < 14:
            parts.append(rng.choice(wording.CLOSERS[grade]))
        return " ".join(parts)

    def _strengths(self, grade: str, best: list[str]) -> list[str]:
        count = {O: 3, G: self.rng.choice((2, 3)), R: self.rng.choice((1, 2)), I: 1, C: 1}[grade]
        return [self.rng.choice(text.STRENGTHS[d]) for d in best[:count]]

    def _development(self, grade: str, worst: list[str]) -> list[str]:
        count = {O: self.rng.choice((0, 0, 1)), G: self.rng.choice((0, 1, 2)), R: self.rng.choice((1, 2, 3)), I: 3, C: 3}[grade]
        return [self.rng.choice(text.DEVELOPMENT[d]) for d in worst[:count]]

    def _learning(self, plan: CyclePlan, grade: str, worst: list[str]) -> dict[str, Any]:
        rng = self.rng
        cycle_themes = [t for t in plan.theme.get("learning_themes", []) if t in self.themes]
        themes = rng.sample(cycle_themes, rng.randint(1, len(cycle_themes))) if cycle_themes else []
        extra = THEME_FOR_DOMAIN.get(worst[0]) if grade not in (O, G) and worst else None
        if extra is None and rng.random() < 0.3:
            extra = rng.choice(sorted(self.themes))
        if extra and extra not in themes:
            themes.append(extra)
        themes = themes[:3] or [rng.choice(sorted(self.themes))]
        # The draws the demo made when an excerpt was an opener and one of two sentences a theme: the same, so
        # that every other field of the demo stays as it was. The words are dealt by ``self.excerpts``.
        rng.randrange(len(points.LEARNING_OPENERS[I if grade == C else grade]))
        for _ in themes[:2]:
            rng.randrange(2)
        sentences = [self.excerpts.sentence(t) for t in themes[:2] if t in self.excerpts.decks]
        return {"themes": themes, "excerpt": " ".join(sentences)[:600]}

    def _safety(self, plan: CyclePlan, grade: str, completed: date, manager: str) -> dict[str, Any] | None:
        rng = self.rng
        chance = {C: 1.0, I: 0.15, R: 0.03, G: 0.01, O: 0.0}[grade]
        if rng.random() >= chance:
            return None
        identified = dates.working_day_between(rng, plan.allocated + timedelta(days=1), completed) or completed
        told = identified
        if rng.random() < 0.2 and dates.add_working_days(identified, 1) <= self.as_of:
            told = dates.add_working_days(identified, 1)
        return {
            "description": rng.choice(text.SAFETY_CONCERNS),
            "identified": identified,
            "team_manager": manager,
            "team_manager_told": told,
            "action_taken": rng.choice(text.SAFETY_ACTIONS) if rng.random() < 0.75 else None,
        }

    def _previous_work(self, nomination: Nomination, grade: str, completed: date) -> list[dict[str, Any]] | None:
        rng = self.rng
        if rng.random() >= 0.08 or len(self.staff.casework_teams) < 2:
            return None
        team = rng.choice([t for t in self.staff.casework_teams if t != nomination.team])
        kind = rng.choice(("strength", "strength") if grade in (O, G) else ("concern", "requires-improvement", "strength"))
        holders = [h for h in self.staff.caseholders[team] if self.staff.left.get(h, date.max) > completed]
        fed_back = _workday(completed + timedelta(days=rng.randint(1, 10)))
        return [
            {
                "practitioner": rng.choice(holders) if holders and rng.random() < 0.7 else None,
                "team": team,
                "kind": kind,
                "summary": rng.choice(text.PREVIOUS_WORK[kind]),
                "fed_back": fed_back if fed_back <= self.as_of and rng.random() < 0.8 else None,
            }
        ]

    def _assessment(self, domain_grade: str, completed: date) -> dict[str, Any] | None:
        rng = self.rng
        if rng.random() >= 0.85:
            return None
        grade = domain_grade if domain_grade == "not-applicable" or rng.random() < 0.8 else (
            SCALE[min(3, max(0, SCALE.index(domain_grade) + rng.choice((-1, 1))))]
        )
        returned = dates.add_working_days(completed, rng.randint(1, 8))
        informed = dates.add_working_days(completed, rng.randint(0, 2))
        return {
            "grade": grade,
            "comments": rng.choice(text.ASSESSMENT_COMMENTS[grade]),
            "feedback_returned": returned if grade != "not-applicable" and returned <= self.as_of and rng.random() < 0.9 else None,
            "manager_informed": informed if grade == I and informed <= self.as_of and rng.random() < 0.92 else None,
        }

    def _disagreement(self, record: dict[str, Any], plan: CyclePlan, completed: date) -> None:
        rng = self.rng
        if rng.random() >= 0.025:
            return
        raised = _workday(completed + timedelta(days=rng.randint(1, 7)))
        if raised > self.as_of:
            return
        review = None
        reviewed = dates.add_working_days(raised, rng.randint(3, 12))
        if reviewed <= self.as_of and rng.random() < 0.85:
            outcome = "findings-upheld" if rng.random() < 0.7 else "findings-revised"
            review = {"reviewer": self.staff.head_of_qa, "date": reviewed, "outcome": outcome, "notes": rng.choice(text.REVIEW_NOTES[outcome])}
            if outcome == "findings-revised" and reviewed > plan.meeting:
                record["amendments"] = [{"by": self.staff.head_of_qa, "date": reviewed, "why": rng.choice(text.AMENDMENTS)}]
        record["disagreement"] = {"raised": raised, "summary": rng.choice(text.DISAGREEMENTS), "review": review}

    def _smart_actions(
        self, plan: CyclePlan, grade: str, worst: list[str], nomination: Nomination, manager: str
    ) -> list[dict[str, Any]] | None:
        rng = self.rng
        if grade not in (R, I, C):
            return None
        count = rng.choice((1, 2, 2, 3)) if grade == R else rng.choice((1, 2))
        actions = []
        for domain in (worst or self.domains)[:count]:
            action, measure = rng.choice(text.SMART[domain])
            due = _workday(plan.meeting + timedelta(days=rng.randint(14, 56)))
            owner = nomination.practitioner if rng.random() < 0.6 and self.staff.left.get(nomination.practitioner, date.max) > due else manager
            status, done = "open", None
            roll = rng.random()
            if due <= self.as_of:
                if roll < 0.78:
                    status, done = "done", dates.working_day_between(rng, plan.meeting + timedelta(days=1), due)
                elif roll < 0.9:
                    status = "not-met"
            elif roll < 0.25 and plan.meeting < self.as_of:
                status, done = "done", dates.working_day_between(rng, plan.meeting + timedelta(days=1), self.as_of)
            actions.append({"action": action, "owner": owner, "due": due, "measure": measure, "status": status, "done": done})
        return actions

    def _followup(self, plan: CyclePlan, grade: str, completed: date, actions: list[dict[str, Any]] | None) -> dict[str, Any]:
        """R15–R19: most steps done a few working days after the meeting; a few never done."""
        rng, as_of, meeting = self.rng, self.as_of, plan.meeting

        def when(day: date, skip: float) -> date | None:
            return day if day <= as_of and rng.random() >= skip else None

        follow: dict[str, Any] = {}
        if grade in (I, C):
            follow["service_manager_alerted"] = when(dates.add_working_days(completed, rng.choice((0, 0, 1))), 0.04)
        if meeting > as_of:
            return {k: v for k, v in follow.items() if v is not None}
        report = when(dates.add_working_days(meeting, rng.randint(1, 3)), 0.02)
        casenote = when(dates.add_working_days(report, rng.randint(0, 1)), 0.03) if report else None
        follow = {"report_sent_to_manager": report, "casenote_recorded": casenote, **follow}
        if grade == R:
            follow["supervision_note_recorded"] = when(_workday(meeting + timedelta(days=rng.randint(3, 14))), 0.08)
            next_meeting = dates.meeting_date(shift_cycle(plan.id, 1))
            follow["actions_reviewed"] = when(next_meeting, 0.1)
            unmet = any(a["status"] == "not-met" or (a["status"] == "open" and a["due"] < next_meeting) for a in actions or [])
            if unmet and rng.random() < 0.5:
                follow["escalated_to_senior_management"] = when(dates.add_working_days(next_meeting, rng.randint(1, 5)), 0.0)
        discussion = when(_workday(meeting + timedelta(days=rng.randint(2, 21))), 0.1)
        follow["reflective_discussion"] = discussion
        if discussion and rng.random() < 0.2:
            follow["reflective_notes"] = rng.choice(text.REFLECTIVE_NOTES)
        order = (
            "report_sent_to_manager", "casenote_recorded", "service_manager_alerted", "supervision_note_recorded",
            "actions_reviewed", "escalated_to_senior_management", "reflective_discussion", "reflective_notes",
        )
        return {k: follow[k] for k in order if follow.get(k) is not None}

    # --- the worker form ----------------------------------------------------------------

    def worker_form(self, plan: CyclePlan, nomination: Nomination) -> dict[str, Any] | None:
        """The Perspective of Worker form (R7) for most nominated cases; some never come back."""
        rng = self.rng
        if rng.random() >= 0.88:
            return None
        submitted = dates.working_day_between(rng, plan.allocated, plan.worker_forms_due)
        if submitted is None or submitted > self.as_of:
            return None
        answers = {}
        for question in self.questions:
            bank = text.WORKER_ANSWERS.get(question) or ["No further comments."]
            answers[question] = " ".join(rng.sample(bank, min(len(bank), rng.choice((1, 1, 2)))))
        return {
            "case": nomination.case,
            "cycle": plan.id,
            "practitioner": nomination.practitioner,
            "submitted": submitted,
            "answers": answers,
        }


def _workday(day: date) -> date:
    """The day itself, or the next working day."""
    return dates.add_working_days(day, 0)


def _weighted(rng: Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    total = sum(weight for _, weight in choices)
    roll = rng.random() * total
    for value, weight in choices:
        roll -= weight
        if roll < 0:
            return value
    return choices[-1][0]
