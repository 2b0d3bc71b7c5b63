"""The meeting pack's modules after the split: the cycle's cases (documents.meeting_facts), what is
carried over (documents.meeting_carried), the shared wording (model.wording) and the entry point
(documents.meeting_pack), which still exports every public name."""

from __future__ import annotations

from datetime import date

import ehqa.documents.meeting_pack as meeting_pack
from ehqa.documents import meeting_carried, meeting_facts, messages, notices
from ehqa.model import wording


def test_public_names_are_still_importable_from_render_meeting_pack() -> None:
    for name in meeting_pack.__all__:
        assert hasattr(meeting_pack, name), name
    assert meeting_pack.MeetingPackError is meeting_facts.MeetingPackError
    assert meeting_pack.CaseSummary is meeting_facts.CaseSummary
    assert meeting_pack.RULE_TITLES is meeting_carried.RULE_TITLES


def test_the_notices_and_the_meeting_pack_share_one_wording() -> None:
    assert notices.long_date is wording.long_date and notices.names is wording.names
    assert not hasattr(messages, "environment")
    assert wording.long_date(date(2026, 11, 13)) == "Friday 13 November 2026"
    assert wording.day(date(2026, 10, 16)) == "16 October 2026" and wording.day(None) == ""
    assert wording.names(["A", "B", "C"]) == "A, B and C"
    assert wording.cell("a |\n b") == "a \\| b"
    assert set(wording.environment().filters) >= {"day", "long_date", "names", "cell"}
