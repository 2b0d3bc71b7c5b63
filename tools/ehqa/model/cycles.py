"""Cycles and their allocations, from cycles/YYYY-MM.yaml and cycles/YYYY-MM.allocation.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from ehqa.model.settings import MeetingDetails


@dataclass(frozen=True, slots=True)
class Nomination:
    case: str
    practitioner: str
    team: str
    nominated_by: str
    reaudit_of: str | None = None  # "YYYY-MM/<case-ref>" (R18)


@dataclass(frozen=True, slots=True)
class Cycle:
    source: str
    id: str  # YYYY-MM
    theme_title: str
    theme_source: str
    theme_learning: tuple[str, ...]
    meeting: date
    allocations_by: date
    worker_forms_due: date
    audits_due: date
    nominations: tuple[Nomination, ...]
    # meeting_details: this cycle's QA meeting, where it differs from qa.yaml's meeting settings
    meeting_start: time | None = None
    meeting_minutes: int | None = None
    meeting_place: str | None = None
    meeting_link: str | None = None
    theme_rationale: str = ""  # why the theme was chosen (R2), as the QA officer wrote it: private, never published
    _by_case: dict[str, Nomination] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_case: dict[str, Nomination] = {}
        for nomination in self.nominations:
            by_case.setdefault(nomination.case, nomination)
        object.__setattr__(self, "_by_case", by_case)

    def nomination(self, case: str) -> Nomination | None:
        return self._by_case.get(case)

    def meeting_details_from(self, service_wide: MeetingDetails) -> MeetingDetails:
        """When and where this cycle's QA meeting is held: the cycle file's ``meeting_details``, each that it
        gives, over qa.yaml's ``meeting`` settings (``service_wide``)."""
        return MeetingDetails(
            start=self.meeting_start if self.meeting_start is not None else service_wide.start,
            minutes=self.meeting_minutes if self.meeting_minutes is not None else service_wide.minutes,
            place=self.meeting_place if self.meeting_place is not None else service_wide.place,
            online_link=self.meeting_link if self.meeting_link is not None else service_wide.online_link,
        )


@dataclass(frozen=True, slots=True)
class Pair:
    auditors: tuple[str, ...]
    cases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Allocation:
    source: str
    cycle: str
    seed: int
    allocated: date
    pairs: tuple[Pair, ...]
    unallocated: tuple[tuple[str, str], ...] = ()  # (case, reason)
    late_reason: str | None = None  # R5: why it went out after allocations_by (ehqa allocate --late-reason)
    _by_case: dict[str, tuple[int, Pair]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_case: dict[str, tuple[int, Pair]] = {}
        for index, pair in enumerate(self.pairs):
            for case in pair.cases:
                by_case.setdefault(case, (index, pair))
        object.__setattr__(self, "_by_case", by_case)

    def pair_for(self, case: str) -> tuple[int, Pair] | None:
        """The first pair allocated this case, with its index."""
        return self._by_case.get(case)


@dataclass(frozen=True, slots=True)
class ModeratedCase:
    """One sampled audit and the moderator who grades it blind (issue 14). The file gives no grade: the moderator
    reads it, and sees nothing of the auditors' judgement."""

    case: str
    moderator: str


@dataclass(frozen=True, slots=True)
class Moderation:
    """``cycles/YYYY-MM.moderation.yaml``: the cycle's moderation sample, drawn by ``ehqa moderate`` (issue 14):
    a seeded sample of the cycle's closed audits, stratified by overall grade, each with a moderator who was not
    involved in the case or the audit. The moderator's grades are a ``moderation`` record of that audit."""

    source: str
    cycle: str
    seed: int
    drawn: date
    sample: str  # the sample size asked for: a number of audits ("3") or a share ("10%")
    cases: tuple[ModeratedCase, ...]

    def moderator_of(self, case: str) -> str | None:
        """The moderator the sample names for ``case``, or None when it is not in the sample."""
        return next((c.moderator for c in self.cases if c.case == case), None)
