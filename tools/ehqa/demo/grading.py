"""The demo's independent grades and moderation (issue 14): how far its graders agree.

* From ``GRADING_FROM`` cycles before the last on (qa.yaml's grading.from_cycle), each auditor of each audit (the one
  who completed it, under R13's sole completion) gives their own grades a few days before the pair agrees. Most
  match the agreed grade; some are one grade away; a few two.
* Each cycle whose QA meeting has passed has a moderation sample of about 10% of its audits
  (``plan.moderation.draw``, as ``ehqa moderate`` draws it, a few days after the meeting), each moderated blind a
  week or two later where that day has come. Moderators are a little more severe than auditors, as inspectors find
  internal audits generous.

Each audit and each cycle has its own ``Random``, keyed by its name, so that the rest of the demo is drawn as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

from ehqa import layout
from ehqa.framework.records import RECORD_KINDS
from ehqa.model import Audit, Cycle, Grade, StaffDirectory
from ehqa.model.enums import DOMAIN_GRADES, OVERALL_GRADES
from ehqa.plan.moderation import ModerationRequest, draw
from ehqa.repo_files.record_file import kind_fields, record_document, record_text
from ehqa.rules.grading import required_graders

GRADING_FROM = 12  # cycles before the last: grading.independent is required from then on
SAMPLE = "10%"
_DOMAIN_SCALE = [g.value for g in DOMAIN_GRADES if g is not Grade.NOT_APPLICABLE]
_OVERALL_SCALE = [g.value for g in OVERALL_GRADES]
# An auditor's own grade against the agreed one: mostly the same, some one grade away, a few two (the literature's
# moderate agreement). A moderator's: a little more severe (a positive step is a worse grade).
AUDITOR_STEPS = ((0, 0.72), (-1, 0.12), (1, 0.12), (-2, 0.02), (2, 0.02))
MODERATOR_STEPS = ((0, 0.58), (1, 0.26), (-1, 0.09), (2, 0.06), (-2, 0.01))
SUMMARIES = (
    "The assessment is thorough and the plan follows from it; the child's voice is recorded but not always acted on.",
    "Direct work is purposeful and well recorded; the plan's actions lack dates, which weakens review.",
    "Agencies share information well; management oversight is recorded but does not always move the case on.",
    "The child is seen regularly and their wishes are clear; the assessment needs updating after the change at home.",
    "Good relationship-based practice; the evidence for the outcomes claimed is thinner than the audit suggests.",
)


@dataclass(frozen=True)
class GradingRecord:
    path: str
    text: str


class Grading:
    def __init__(self, schemas: Path, staff: StaffDirectory, grading_from: str, as_of: date, seed: int) -> None:
        self.staff, self.grading_from, self.as_of, self.seed = staff, grading_from, as_of, seed
        self.orders = {kind.kind: list(kind_fields(schemas, kind.kind)) for kind in RECORD_KINDS}

    def own_grades(self, audit: Audit, allocated: date) -> list[GradingRecord]:
        """Each grader's own grades of an audit of a cycle from ``grading_from`` on, a few days before it."""
        if audit.cycle < self.grading_from:
            return []
        rng = Random(f"ehqa-demo:{self.seed}:grades:{audit.key}")
        found = []
        for by in required_graders(audit):
            day = max(allocated, audit.completed - timedelta(days=rng.randint(0, 4)))
            fields = self._grades(audit, rng, AUDITOR_STEPS)
            found.append(self._record("grades", audit, by, day, fields))
        return found

    def moderation(self, cycle: Cycle, audits: list[Audit]) -> tuple[dict[str, Any] | None, list[GradingRecord]]:
        """The cycle's moderation sample (None when its meeting has not passed or nobody may moderate) and the
        moderations done by ``as_of``."""
        drawn = cycle.meeting + timedelta(days=3)
        if drawn > self.as_of or not audits:
            return None, []
        rng = Random(f"ehqa-demo:{self.seed}:moderation:{cycle.id}")
        seed = rng.randrange(2**31)
        result = draw(ModerationRequest(cycle, tuple((a, a.overall) for a in audits), self.staff, SAMPLE, seed,
                                        drawn))
        if not result.cases:
            return None, []
        document = {"cycle": cycle.id, "seed": seed, "drawn": drawn, "sample": SAMPLE,
                    "cases": [{"case": c.case, "moderator": c.moderator} for c in result.cases]}
        by_case = {a.case: a for a in audits}
        records = []
        for moderated in result.cases:
            day = drawn + timedelta(days=rng.randint(5, 20))
            if day > self.as_of:
                continue  # not moderated yet
            audit = by_case[moderated.case]
            fields = {**self._grades(audit, rng, MODERATOR_STEPS), "summary": rng.choice(SUMMARIES)}
            records.append(self._record("moderation", audit, moderated.moderator, day, fields))
        return document, records

    def _grades(self, audit: Audit, rng: Random, steps) -> dict[str, Any]:
        domains = {}
        for domain, judgement in audit.domains.items():
            grade = judgement.grade.value
            domains[domain] = grade if grade not in _DOMAIN_SCALE else _step(grade, _DOMAIN_SCALE, rng, steps)
        return {"domains": domains, "overall": _step(audit.overall.value, _OVERALL_SCALE, rng, steps)}

    def _record(self, kind: str, audit: Audit, by: str, day: date, fields: dict[str, Any]) -> GradingRecord:
        path = layout.record_path(audit.cycle, audit.case, day.isoformat(), kind, by)
        document = record_document(kind, audit.cycle, audit.case, by, day, fields, self.orders[kind])
        return GradingRecord(path, record_text(document))


def _step(grade: str, scale: list[str], rng: Random, steps) -> str:
    roll, total = rng.random(), 0.0
    for step, chance in steps:
        total += chance
        if roll < total:
            break
    index = min(len(scale) - 1, max(0, scale.index(grade) + step))
    return scale[index]
