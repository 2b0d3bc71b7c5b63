"""The fixed vocabularies of the framework: grades (R9) and roles (section 2.2 of the guidance)."""

from __future__ import annotations

from enum import Enum


class Grade(str, Enum):
    """The judgement grades of section 2.16 of the guidance (R9), best first."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"
    INADEQUATE_CRITICAL = "inadequate-critical"
    NOT_APPLICABLE = "not-applicable"  # a domain that does not apply to the case (R8)

    @property
    def is_inadequate(self) -> bool:
        """Inadequate or Inadequate – Critical: alert (R16) and re-audit (R18)."""
        return self in (Grade.INADEQUATE, Grade.INADEQUATE_CRITICAL)


# The grade order, best first: every table, chart, summary and comparison of grades uses these.
OVERALL_GRADES = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE,
                  Grade.INADEQUATE_CRITICAL)
"""The grades an audit gives overall (R9). Inadequate – Critical is an overall grade only, below Inadequate."""
DOMAIN_GRADES = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.NOT_APPLICABLE)
"""The grades of one domain (R8, R9): Not applicable where the domain does not apply to the case, last."""


class Role(str, Enum):
    """The roles of the framework (docs/month-by-role.md says what each does)."""

    PRACTITIONER = "practitioner"
    SENIOR_PRACTITIONER = "senior-practitioner"
    CASE_MANAGER = "case-manager"
    TEAM_MANAGER = "team-manager"
    AREA_MANAGER = "area-manager"
    SERVICE_MANAGER = "service-manager"
    SENIOR_LEADERSHIP = "senior-leadership"
    HEAD_OF_SERVICE_QA = "head-of-service-qa"
    QA_OFFICER = "qa-officer"
