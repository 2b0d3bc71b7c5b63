"""The calendar events ehqa writes (RFC 5545, with the ``icalendar`` library): the QA meeting, and deadlines.

- The QA meeting (R14) is a timed event: it starts at qa.yaml's ``meeting.start`` in the service's time
  zone, Europe/London (the calendar carries its VTIMEZONE, so that a diary anywhere shows the right
  hour, in GMT or BST), lasts ``meeting.length_minutes``, is held at ``meeting.place`` and/or online at
  ``meeting.online_link``, and blocks the diary (TRANSP:OPAQUE): people are busy then.
- A deadline (audits due, R13) is an all-day marker, and marked free (TRANSP:TRANSPARENT): it should
  not block the whole day in anyone's diary.

Pure: the DTSTAMP is the caller's "today", never the clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ehqa.model import MeetingDetails

TIME_ZONE = "Europe/London"  # the service's: every UK local authority keeps UK time


def new_calendar(prodid: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def stamp_of(as_of: date) -> datetime:
    return datetime.combine(as_of, time(0, 0), tzinfo=timezone.utc)


def where(details: MeetingDetails) -> str:
    """The meeting's place in words: the room, the link, or both; "" when qa.yaml says neither."""
    return " and online: ".join(p for p in (details.place, details.online_link) if p)


def meeting_event(uid: str, summary: str, description: str, day: date, details: MeetingDetails, as_of: date) -> Event:
    """The QA meeting on ``day``: timed in Europe/London, with its place and link, blocking the diary."""
    zone = ZoneInfo(TIME_ZONE)
    start = datetime.combine(day, details.start, tzinfo=zone)
    end = start + timedelta(minutes=details.minutes)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp_of(as_of))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    place = where(details)
    lines = [description] + ([f"Where: {place}."] if place else [])
    event.add("description", "\n".join(lines))
    if details.place or details.online_link:
        event.add("location", details.place or details.online_link)
    if details.online_link:
        event.add("url", details.online_link)
    event.add("transp", "OPAQUE")
    return event


def deadline_event(uid: str, summary: str, description: str, day: date, as_of: date) -> Event:
    """An all-day marker on ``day`` that leaves the diary free."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp_of(as_of))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def finish(calendar: Calendar, first: date, last: date) -> bytes:
    """The calendar as bytes, with the VTIMEZONE of every time zone its events use, from ``first`` to
    ``last`` (fixed years, so that the same events always give the same bytes)."""
    calendar.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1))
    return calendar.to_ical()
