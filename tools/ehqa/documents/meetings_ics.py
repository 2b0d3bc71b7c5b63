"""The year's QA meetings as an iCalendar file (RFC 5545), for ``ehqa cycle plan --ics``.

One all-day event per meeting: services hold the meeting at different times, and the
date is what the cycle turns on. Each event's UID is derived from the service's name and
the cycle, so importing the file again (after a meeting moves) updates the event rather
than adding a second one. The time stamp (DTSTAMP) is the plan's "today", never the
clock, so the same inputs always give the same bytes. The events are marked free
(TRANSP:TRANSPARENT): an all-day marker should not block the whole day in anyone's diary.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

from ehqa.atomic import write_or_fail

log = logging.getLogger("ehqa")

SUMMARY = "Early Help QA meeting — cycle {cycle}"
PRODID = "-//ehqa//Early Help QA meetings//EN"


def meeting_uid(service_name: str, cycle: str) -> str:
    """A stable UID for one cycle's meeting of one service."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, f'ehqa:qa-meeting:{service_name}:{cycle}')}@ehqa"


def write_meetings_calendar(path: Path, service_name: str, year: int, events: Iterable[dict[str, Any]],
                            stamp: date) -> None:
    """``ehqa cycle plan --ics``: the calendar written atomically to ``path`` (``DataError`` when it cannot be)."""
    write_or_fail(path, meetings_calendar(service_name, year, events, stamp))
    log.info("wrote %s", path)


def meetings_calendar(service_name: str, year: int, events: Iterable[dict[str, Any]], stamp: date) -> str:
    """The calendar as text (CRLF line ends, as RFC 5545 asks). Each event is a mapping with
    ``cycle``, ``meeting`` (a date) and ``description``."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{service_name}: QA meetings {year}")
    dtstamp = datetime.combine(stamp, time(0, 0), tzinfo=timezone.utc)
    for item in events:
        meeting: date = item["meeting"]
        event = Event()
        event.add("uid", meeting_uid(service_name, item["cycle"]))
        event.add("dtstamp", dtstamp)
        event.add("dtstart", meeting)
        event.add("dtend", meeting + timedelta(days=1))
        event.add("summary", SUMMARY.format(cycle=item["cycle"]))
        event.add("description", item["description"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
