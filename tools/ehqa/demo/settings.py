"""qa.yaml for the demo service: grades, domains, timescales, themes and the worker form."""

from __future__ import annotations

from datetime import date
from typing import Any

SERVICE_NAME = "Demoshire Early Help (demo data)"
# Who maintains ehqa in the demo repository (qa.yaml github.maintainers): a made-up org team.
MAINTAINERS = ("demoshire-demo/ehqa-maintainers",)

# Section 2.16 of the guidance, word for word; Inadequate – Critical as the procedure uses it.
GRADES: dict[str, tuple[str, str]] = {
    "outstanding": (
        "Outstanding",
        "There is strong evidence of good practice throughout, and there is clear evidence of "
        "outcomes and impact throughout",
    ),
    "good": (
        "Good",
        "There is evidence of good practice in this case and evidence that the practice of the "
        "worker is deemed to be what would be expected",
    ),
    "requires-improvement": (
        "Requires Improvement",
        "Practice standards have been followed but with gaps in assessment, planning and direct "
        "work with child/family",
    ),
    "inadequate": (
        "Inadequate",
        "Practice standards have not been adhered to and there are gaps in relation to practice",
    ),
    "inadequate-critical": (
        "Inadequate – Critical",
        "Practice standards have not been adhered to and there are critical concerns about the "
        "child's safety or welfare that need immediate management action",
    ),
}

DOMAINS: list[tuple[str, str, str]] = [
    (
        "voice-of-child",
        "Voice of the child",
        "Is the child seen and heard, are their wishes and feelings recorded, and do they shape the plan?",
    ),
    (
        "assessment",
        "Quality of assessment",
        "Does the Early Help Assessment capture the family's needs, strengths and risks, and is it current?",
    ),
    (
        "planning",
        "Planning and SMART outcomes",
        "Is there a SMART plan that follows from the assessment and is reviewed with the family?",
    ),
    (
        "direct-work",
        "Direct work with the child and family",
        "Is direct work purposeful, regular and suited to the child's age, needs and identity?",
    ),
    (
        "multi-agency",
        "Multi-agency working",
        "Are partner agencies involved, sharing information and contributing to the plan?",
    ),
    (
        "management-oversight",
        "Management oversight and supervision",
        "Is there recorded management oversight that gives direction, challenge and reflection?",
    ),
    (
        "recording",
        "Recording and case records",
        "Are records up to date and analytical, and written so the child could read them later?",
    ),
    (
        "outcomes-impact",
        "Outcomes and impact",
        "Is there evidence that the intervention has made a difference for the child and family?",
    ),
]

WORKER_QUESTIONS: list[tuple[str, str]] = [
    (
        "case-summary",
        "Briefly describe the family's circumstances, why Early Help became involved and the work "
        "you have done. Please do not include names.",
    ),
    ("what-went-well", "What has gone well in your work with this family?"),
    ("challenges", "What challenges did you meet on this case, and how did you approach them?"),
    ("child-voice", "How have you captured the child's voice, and how has it shaped your work?"),
    ("support-needed", "What support, supervision or training would help you with this or similar cases?"),
]

LEARNING_THEMES: list[tuple[str, str, str]] = [
    (
        "neglect",
        "Neglect",
        "Children's basic needs for food, warmth, hygiene, supervision and emotional care, and how "
        "cumulative neglect is recognised over time.",
    ),
    (
        "domestic-abuse",
        "Domestic abuse",
        "The impact on children of abuse between adults at home, safety planning and support for "
        "the non-abusing parent.",
    ),
    (
        "young-carers",
        "Young carers",
        "Children who look after a family member, and whether their caring role is recognised, "
        "assessed and supported.",
    ),
    (
        "voice-of-child",
        "Voice of the child",
        "Seeing and hearing the child, recording their wishes and feelings, and letting them shape the plan.",
    ),
    (
        "neurodiversity",
        "Neurodiversity",
        "Children with autism, ADHD or other neurodevelopmental needs, and support for families "
        "while they wait for assessment.",
    ),
    (
        "school-attendance",
        "School attendance",
        "Persistent absence, part-time timetables and working with schools to get children back "
        "into education.",
    ),
    (
        "parental-mental-health",
        "Parental mental health",
        "How a parent's mental health affects their parenting and the child, and links with adult services.",
    ),
    (
        "substance-misuse",
        "Parental substance misuse",
        "Parental alcohol or drug use, its impact on the child and joint work with treatment services.",
    ),
    (
        "housing",
        "Housing and financial hardship",
        "Unstable or overcrowded housing, debt and poverty, and how they shape the family's needs.",
    ),
    (
        "transitions",
        "Transitions and step-down",
        "Moves between services and teams, such as step-down from social care, step-up, transfers and closure.",
    ),
    (
        "multi-agency-working",
        "Multi-agency working",
        "Information sharing, team around the family meetings and shared ownership of the plan.",
    ),
    (
        "management-oversight",
        "Management oversight",
        "Supervision and management direction that prevent drift and keep the child at the centre.",
    ),
]

NA_ELIGIBLE = ("planning", "direct-work", "multi-agency", "outcomes-impact")


def domain_ids() -> list[str]:
    return [domain_id for domain_id, _, _ in DOMAINS]


def theme_ids() -> list[str]:
    return [theme_id for theme_id, _, _ in LEARNING_THEMES]


def question_ids() -> list[str]:
    return [question_id for question_id, _ in WORKER_QUESTIONS]


def build_settings(first_cycle: str, as_of: date, grading_from: str | None = None) -> dict[str, Any]:
    """The qa.yaml document, keys in schema order. ``demo.as_of`` is the demo's "today": the commands take it
    as today when no --as-of is given, so the demo shows the same live service whenever it is run. From
    ``grading_from`` on, each auditor's own grades are required (issue 14); moderation samples 10%."""
    return {
        "service": {
            "name": SERVICE_NAME,
            "case_reference_pattern": "^[0-9]{7}$",
            "case_management_system": "Mosaic",
            "bank_holidays": {"country": "GB", "subdivision": "ENG"},
        },
        "grades": {grade: {"label": label, "definition": text} for grade, (label, text) in GRADES.items()},
        "domain_sets": [
            {
                "version": 1,
                "from_cycle": first_cycle,
                "domains": [{"id": i, "title": t, "prompt": p} for i, t, p in DOMAINS],
            }
        ],
        "timescales": {
            "allocation_lead_days": 14,
            "worker_form_working_days": 5,
            "audits_due_days_before_meeting": 3,
            "reaudit_window_months": {"earliest": 2, "latest": 3},
            "safety_concern_working_days": 1,
            "casenote_working_days": 5,
            "service_manager_alert_working_days": 1,
            "head_of_service_review_working_days": 10,
            "assessment_feedback_working_days": 5,
            "escalate_to_line_manager_after_working_days": 5,
            "escalate_to_senior_management_after_working_days": 15,
            # The demo's Git history is one bulk commit: its dates say nothing about when audits came in.
            "submission_dates": "completed",
        },
        "roles": {
            "auditor_roles": list(AUDITOR_ROLES),
            "senior_manager_roles": list(SENIOR_MANAGER_ROLES),
            "nominator_roles": ["team-manager", "qa-officer"],
            "caseholder_roles": list(CASEHOLDER_ROLES),
        },
        "validation": {"min_evidence_words": 8, "max_file_bytes": 262144},
        "grading": {"independent": "required", "from_cycle": grading_from or first_cycle},
        "moderation": {"sample": "10%"},
        "allocation": {"exclude_own_team": False, "pair_repeat_lookback_cycles": PAIR_LOOKBACK},
        "meeting": {"minutes_per_case": 10},
        "publication": {"min_team_audits": 5, "min_count": 5},
        "worker_form": {"questions": [{"id": i, "prompt": p} for i, p in WORKER_QUESTIONS]},
        "github": {"maintainers": list(MAINTAINERS)},
        "demo": {"as_of": as_of.isoformat()},
        "learning_themes": [{"id": i, "title": t, "description": d} for i, t, d in LEARNING_THEMES],
    }


AUDITOR_ROLES = (
    "practitioner",
    "senior-practitioner",
    "case-manager",
    "team-manager",
    "area-manager",
    "service-manager",
    "senior-leadership",
)
SENIOR_MANAGER_ROLES = ("area-manager", "service-manager", "senior-leadership")
CASEHOLDER_ROLES = ("practitioner", "senior-practitioner", "case-manager")
PAIR_LOOKBACK = 6
