"""What ``ehqa cycle new`` and ``ehqa cycle plan`` decide, before anything is written or shown.

Pure functions over the model: the caller reads qa.yaml and the cycle files, and passes
"today" in. ``cycle_dates`` gives the dates of one meeting; this module answers the
questions the commands ask of them:

- R1, R5: can a proposed meeting be right — in its cycle's month, on a working day, late
  enough for the allocations to reach the auditors in time — and if not, why not, in
  words for the person who proposed it (``new_cycle_problem``, ``too_soon``), with the
  earliest meeting that leaves time (``earliest_meeting``)?
- R2: which learning themes of qa.yaml's vocabulary a new cycle's theme covers, when
  ``--learning-theme`` does not say (``matching_learning_themes``): the learning site's theme
  pages find a cycle by them.
- R1: one row per month of a year's plan, from the meeting rule or from the cycle file
  that already exists (``plan_row``), and whether ``--write`` may create its file
  (``skip_reason``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ehqa.layout import cycle_path
from ehqa.model.cycle_dates import CycleDates, PlannedMeeting, cycle_of, derive_dates
from ehqa.model.wording import DAYS, short_day

if TYPE_CHECKING:
    from ehqa.model import Cycle, MeetingDetails, Settings
    from ehqa.model.calendar import WorkingCalendar

# The theme of a cycle file that `ehqa cycle plan --write` creates: the QA officer edits it in (R2).
PLACEHOLDER_THEME = "To be agreed at the previous QA meeting"
PLACEHOLDER_SOURCE = "previous-meeting"

NEVER_OVERWRITE = "it exists, and ehqa never overwrites a cycle file"

def non_working(reason: str | None) -> str:
    """What a day that is not a working day is, after "is": "a Saturday", or "Christmas Day, a bank holiday"."""
    if reason in DAYS:  # WorkingCalendar.non_working_reason gives the weekday's name for a weekend day
        return f"a {reason}"
    return f"{reason}, a bank holiday"


# --- ehqa cycle new: can the proposed meeting be right? -----------------------------------


@dataclass(frozen=True, slots=True)
class OptionProblem:
    """Why an option of ``ehqa cycle new`` cannot be right, for the person who typed it (a usage error)."""

    option: str  # the option to blame, such as "--meeting"
    message: str


def new_cycle_problem(
    cycle_id: str, meeting: date, title: str, learning_themes: tuple[str, ...], settings: Settings,
    calendar: WorkingCalendar,
) -> OptionProblem | None:
    """The first problem with a new cycle's theme, meeting and learning themes, or None."""
    if not 1 <= len(title) <= 200:
        return OptionProblem("--theme", "the theme is a few words: between 1 and 200 characters")
    if cycle_of(meeting) != cycle_id:
        return OptionProblem("--meeting", f"{meeting} is not in {cycle_id}: each cycle's QA meeting is in its own "
                                          "month (R1)")
    reason = calendar.non_working_reason(meeting)
    if reason is not None:
        before, after = calendar.previous_working_day(meeting), calendar.next_working_day(meeting)
        return OptionProblem("--meeting", f"{meeting} is {non_working(reason)}, not a working day; the nearest "
                                          f"working days are {short_day(before)} and {short_day(after)}")
    unknown = [t for t in learning_themes if t not in settings.theme_ids]
    if unknown:
        known = ", ".join(t.id for t in settings.learning_themes)
        return OptionProblem("--learning-theme", f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} "
                                                 f"not in qa.yaml's learning_themes (known: {known})")
    if not learning_themes and settings.learning_themes and not matching_learning_themes(title, settings):
        return OptionProblem("--learning-theme", unmatched_theme(title, settings))
    return None


def _words(text: str) -> str:
    """``text`` folded to lower-case words separated by single spaces: "Voice-of the CHILD!" -> "voice of the child"."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def matching_learning_themes(title: str, settings: Settings) -> tuple[str, ...]:
    """R2: the ids of qa.yaml's learning themes that a cycle's theme names, by id or title, as whole words
    in any case: "Neglect" and "Cumulative neglect" match ``neglect``; "Domestic abuse and neglect" both."""
    theme = f" {_words(title)} "
    return tuple(t.id for t in settings.learning_themes
                 if any(f" {_words(name)} " in theme for name in (t.id, t.title) if _words(name)))


def unmatched_theme(title: str, settings: Settings) -> str:
    """The usage error when a new cycle's theme names no learning theme and --learning-theme is not given:
    the vocabulary to choose from, and what to do when none fits."""
    vocabulary = "; ".join(f"{t.id} ({t.title})" for t in settings.learning_themes)
    return (f"the theme {title!r} matches none of qa.yaml's learning themes, so the cycle would be on no theme page "
            f"of the learning site (R2). Say which it covers with --learning-theme ID (repeat it for more): "
            f"{vocabulary}. If none fits, add the theme to learning_themes in qa.yaml first")


@dataclass(frozen=True, slots=True)
class Share:
    """The time one party gets in a cycle, in working days on the service's calendar."""

    party: str  # "practitioners"
    working_days: int
    what: str  # "for the Perspective of Worker form (R7)"


def time_each_party_gets(meeting: date, dates: CycleDates, today: date, calendar: WorkingCalendar) -> tuple[Share, ...]:
    """What ``ehqa cycle new`` tells each party: the working days (after the first date, up to and including
    the second) from today to the allocations for the team managers' nominations (R3), from the allocations to
    the worker forms for the practitioners (R7), from the allocations to the audits for the auditors (and how
    many of those with the forms in hand, R7, R13), and from the audits to the meeting for the QA officer."""
    between = calendar.working_days_between
    with_forms = between(dates.worker_forms_due, dates.audits_due)
    return (
        Share("team managers", max(between(today, dates.allocations_by), 0),
              "to nominate cases, until the allocations go out (R3)"),
        Share("practitioners", between(dates.allocations_by, dates.worker_forms_due),
              "for the Perspective of Worker form, from the allocations (R7)"),
        Share("auditors", between(dates.allocations_by, dates.audits_due),
              f"to audit, from the allocations; {with_forms} of them with the worker forms in hand (R7, R13)"),
        Share("QA officer", between(dates.audits_due, meeting),
              "from the audits due to the QA meeting, to prepare the meeting pack (R14)"),
    )


def too_soon(
    meeting: date, dates: CycleDates, today: date, settings: Settings, calendar: WorkingCalendar
) -> OptionProblem | None:
    """R5: a meeting whose allocations would have had to reach the auditors before today is too soon.
    The message names the earliest meeting that leaves time, when one within a year does."""
    if dates.allocations_by >= today:
        return None
    lead = settings.timescales.allocation_lead_days
    late = (today - dates.allocations_by).days
    message = (
        f"a QA meeting on {meeting} is too soon: its allocations would have to reach the auditors by "
        f"{dates.allocations_by}, {late} day{'s' if late != 1 else ''} before today ({today}), and R5 gives "
        f"them at least {lead} days before the meeting"
    )
    found = earliest_meeting(today, settings, calendar)
    if found is not None:
        earliest, allocations = found
        where = "" if cycle_of(earliest) == cycle_of(meeting) else f", in cycle {cycle_of(earliest)}"
        message += f". The earliest meeting that leaves time is {short_day(earliest)}{where} (allocations by {allocations})"
    return OptionProblem("--meeting", message)


def earliest_meeting(today: date, settings: Settings, calendar: WorkingCalendar) -> tuple[date, date] | None:
    """The first working day, as a meeting, whose derived allocations date is not before today,
    with that date; None when none within a year works (timescales that contradict each other)."""
    # Allocations go out at least allocation_lead_days before the meeting, so no earlier day can work.
    day = today + timedelta(days=settings.timescales.allocation_lead_days)
    for _ in range(366):
        if calendar.is_working_day(day):
            try:
                allocations = derive_dates(day, settings, calendar).allocations_by
            except ValueError:
                allocations = None
            if allocations is not None and allocations >= today:
                return day, allocations
        day += timedelta(days=1)
    return None


# --- R1: a year's plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One month of the plan: the meeting by the rule, or the one in an existing cycle file."""

    planned: PlannedMeeting
    meeting: date
    dates: CycleDates
    file: str  # cycles/YYYY-MM.yaml
    status: str  # new | exists | unreadable | too-late
    theme: str | None = None  # from an existing file
    details: MeetingDetails | None = None  # when and where the meeting is held: qa.yaml's, or the file's

    @property
    def from_file(self) -> bool:
        return self.status == "exists"


def plan_row(
    planned: PlannedMeeting, existing: Cycle | None, unreadable: bool, settings: Settings,
    calendar: WorkingCalendar, today: date,
) -> PlanRow:
    """The month's row. ``existing`` is its cycle file when that reads cleanly; ``unreadable``
    says the file is there but could not be read. Raises ValueError when qa.yaml's timescales
    cannot give coherent dates (see ``derive_dates``)."""
    file = cycle_path(planned.cycle)
    if existing is not None:  # the file is what people agreed: its dates win over the rule's
        dates = CycleDates(existing.allocations_by, existing.worker_forms_due, existing.audits_due)
        return PlanRow(planned, existing.meeting, dates, file, "exists", existing.theme_title,
                       existing.meeting_details_from(settings.meeting_details))
    dates = derive_dates(planned.meeting, settings, calendar)
    if unreadable:
        status = "unreadable"
    else:
        status = "too-late" if dates.allocations_by < today else "new"
    return PlanRow(planned, planned.meeting, dates, file, status, details=settings.meeting_details)


def skip_reason(row: PlanRow, today: date) -> str | None:
    """Why ``--write`` leaves this month's file alone, or None when it should create it."""
    if row.status in ("exists", "unreadable"):
        return NEVER_OVERWRITE
    if row.status == "too-late":
        return f"its allocations would have been due by {row.dates.allocations_by}, before today ({today})"
    return None
