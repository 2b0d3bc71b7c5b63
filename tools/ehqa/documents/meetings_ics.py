"""The year's QA meetings as an iCalendar file (RFC 5545), for ``ehqa cycle plan --ics``.

One event per meeting, at qa.yaml's ``meeting.start`` for ``meeting.length_minutes`` in
Europe/London, at ``meeting.place`` and/or ``meeting.online_link``, blocking the diary
(``calendar_events.meeting_event``). Each event's UID is derived from the service's name and
the cycle, so importing the file again (after a meeting moves) updates the event rather
than adding a second one. The time stamp (DTSTAMP) is the plan's "today", never the
clock, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ehqa.atomic import write_or_fail
from ehqa.documents.calendar_events import finish, meeting_event, new_calendar
from ehqa.model import MeetingDetails

log = logging.getLogger("ehqa")

SUMMARY = "Early Help QA meeting — cycle {cycle}"
PRODID = "-//ehqa//Early Help QA meetings//EN"


def meeting_uid(service_name: str, cycle: str) -> str:
    """A stable UID for one cycle's meeting of one service."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, f'ehqa:qa-meeting:{service_name}:{cycle}')}@ehqa"


def write_meetings_calendar(path: Path, service_name: str, year: int, events: Iterable[dict[str, Any]],
                            stamp: date, details: MeetingDetails = MeetingDetails()) -> None:
    """``ehqa cycle plan --ics``: the calendar written atomically to ``path`` (``DataError`` when it cannot be)."""
    write_or_fail(path, meetings_calendar(service_name, year, events, stamp, details))
    log.info("wrote %s", path)


def meetings_calendar(service_name: str, year: int, events: Iterable[dict[str, Any]], stamp: date,
                      details: MeetingDetails = MeetingDetails()) -> str:
    """The calendar as text (CRLF line ends, as RFC 5545 asks). Each event is a mapping with
    ``cycle``, ``meeting`` (a date), ``description`` and, where its cycle file says, ``details`` (over
    ``details``, qa.yaml's)."""
    calendar = new_calendar(PRODID)
    calendar.add("x-wr-calname", f"{service_name}: QA meetings {year}")
    days = []
    for item in events:
        meeting: date = item["meeting"]
        days.append(meeting)
        calendar.add_component(meeting_event(meeting_uid(service_name, item["cycle"]),
                                             SUMMARY.format(cycle=item["cycle"]), item["description"], meeting,
                                             item.get("details") or details, stamp))
    first, last = (min(days), max(days)) if days else (date(year, 1, 1), date(year, 12, 31))
    return finish(calendar, first, last).decode("utf-8")
