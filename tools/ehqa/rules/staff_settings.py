"""Rules on qa.yaml and staff.yaml: the settings and the directory everything else refers to."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ehqa.findings import Finding
from ehqa.model import Settings, StaffDirectory
from ehqa.rules.base import finding


def check_settings(settings: Settings) -> Iterator[Finding]:
    src = settings.source
    for index, domain_set in enumerate(settings.domain_sets):
        yield from _duplicates([d.id for d in domain_set.domains], src, "domain", ("domain_sets", index, "domains"))
    yield from _duplicates([t.id for t in settings.learning_themes], src, "learning theme", ("learning_themes",))
    yield from _duplicates([q.id for q in settings.worker_questions], src, "question", ("worker_form", "questions"))

    versions = [s.version for s in settings.domain_sets]  # sorted by from_cycle when loaded
    if versions != list(range(1, len(versions) + 1)):
        yield finding(
            "SETTINGS-DOMAIN-SETS",
            f"domain-set versions must start at 1 and rise by one in cycle order; found {versions}",
            src,
            "domain_sets",
        )
    starts = [s.from_cycle for s in settings.domain_sets]
    if len(set(starts)) != len(starts):
        yield finding("SETTINGS-DOMAIN-SETS", "two domain sets start in the same cycle", src, "domain_sets")
    try:
        re.compile(settings.case_reference_pattern)
    except re.error as exc:
        yield finding(
            "SETTINGS-CASE-PATTERN",
            f"case_reference_pattern is not a valid regular expression: {exc}",
            src,
            "service",
            "case_reference_pattern",
        )
    times = settings.timescales
    if times.reaudit_earliest_months > times.reaudit_latest_months:
        yield finding(
            "SETTINGS-TIMESCALES",
            f"the re-audit window opens at {times.reaudit_earliest_months} months but closes at "
            f"{times.reaudit_latest_months}",
            src,
            "timescales",
            "reaudit_window_months",
        )


def _duplicates(ids: list[str], src: str, what: str, where: tuple) -> Iterator[Finding]:
    counts = Counter(ids)
    for index, item in enumerate(ids):
        if counts[item] > 1 and ids.index(item) != index:
            yield finding("SETTINGS-DUPLICATE-ID", f"the {what} id '{item}' is used twice", src, *where, index, "id")


def check_staff(staff: StaffDirectory) -> Iterator[Finding]:
    src = staff.source
    seen_ids: set[str] = set()
    seen_handles: dict[str, str] = {}
    for index, person in enumerate(staff.listed):
        if person.id in seen_ids:
            yield finding("STAFF-DUPLICATE", f"the staff id '{person.id}' is used twice", src, "staff", index, "id")
        seen_ids.add(person.id)
        if person.github:
            handle = person.github.lower()  # GitHub handles are case-insensitive
            if handle in seen_handles and seen_handles[handle] != person.id:
                yield finding(
                    "STAFF-DUPLICATE",
                    f"the GitHub handle '{person.github}' is also {seen_handles[handle]}'s",
                    src,
                    "staff",
                    index,
                    "github",
                )
            seen_handles.setdefault(handle, person.id)
        if person.team not in staff.teams:
            yield finding(
                "STAFF-UNKNOWN-TEAM", f"{person.id}'s team '{person.team}' is not in teams", src, "staff", index, "team"
            )
        if person.line_manager is not None:
            if person.line_manager == person.id:
                yield finding(
                    "STAFF-LINE-MANAGER", f"{person.id} is their own line manager", src, "staff", index, "line_manager"
                )
            elif person.line_manager not in staff.people:
                yield finding(
                    "STAFF-LINE-MANAGER",
                    f"{person.id}'s line manager '{person.line_manager}' is not in the directory",
                    src,
                    "staff",
                    index,
                    "line_manager",
                )
            elif _in_loop(staff, person.id):
                yield finding(
                    "STAFF-LINE-MANAGER",
                    f"{person.id}'s line managers go round in a loop; R6 conflicts follow the chain upwards",
                    src,
                    "staff",
                    index,
                    "line_manager",
                )
        for number, absence in enumerate(person.absences):
            if absence.end < absence.start:
                yield finding(
                    "STAFF-ABSENCE",
                    f"{person.id}'s absence ends ({absence.end}) before it starts ({absence.start})",
                    src,
                    "staff",
                    index,
                    "absences",
                    number,
                    "to",
                )


def _in_loop(staff: StaffDirectory, staff_id: str) -> bool:
    """Whether following line managers up from this person comes back to them."""
    chain = staff.management_chain(staff_id)
    last = staff.people.get(chain[-1]) if chain else None
    return last is not None and last.line_manager == staff_id


def deploy_refusal(settings: Settings) -> str | None:
    """Why the site workflow must not deploy the learning site to GitHub Pages, or None (issue 12, item 20):
    a Pages site is public outside GitHub Enterprise Cloud, so the service states where it goes and who sees it."""
    if settings.site_where is None:
        return ("qa.yaml does not say where the learning site is published and who can see it, so it is not "
                "deployed: set publication.site.where (github-pages, elsewhere or nowhere) and "
                "publication.site.who_can_see (organisation, anyone or nobody). A GitHub Pages site is public on the "
                "internet unless the organisation is on GitHub Enterprise Cloud and the site is set to private "
                "(docs/adopting.md, step 8)")
    if settings.site_where != "github-pages" or settings.site_who_can_see == "nobody":
        return (f"qa.yaml says the learning site is published {settings.site_where}, for "
                f"{settings.site_who_can_see} to see (publication.site), so the site workflow does not deploy "
                "it to GitHub Pages")
    return None
