"""The typed in-memory model of a QA repository.

Every tool works on these dataclasses, built once by ``ehqa.load``. They hold no
child's or family member's name, date of birth or address: a case is only its
reference. Each record knows the file it came from (``source``), so that rules
can point a person at the line to fix.
"""

from __future__ import annotations

from ehqa.model.audits import (
    Amendment,
    AssessmentQuality,
    Audit,
    Disagreement,
    DomainJudgement,
    FollowUp,
    PreviousWorkFeedback,
    Review,
    SafetyConcern,
    SmartAction,
    SoleCompletion,
    WorkerForm,
)
from ehqa.model.cycles import Allocation, Cycle, ModeratedCase, Moderation, Nomination, Pair
from ehqa.model.enums import Grade, Role
from ehqa.model.records import ActionReview, AgreedAction, EffectiveGrades, Record, effective_grades
from ehqa.model.service import Service
from ehqa.model.settings import (
    Domain,
    DomainSet,
    GradeDefinition,
    LearningTheme,
    MeetingDetails,
    Roles,
    Settings,
    Timescales,
    WorkerQuestion,
)
from ehqa.model.staff import Absence, Person, StaffDirectory, Team

__all__ = [
    "ActionReview",
    "AgreedAction",
    "EffectiveGrades",
    "Record",
    "effective_grades",
    "Grade",
    "Role",
    "GradeDefinition",
    "Domain",
    "DomainSet",
    "MeetingDetails",
    "Timescales",
    "Roles",
    "LearningTheme",
    "WorkerQuestion",
    "Settings",
    "Absence",
    "Team",
    "Person",
    "StaffDirectory",
    "Nomination",
    "Cycle",
    "Pair",
    "Allocation",
    "ModeratedCase",
    "Moderation",
    "DomainJudgement",
    "SoleCompletion",
    "SafetyConcern",
    "PreviousWorkFeedback",
    "AssessmentQuality",
    "Review",
    "Disagreement",
    "SmartAction",
    "FollowUp",
    "Amendment",
    "Audit",
    "WorkerForm",
    "Service",
]
