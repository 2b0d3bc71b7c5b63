"""The moderation draw (issue 14, R12): a seeded sample of a cycle's closed audits, stratified by overall grade, each
given to a moderator who was not involved in the case or the audit.

Pure: the audits, the staff and the seed in, the sample out; ``repo_files.moderation_file`` reads and writes.

* The sample size is a number of audits (``3``) or a share of the closed audits (``10%``, rounded up, at least one).
* Stratified: the audits are grouped by their overall grade as it stands (R12's review counts), and each grade gets
  its share of the sample (largest remainders, ties broken by the seed), so that the sample's grades look like the
  cycle's; within a grade the audits are drawn at random.
* Each sampled audit goes to an eligible moderator (``rules.grading.may_moderate``: a QA officer, the Head of
  Service for QA or a named moderator), in service on the day and not absent, and never one involved in the case
  or the audit (``rules.grading.involved``); of those, the one with the fewest so far, ties broken by the seed.
  An audit nobody may moderate stops the draw (MODERATION-MODERATOR).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from datetime import date

from ehqa.model import Audit, Cycle, Grade, StaffDirectory
from ehqa.model.enums import OVERALL_GRADES
from ehqa.rules.grading import audit_people, involved, may_moderate

SAMPLE = re.compile(r"(?P<number>[1-9][0-9]{0,3})|(?P<share>[1-9][0-9]?|100)%")


@dataclass(frozen=True, slots=True)
class ModerationRequest:
    cycle: Cycle
    audits: tuple[tuple[Audit, Grade], ...]  # the cycle's closed audits, each with its overall grade as it stands
    staff: StaffDirectory
    sample: str  # "3" or "10%"
    seed: int
    drawn: date


@dataclass(frozen=True, slots=True)
class Moderated:
    case: str
    moderator: str
    grade: Grade  # the stratum: never shown or written, for whoever runs the draw may be a moderator


@dataclass(frozen=True, slots=True)
class ModerationDraw:
    cycle: str
    seed: int
    sample: str
    drawn: date
    closed: int  # how many closed audits it drew from
    cases: tuple[Moderated, ...]
    nobody: tuple[tuple[str, str], ...] = field(default=())  # (case, why) for sampled audits nobody may moderate

    @property
    def complete(self) -> bool:
        return not self.nobody

    def as_json(self) -> dict:
        return {"cycle": self.cycle, "seed": self.seed, "sample": self.sample, "drawn": self.drawn.isoformat(),
                "closed_audits": self.closed,
                "cases": [{"case": c.case, "moderator": c.moderator} for c in self.cases],  # no grade: blind
                "no_moderator": [{"case": case, "reason": why} for case, why in self.nobody]}


def sample_size(sample: str, population: int) -> int:
    """How many of ``population`` audits ``sample`` (``3`` or ``10%``) draws: a share rounded up, at least one, and
    never more than there are. Raises ValueError on a size in neither form."""
    match = SAMPLE.fullmatch(sample.strip())
    if match is None:
        raise ValueError(f"sample size {sample!r}: give a number of audits (3) or a share of them (10%)")
    if population == 0:
        return 0
    wanted = int(match["number"]) if match["number"] else math.ceil(population * int(match["share"]) / 100)
    return max(1, min(population, wanted))


def draw(request: ModerationRequest) -> ModerationDraw:
    rng = random.Random(request.seed)
    size = sample_size(request.sample, len(request.audits))
    strata: dict[Grade, list[Audit]] = {}
    for audit, grade in sorted(request.audits, key=lambda item: item[0].case):
        strata.setdefault(grade, []).append(audit)
    chosen: list[tuple[Audit, Grade]] = []
    for grade, count in _shares(strata, size, rng).items():
        chosen += [(audit, grade) for audit in sorted(rng.sample(strata[grade], count), key=lambda a: a.case)]
    load: dict[str, int] = {}
    cases, nobody = [], []
    for audit, grade in chosen:
        eligible = _eligible(request, audit)
        if not eligible:
            nobody.append((audit.case, f"nobody may moderate case {audit.case}: every QA officer, the Head of Service "
                           "for QA and named moderator was involved in the case or the audit, is absent or has left"))
            continue
        least = min(load.get(p, 0) for p in eligible)
        moderator = rng.choice([p for p in eligible if load.get(p, 0) == least])
        load[moderator] = load.get(moderator, 0) + 1
        cases.append(Moderated(audit.case, moderator, grade))
    return ModerationDraw(request.cycle.id, request.seed, request.sample, request.drawn, len(request.audits),
                          tuple(cases), tuple(nobody))


def _shares(strata: dict[Grade, list[Audit]], size: int, rng: random.Random) -> dict[Grade, int]:
    """Each grade's share of ``size``: proportional, the remainder to the largest fractions (ties by the seed)."""
    total = sum(len(audits) for audits in strata.values())
    if total == 0:
        return {}
    exact = {grade: size * len(audits) / total for grade, audits in strata.items()}
    shares = {grade: int(value) for grade, value in exact.items()}
    order = sorted(strata, key=lambda g: (-(exact[g] - shares[g]), rng.random()))
    for grade in order[: size - sum(shares.values())]:
        shares[grade] += 1
    return {grade: shares[grade] for grade in OVERALL_GRADES if shares.get(grade)}


def _eligible(request: ModerationRequest, audit: Audit) -> list[str]:
    staff, day = request.staff, request.drawn
    out = involved(staff, request.cycle.nomination(audit.case), audit_people(audit))
    return sorted(p.id for p in staff.people.values()
                  if may_moderate(p) and p.id not in out and p.available(day, day))
