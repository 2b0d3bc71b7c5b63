"""How a notice is packaged: the e-mail message and the auditor's calendar file. (The
ready-to-fill Perspective of Worker form is ``repo_files.skeleton``'s; the templates' dates and
lists of names are ``model.wording``'s, which the meeting pack shares.)

Pure functions, and reproducible: nothing here reads the clock or draws at random. The
calendar's DTSTAMP and the message's Date come from ``as_of``, the MIME boundaries from a
key naming the message, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING

from ehqa.documents.calendar_events import deadline_event, finish, meeting_event, new_calendar
from ehqa.model import MeetingDetails, Person

if TYPE_CHECKING:
    from ehqa.documents.notice_facts import CycleFacts


# --- the calendar and the message ---------------------------------------------------------


def auditor_calendar(facts: CycleFacts, staff_id: str, domain: str, as_of: date, details: MeetingDetails) -> bytes:
    """The audits due, an all-day marker that leaves the diary free, and the QA meeting, timed, with its
    place or link, in Europe/London, blocking the diary (``calendar_events``). No case reference:
    calendars are shared and synchronised more widely than mail."""
    calendar = new_calendar("-//ehqa//allocation notices//EN")
    calendar.add_component(deadline_event(
        f"ehqa-{facts.id}-{staff_id}-audits-due@{domain}", f"Audits due — cycle {facts.id}",
        f"Your audits for QA cycle {facts.id} (theme: {facts.theme}) are due today. "
        "Your allocation notice lists the cases.", facts.audits_due, as_of))
    calendar.add_component(meeting_event(
        f"ehqa-{facts.id}-{staff_id}-qa-meeting@{domain}", f"Early Help QA meeting — cycle {facts.id}",
        f"The QA meeting for cycle {facts.id} (theme: {facts.theme}) discusses the findings of the audits.",
        facts.meeting, details, as_of))
    return finish(calendar, facts.audits_due, facts.meeting)


def build_message(
    *, sender: Person, to: Person, cc: list[Person], subject: str, text: str, html: str, as_of: date, key: str,
    attachment: tuple[bytes, str] | None = None, attachment_type: tuple[str, str] = ("text", "calendar"),
) -> bytes:
    """An RFC 5322 message, CRLF line endings, with a plain-text body, an HTML alternative and an
    optional attachment (text/calendar unless ``attachment_type`` says otherwise). ``X-Unsent: 1`` makes mail
    clients open it as a draft to send."""
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
        maintype, subtype = attachment_type
        params = {"charset": "utf-8", "method": "PUBLISH"} if subtype == "calendar" else {"charset": "utf-8"}
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename, params=params)
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
