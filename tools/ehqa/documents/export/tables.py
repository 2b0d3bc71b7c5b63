"""The export's tables of who, when and what was audited: teams, staff, cycles, nominations, the allocations
(pairs and cases), audits with their effective grades, and domain grades. ``followup_tables`` builds the rest.

Each builder is a pure function of an ``Export``: the loaded service, the cycles chosen and the day the export
is as of. Lists are joined with "; " in a cell; an audit's strengths and areas for development, one a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ehqa.documents.export.fields import BOOLEAN, DATE, INTEGER, Field, ForeignKey, Table
from ehqa.model import Audit, Cycle, EffectiveGrades, Service

JOIN = "; "
EFFECTIVE = (
    "As it stands on the export's as-of date: the audit's own, or the latest review's that revised it "
    "(R12), the grade every ehqa output uses."
)


@dataclass
class Export:
    """What the export covers: ``cycles`` (their ids, oldest first) of ``service``, as of ``as_of``."""

    service: Service
    cycles: tuple[str, ...]
    as_of: date
    audits: list[Audit] = field(init=False)
    _grades: dict[str, EffectiveGrades] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        chosen = set(self.cycles)
        by_key = self.service.audits_by_key()  # the first file wins where two claim one key
        self.audits = sorted((a for a in by_key.values() if a.cycle in chosen), key=lambda a: (a.cycle, a.case))

    def cycle(self, cycle_id: str) -> Cycle:
        return self.service.cycles[cycle_id]

    def grades(self, audit: Audit) -> EffectiveGrades:
        """``Service.effective_grades`` as of the export's day, worked out once per audit."""
        if audit.key not in self._grades:
            self._grades[audit.key] = self.service.effective_grades(audit, self.as_of)
        return self._grades[audit.key]


def _joined(values) -> str | None:
    return JOIN.join(values) or None


def teams(export: Export) -> Table:
    staff = export.service.staff
    rows = [(t.id, t.name) for t in staff.teams.values()] if staff else []
    return Table(
        "teams",
        "Teams",
        "The service's teams, from staff.yaml.",
        (Field("team", source="staff:teams[].id", required=True), Field("name", source="staff:teams[].name")),
        ("team",),
        rows=rows,
    )


def staff(export: Export) -> Table:
    directory = export.service.staff
    rows = [
        (p.id, p.name, p.role.value, p.team, p.line_manager, p.auditor, p.left)
        for p in (directory.people.values() if directory else ())
    ]
    return Table(
        "staff",
        "Staff",
        "Everyone in staff.yaml: how the other tables' staff ids are named.",
        (
            Field("staff_id", source="staff:staff[].id", required=True),
            Field("name", source="staff:staff[].name"),
            Field("role", source="staff:staff[].role"),
            Field("team", source="staff:staff[].team"),
            Field("line_manager", source="staff:staff[].line_manager"),
            Field("auditor", BOOLEAN, source="staff:staff[].auditor"),
            Field("left", DATE, source="staff:staff[].left"),
        ),
        ("staff_id",),
        (ForeignKey(("team",), "teams", ("team",)),),
        rows,
    )


def cycles(export: Export) -> Table:
    audited: dict[str, int] = {}
    for audit in export.audits:
        audited[audit.cycle] = audited.get(audit.cycle, 0) + 1
    rows = []
    for cycle_id in export.cycles:
        c, allocation = export.cycle(cycle_id), export.service.allocations.get(cycle_id)
        rows.append(
            (
                c.id,
                c.theme_title,
                c.theme_source,
                _joined(c.theme_learning),
                c.meeting,
                c.allocations_by,
                c.worker_forms_due,
                c.audits_due,
                allocation.allocated if allocation else None,
                allocation.seed if allocation else None,
                allocation.late_reason if allocation else None,
                len({n.case for n in c.nominations}),
                audited.get(c.id, 0),
            )
        )
    return Table(
        "cycles",
        "Audit cycles",
        "One row per monthly audit cycle (R1) in the export's period, with its allocation.",
        (
            Field("cycle", source="cycle:cycle", required=True),
            Field("theme", source="cycle:theme.title"),
            Field("theme_source", source="cycle:theme.source"),
            Field("learning_themes", source="cycle:theme.learning_themes", note="Joined with '; '."),
            Field("meeting", DATE, source="cycle:meeting"),
            Field("allocations_by", DATE, source="cycle:dates.allocations_by"),
            Field("worker_forms_due", DATE, source="cycle:dates.worker_forms_due"),
            Field("audits_due", DATE, source="cycle:dates.audits_due"),
            Field("allocated", DATE, source="allocation:allocated", note="Empty while the cycle is not yet allocated."),
            Field("allocation_seed", INTEGER, source="allocation:seed"),
            Field("late_reason", source="allocation:late_reason"),
            Field("nominated", INTEGER, note="How many cases were nominated for the cycle (R3), re-audits included."),
            Field("audited", INTEGER, note="How many audits of the cycle are in the repository."),
        ),
        ("cycle",),
        rows=rows,
    )


def nominations(export: Export) -> Table:
    rows = []
    for cycle_id in export.cycles:
        seen: set[str] = set()
        for n in export.cycle(cycle_id).nominations:
            if n.case not in seen:  # a case nominated twice: the first stands, as everywhere in ehqa
                seen.add(n.case)
                rows.append((cycle_id, n.case, n.practitioner, n.team, n.nominated_by, n.reaudit_of))
    return Table(
        "nominations",
        "Nominations",
        "One row per case nominated for a cycle (R3), re-audits (R18) included.",
        (
            Field("cycle", source="cycle:cycle", required=True),
            Field("case", source="cycle:nominations[].case", required=True),
            Field("practitioner", source="cycle:nominations[].practitioner"),
            Field("team", source="cycle:nominations[].team"),
            Field("nominated_by", source="cycle:nominations[].nominated_by"),
            Field("reaudit_of", source="cycle:nominations[].reaudit_of"),
        ),
        ("cycle", "case"),
        (
            ForeignKey(("cycle",), "cycles", ("cycle",)),
            ForeignKey(("practitioner",), "staff", ("staff_id",)),
            ForeignKey(("team",), "teams", ("team",)),
        ),
        rows,
    )


def allocation_pairs(export: Export) -> Table:
    rows = []
    for cycle_id in export.cycles:
        allocation = export.service.allocations.get(cycle_id)
        for number, pair in enumerate(allocation.pairs if allocation else (), 1):
            rows.extend((cycle_id, number, auditor) for auditor in dict.fromkeys(pair.auditors))
    return Table(
        "allocation_pairs",
        "Auditor pairs",
        "One row per auditor of each pair the allocation drew (R4, R6).",
        (
            Field("cycle", source="allocation:cycle", required=True),
            Field("pair", INTEGER, required=True, note="The pair's number in the allocation file, from 1."),
            Field("auditor", source="allocation:pairs[].auditors", required=True),
        ),
        ("cycle", "pair", "auditor"),
        (ForeignKey(("cycle",), "cycles", ("cycle",)), ForeignKey(("auditor",), "staff", ("staff_id",))),
        rows,
    )


def allocation_cases(export: Export) -> Table:
    rows = []
    for cycle_id in export.cycles:
        allocation = export.service.allocations.get(cycle_id)
        if allocation is None:
            continue
        seen: set[str] = set()
        for number, pair in enumerate(allocation.pairs, 1):
            rows.extend((cycle_id, case, number, None) for case in pair.cases if not (case in seen or seen.add(case)))
        rows.extend(
            (cycle_id, case, None, reason)
            for case, reason in allocation.unallocated
            if not (case in seen or seen.add(case))
        )
    return Table(
        "allocation_cases",
        "Allocated cases",
        "One row per nominated case in each allocation: the pair it went to, or why no pair could take it.",
        (
            Field("cycle", source="allocation:cycle", required=True),
            Field("case", source="allocation:pairs[].cases", required=True),
            Field(
                "pair", INTEGER, note="The pair it was allocated to (allocation_pairs.pair); empty when unallocated."
            ),
            Field("unallocated_reason", source="allocation:unallocated[].reason"),
        ),
        ("cycle", "case"),
        (ForeignKey(("cycle", "case"), "nominations", ("cycle", "case")),),
        rows,
    )


def audits(export: Export) -> Table:
    rows = []
    for a in export.audits:
        grades, nomination = export.grades(a), export.cycle(a.cycle).nomination(a.case)
        review = grades.revised_by
        concern, assessment = a.safety_concern, a.assessment
        rows.append(
            (
                a.key,
                a.cycle,
                a.case,
                a.source,
                nomination.practitioner if nomination else None,
                nomination.team if nomination else None,
                a.reaudit_of,
                _joined(a.auditors),
                a.sole_completion.completed_by if a.sole_completion else None,
                a.completed,
                a.overall.value,
                grades.overall.value,
                review.source if review else None,
                review.date if review else None,
                a.overall_summary,
                "\n".join(a.strengths) or None,
                "\n".join(a.areas_for_development) or None,
                _joined(a.learning_themes),
                a.learning_excerpt,
                concern.identified if concern else None,
                concern.team_manager_told if concern else None,
                assessment.grade.value if assessment else None,
                a.disagreement.raised if a.disagreement else None,
                len(a.amendments),
            )
        )
    return Table(
        "audits",
        "Audits",
        "One row per case audit (R8), with its grades as they stand.",
        (
            Field("audit", required=True, note="The audit's key, YYYY-MM/<case-ref>: how other tables refer to it."),
            Field("cycle", source="audit:cycle", required=True),
            Field("case", source="audit:case", required=True),
            Field("file", note="The audit's file in the repository."),
            Field("practitioner", source="cycle:nominations[].practitioner", note="From the cycle's nomination."),
            Field("team", source="cycle:nominations[].team", note="From the cycle's nomination."),
            Field("reaudit_of", source="audit:reaudit_of"),
            Field("auditors", source="audit:auditors", note="Joined with '; '."),
            Field("completed_by_alone", source="audit:sole_completion.completed_by"),
            Field("completed", DATE, source="audit:completed"),
            Field("overall_grade_recorded", source="audit:overall.grade", note="As the audit records it."),
            Field("overall_grade", source="audit:overall.grade", note=EFFECTIVE),
            Field(
                "revised_by",
                note="The review record (records.record) that revised the grades (R12); empty when none did.",
            ),
            Field("revised_on", DATE, note="The date of that review."),
            Field("overall_summary", source="audit:overall.summary"),
            Field("strengths", source="audit:strengths", note="One a line."),
            Field("areas_for_development", source="audit:areas_for_development", note="One a line."),
            Field("learning_themes", source="audit:learning.themes", note="Joined with '; '."),
            Field("learning_excerpt", source="audit:learning.excerpt"),
            Field("safety_concern_identified", DATE, source="audit:safety_concern.identified"),
            Field("safety_concern_team_manager_told", DATE, source="audit:safety_concern.team_manager_told"),
            Field("assessment_grade", source="audit:assessment.grade"),
            Field("disagreement_raised", DATE, source="audit:disagreement.raised"),
            Field("amendments", INTEGER, source="audit:amendments", note="How many."),
        ),
        ("audit",),
        (
            ForeignKey(("cycle", "case"), "nominations", ("cycle", "case")),
            ForeignKey(("revised_by",), "records", ("record",)),
        ),
        rows,
    )


def domain_grades(export: Export) -> Table:
    settings, rows = export.service.settings, []
    titles: dict[str, dict[str, str]] = {}
    for a in export.audits:
        if a.cycle not in titles:
            chosen = settings.domain_set_for(a.cycle) if settings else None
            titles[a.cycle] = {d.id: d.title for d in chosen.domains} if chosen else {}
        effective = export.grades(a).domains
        for domain, judgement in a.domains.items():
            now = effective.get(domain, judgement.grade)
            rows.append(
                (
                    a.key,
                    domain,
                    titles[a.cycle].get(domain),
                    judgement.grade.value,
                    now.value,
                    now is not judgement.grade,
                    judgement.evidence or None,
                    judgement.reason or None,
                )
            )
    return Table(
        "domain_grades",
        "Domain grades",
        "One row per domain of each audit (R8, R9).",
        (
            Field("audit", required=True, note="The audit (audits.audit)."),
            Field("domain", required=True, source="settings:domain_sets[].domains[].id"),
            Field("domain_title", source="settings:domain_sets[].domains[].title"),
            Field("grade_recorded", source="audit:domains.<id>.grade", note="As the audit records it."),
            Field("grade", source="audit:domains.<id>.grade", note=EFFECTIVE),
            Field("revised", BOOLEAN, note="Whether a review revised this domain's grade (R12)."),
            Field("evidence", source="audit:domains.<id>.evidence"),
            Field("reason", source="audit:domains.<id>.reason"),
        ),
        ("audit", "domain"),
        (ForeignKey(("audit",), "audits", ("audit",)),),
        rows,
    )
