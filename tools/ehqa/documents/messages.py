"""How a notice is packaged: the e-mail message and the auditor's calendar file. (The
ready-to-fill Perspective of Worker form is ``repo_files.skeleton``'s; the templates' dates and
lists of names are ``model.wording``'s, which the meeting pack shares.)

Pure functions, and reproducible: nothing here reads the clock or draws at random. The
calendar's DTSTAMP and the message's Date come from ``as_of``, the MIME boundaries from a
key naming the message, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING

from ehqa.model import Person

if TYPE_CHECKING:
    from ehqa.documents.notice_facts import CycleFacts


# --- the calendar and the message ---------------------------------------------------------


def auditor_calendar(facts: CycleFacts, staff_id: str, domain: str, as_of: date) -> bytes:
    """Two all-day events: the audits due, and the QA meeting. No case reference: calendars are
    shared and synchronised more widely than mail."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//ehqa//allocation notices//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    stamp = datetime.combine(as_of, time(0, 0), tzinfo=timezone.utc)
    events = (
        ("audits-due", f"Audits due — cycle {facts.id}", facts.audits_due,
         f"Your audits for QA cycle {facts.id} (theme: {facts.theme}) are due today. "
         "Your allocation notice lists the cases."),
        ("qa-meeting", f"Early Help QA meeting — cycle {facts.id}", facts.meeting,
         f"The QA meeting for cycle {facts.id} (theme: {facts.theme}) discusses the findings of the audits."),
    )
    for kind, summary, day, description in events:
        event = Event()
        event.add("uid", f"ehqa-{facts.id}-{staff_id}-{kind}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def build_message(
    *, sender: Person, to: Person, cc: list[Person], subject: str, text: str, html: str, as_of: date, key: str,
    attachment: tuple[bytes, str] | None = None,
) -> bytes:
    """An RFC 5322 message, CRLF line endings, with a plain-text body, an HTML alternative and an
    optional text/calendar attachment. ``X-Unsent: 1`` makes mail clients open it as a draft to send."""
    message = EmailMessage()
    message["From"] = _address(sender)
    message["To"] = _address(to)
    if cc:
        message["Cc"] = [_address(p) for p in cc]
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.combine(as_of, time(9, 0), tzinfo=timezone.utc))
    message["X-Unsent"] = "1"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    if attachment is not None:
        data, filename = attachment
        message.add_attachment(data, maintype="text", subtype="calendar", filename=filename,
                               params={"charset": "utf-8", "method": "PUBLISH"})
    # Fixed boundaries keep the file reproducible; "=_" never occurs in quoted-printable or base64.
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    if message.is_multipart():
        message.set_boundary(f"=_ehqa_{digest}_m")
        for part in message.iter_parts():
            if part.is_multipart():
                part.set_boundary(f"=_ehqa_{digest}_a")
    return message.as_bytes(policy=SMTP)


def _address(person: Person) -> Address:
    assert person.email
    return Address(display_name=person.name, addr_spec=person.email)
