"""Schema-valid documents to model objects. Runs only on documents the schema accepted,
so it may assume their shape; dates (ISO text, checked by the schema) become ``date``."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from ehqa import model as m
from ehqa.model.settings import DEFAULT_GRADES, DEFAULT_LEARNING_THEMES

_d = date.fromisoformat
_GRADES = {grade.value: grade for grade in m.Grade}


def _grade(value: str) -> m.Grade:
    """``m.Grade(value)``, looked up in a dictionary: eight times quicker, for the 150,000 grades of a 10-year service."""
    try:
        return _GRADES[value]
    except (KeyError, TypeError):
        raise ValueError(f"{value!r} is not a valid Grade") from None


def _opt_date(value: str | None) -> date | None:
    return None if value is None else _d(value)


def settings(doc: dict[str, Any], source: str) -> m.Settings:
    service = doc["service"]
    holidays = service.get("bank_holidays", {})
    times = doc.get("timescales", {})
    window = times.get("reaudit_window_months", {})
    roles = doc.get("roles", {})
    defaults = m.Timescales()
    return m.Settings(
        source=source,
        service_name=service["name"],
        case_reference_pattern=service.get("case_reference_pattern", "^[0-9]{7}$"),
        case_management_system=service.get("case_management_system", "Mosaic"),
        holiday_country=holidays.get("country", "GB"),
        holiday_subdivision=holidays.get("subdivision", "ENG"),
        grades=_grades(doc.get("grades", {})),
        domain_sets=tuple(
            m.DomainSet(
                version=s["version"],
                from_cycle=s["from_cycle"],
                domains=tuple(m.Domain(d["id"], d["title"], d["prompt"]) for d in s["domains"]),
            )
            for s in sorted(doc["domain_sets"], key=lambda s: s["from_cycle"])
        ),
        timescales=m.Timescales(
            allocation_lead_days=times.get("allocation_lead_days", defaults.allocation_lead_days),
            worker_form_working_days=times.get("worker_form_working_days", defaults.worker_form_working_days),
            worker_form_due_days_before_meeting=times.get(
                "worker_form_due_days_before_meeting", defaults.worker_form_due_days_before_meeting
            ),
            audits_due_days_before_meeting=times.get(
                "audits_due_days_before_meeting", defaults.audits_due_days_before_meeting
            ),
            reaudit_earliest_months=window.get("earliest", defaults.reaudit_earliest_months),
            reaudit_latest_months=window.get("latest", defaults.reaudit_latest_months),
            safety_concern_working_days=times.get("safety_concern_working_days", defaults.safety_concern_working_days),
            casenote_working_days=times.get("casenote_working_days", defaults.casenote_working_days),
            service_manager_alert_working_days=times.get(
                "service_manager_alert_working_days", defaults.service_manager_alert_working_days
            ),
            head_of_service_review_working_days=times.get(
                "head_of_service_review_working_days", defaults.head_of_service_review_working_days
            ),
            assessment_feedback_working_days=times.get(
                "assessment_feedback_working_days", defaults.assessment_feedback_working_days
            ),
            escalate_to_line_manager_after_working_days=times.get(
                "escalate_to_line_manager_after_working_days", defaults.escalate_to_line_manager_after_working_days
            ),
            escalate_to_senior_management_after_working_days=times.get(
                "escalate_to_senior_management_after_working_days",
                defaults.escalate_to_senior_management_after_working_days,
            ),
            submission_dates=times.get("submission_dates", defaults.submission_dates),
        ),
        roles=m.Roles(
            auditor_roles=_roles(roles, "auditor_roles", DEFAULT_ROLES["auditor_roles"]),
            senior_manager_roles=_roles(roles, "senior_manager_roles", DEFAULT_ROLES["senior_manager_roles"]),
            nominator_roles=_roles(roles, "nominator_roles", DEFAULT_ROLES["nominator_roles"]),
            caseholder_roles=_roles(roles, "caseholder_roles", DEFAULT_ROLES["caseholder_roles"]),
        ),
        min_evidence_words=doc.get("validation", {}).get("min_evidence_words", 8),
        max_file_bytes=doc.get("validation", {}).get("max_file_bytes", 262144),
        exclude_own_team=doc.get("allocation", {}).get("exclude_own_team", False),
        pair_repeat_lookback_cycles=doc.get("allocation", {}).get("pair_repeat_lookback_cycles", 6),
        pair_line_managers=doc.get("allocation", {}).get("pair_line_managers", False),
        minutes_per_case=doc.get("meeting", {}).get("minutes_per_case", 10),
        meeting_rule=doc.get("meeting", {}).get("rule", "third Tuesday"),
        min_team_audits=doc.get("publication", {}).get("min_team_audits", 5),
        worker_questions=tuple(
            m.WorkerQuestion(q["id"], q["prompt"]) for q in doc.get("worker_form", {}).get("questions", [])
        ),
        learning_themes=tuple(
            m.LearningTheme(t["id"], t["title"], t.get("description", "")) for t in doc["learning_themes"]
        ) if "learning_themes" in doc else DEFAULT_LEARNING_THEMES,
        github_maintainers=tuple(doc.get("github", {}).get("maintainers", ())),
        github_repository=doc.get("github", {}).get("repository"),
        github_branch=doc.get("github", {}).get("branch", "main"),
        given_names=tuple(doc.get("publication", {}).get("given_names", ())),
        never_publish=tuple(doc.get("publication", {}).get("never_publish", ())),
        min_count=doc.get("publication", {}).get("min_count", 5),
        agreement_min_units=doc.get("agreement", {}).get("min_units", 10),
        site_where=doc.get("publication", {}).get("site", {}).get("where"),
        site_who_can_see=doc.get("publication", {}).get("site", {}).get("who_can_see"),
        meeting_details=_meeting_details(doc.get("meeting", {})),
        site_url=doc.get("publication", {}).get("site", {}).get("url") or doc.get("publication", {}).get("site_url", ""),
        demo_as_of=_opt_date(doc.get("demo", {}).get("as_of")),
        grading_independent=doc.get("grading", {}).get("independent", "off"),
        grading_from_cycle=doc.get("grading", {}).get("from_cycle"),
        moderation_sample=str(doc.get("moderation", {}).get("sample", "10%")),
    )


def _grades(written: dict[str, Any]) -> dict[m.Grade, m.GradeDefinition]:
    """Each grade as qa.yaml words it, or as the guidance does (issue 12, item 19: a default is a default)."""
    grades = {grade: m.GradeDefinition(grade, label, definition) for grade, label, definition in DEFAULT_GRADES}
    for key, value in written.items():
        grades[_grade(key)] = m.GradeDefinition(_grade(key), value["label"], value["definition"])
    return grades


DEFAULT_ROLES = {
    "auditor_roles": ("practitioner", "senior-practitioner", "case-manager", "team-manager", "area-manager",
                      "service-manager", "senior-leadership"),
    "senior_manager_roles": ("area-manager", "service-manager", "senior-leadership"),
    "nominator_roles": ("team-manager", "qa-officer"),
    "caseholder_roles": ("practitioner", "senior-practitioner", "case-manager"),
}


def _meeting_details(meeting: dict[str, Any]) -> m.MeetingDetails:
    """qa.yaml's meeting.start (``HH:MM``, the schema checks it), length_minutes, place and online_link."""
    defaults = m.MeetingDetails()
    start = meeting.get("start")
    return m.MeetingDetails(
        start=time.fromisoformat(start) if start else defaults.start,
        minutes=meeting.get("length_minutes", defaults.minutes),
        place=" ".join(str(meeting.get("place", "")).split()),
        online_link=meeting.get("online_link", ""),
    )


def _roles(doc: dict[str, Any], key: str, default: tuple[str, ...]) -> frozenset[m.Role]:
    return frozenset(m.Role(r) for r in doc.get(key, default))


def staff(doc: dict[str, Any], source: str) -> m.StaffDirectory:
    return m.StaffDirectory(
        source=source,
        teams={t["id"]: m.Team(t["id"], t["name"]) for t in doc["teams"]},
        listed=tuple(
            m.Person(
                id=p["id"],
                name=p["name"],
                role=m.Role(p["role"]),
                team=p["team"],
                line_manager=p.get("line_manager"),
                auditor=p.get("auditor", False),
                moderator=p.get("moderator", False),
                github=p.get("github"),
                email=p.get("email"),
                left=_opt_date(p.get("left")),
                absences=tuple(m.Absence(_d(a["from"]), _d(a["to"])) for a in p.get("absences", ())),
            )
            for p in doc["staff"]
        ),
    )


def cycle(doc: dict[str, Any], source: str) -> m.Cycle:
    theme, dates = doc["theme"], doc["dates"]
    return m.Cycle(
        source=source,
        id=doc["cycle"],
        theme_title=theme["title"],
        theme_source=theme["source"],
        theme_learning=tuple(theme.get("learning_themes", ())),
        meeting=_d(doc["meeting"]),
        allocations_by=_d(dates["allocations_by"]),
        worker_forms_due=_d(dates["worker_forms_due"]),
        audits_due=_d(dates["audits_due"]),
        nominations=tuple(
            m.Nomination(n["case"], n["practitioner"], n["team"], n["nominated_by"], n.get("reaudit_of"))
            for n in doc["nominations"]
        ),
        **_cycle_meeting(doc.get("meeting_details", {})),
        theme_rationale=" ".join(str(theme.get("rationale", "")).split()),
    )


def _cycle_meeting(details: dict[str, Any]) -> dict[str, Any]:
    """A cycle file's meeting_details, as the Cycle's overrides of qa.yaml's meeting settings."""
    start = details.get("start")
    place = details.get("place")
    return {"meeting_start": time.fromisoformat(start) if start else None,
            "meeting_minutes": details.get("length_minutes"),
            "meeting_place": " ".join(str(place).split()) if place is not None else None,
            "meeting_link": details.get("online_link")}


def allocation(doc: dict[str, Any], source: str) -> m.Allocation:
    return m.Allocation(
        source=source,
        cycle=doc["cycle"],
        seed=doc["seed"],
        allocated=_d(doc["allocated"]),
        pairs=tuple(m.Pair(tuple(p["auditors"]), tuple(p["cases"])) for p in doc["pairs"]),
        unallocated=tuple((u["case"], u["reason"]) for u in doc.get("unallocated", ())),
        late_reason=doc.get("late_reason"),
    )


def moderation(doc: dict[str, Any], source: str) -> m.Moderation:
    return m.Moderation(
        source=source,
        cycle=doc["cycle"],
        seed=doc["seed"],
        drawn=_d(doc["drawn"]),
        sample=str(doc["sample"]),
        cases=tuple(m.ModeratedCase(c["case"], c["moderator"]) for c in doc["cases"]),
    )


def audit(doc: dict[str, Any], source: str) -> m.Audit:
    sole = doc.get("sole_completion")
    concern = doc.get("safety_concern")
    assessment = doc.get("assessment")
    disagreement = doc.get("disagreement")
    followup = doc.get("followup", {})
    review = disagreement.get("review") if disagreement else None
    return m.Audit(
        source=source,
        case=doc["case"],
        cycle=doc["cycle"],
        auditors=tuple(doc["auditors"]),
        completed=_d(doc["completed"]),
        domains={
            key: m.DomainJudgement(_grade(v["grade"]), v.get("evidence", ""), v.get("reason", ""))
            for key, v in doc["domains"].items()
        },
        overall=_grade(doc["overall"]["grade"]),
        overall_summary=doc["overall"]["summary"],
        overall_reason=doc["overall"].get("reason", ""),
        strengths=tuple(doc["strengths"]),
        areas_for_development=tuple(doc.get("areas_for_development", ())),
        learning_themes=tuple(doc["learning"]["themes"]),
        learning_excerpt=doc["learning"]["excerpt"],
        reaudit_of=doc.get("reaudit_of"),
        sole_completion=m.SoleCompletion(sole["completed_by"], sole["absent"], sole["reason"]) if sole else None,
        safety_concern=m.SafetyConcern(
            concern["description"],
            _d(concern["identified"]),
            concern["team_manager"],
            _d(concern["team_manager_told"]),
            concern.get("action_taken", ""),
        )
        if concern
        else None,
        previous_work_feedback=tuple(
            m.PreviousWorkFeedback(f["team"], f["kind"], f["summary"], f.get("practitioner"), _opt_date(f.get("fed_back")))
            for f in doc.get("previous_work_feedback", ())
        ),
        assessment=m.AssessmentQuality(
            _grade(assessment["grade"]),
            assessment.get("comments", ""),
            _opt_date(assessment.get("feedback_returned")),
            _opt_date(assessment.get("manager_informed")),
        )
        if assessment
        else None,
        disagreement=m.Disagreement(
            _d(disagreement["raised"]),
            disagreement["summary"],
            m.Review(review["reviewer"], _d(review["date"]), review["outcome"], review.get("notes", ""))
            if review
            else None,
        )
        if disagreement
        else None,
        smart_actions=tuple(
            m.SmartAction(a["action"], a["owner"], _d(a["due"]), a["measure"], a["status"], _opt_date(a.get("done")))
            for a in doc.get("smart_actions", ())
        ),
        followup=m.FollowUp(
            **{k: (v if k == "reflective_notes" else _d(v)) for k, v in followup.items()}
        ),
        amendments=tuple(m.Amendment(a["by"], _d(a["date"]), a["why"]) for a in doc.get("amendments", ())),
    )


def worker_form(doc: dict[str, Any], source: str) -> m.WorkerForm:
    return m.WorkerForm(
        source=source,
        case=doc["case"],
        cycle=doc["cycle"],
        practitioner=doc["practitioner"],
        submitted=_d(doc["submitted"]),
        answers=dict(doc["answers"]),
    )


def record(doc: dict[str, Any], source: str) -> m.Record:
    kind = doc["kind"]
    return m.Record(
        source=source,
        kind=kind,
        case=doc["case"],
        cycle=doc["cycle"],
        by=doc["by"],
        date=_d(doc["date"]),
        on_behalf_of=doc.get("on_behalf_of"),
        received=doc.get("received"),
        note=doc.get("note", ""),
        with_=doc.get("with"),
        actions=tuple(m.AgreedAction(a["id"], a["action"], a["owner"], _d(a["due"]), a["measure"])
                      for a in doc.get("actions", ())),
        action=doc.get("action"),
        status=doc.get("status"),
        due=_opt_date(doc.get("due")),
        reviews=tuple(m.ActionReview(r["action"], r["outcome"], bool(r.get("escalated", False)))
                      for r in doc.get("reviews", ())),
        for_next_meeting=doc.get("for_next_meeting", ""),
        summary=doc.get("summary", ""),
        outcome=doc.get("outcome"),
        overall=_grade(doc["overall"]) if "overall" in doc else None,
        domains={d: _grade(g) for d, g in doc.get("domains", {}).items()},
        reason=doc.get("reason", ""),
        rule=doc.get("rule"),
        to=(doc["to"],) if kind == "report-sent" else tuple(doc.get("to", ())),
        no_assessment_on_file=doc.get("no_assessment_on_file", ""),
    )
