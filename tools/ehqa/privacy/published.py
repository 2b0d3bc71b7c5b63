"""Every field of the data that the learning site publishes, checked when it is written (R21).

The site shows free text from the data in a few places (``render/site/pages.py`` and
``reports.py``): each audit's ``learning.excerpt``, each cycle's ``theme.title``, the team names
of ``staff.yaml``, and from ``qa.yaml`` the service's name, the grades' labels and definitions,
the domains' titles and prompts and the learning themes' titles and descriptions. The leak scan
at the end of ``ehqa build`` would catch a leak there, but only at build, after it was merged.
``check_published`` runs in ``ehqa validate`` (so in every pull request's annotations) and refuses:

- in every published field: any case reference or staff name, id, handle or email of the whole
  repository, however spelt (``matcher``), a number shaped like a case reference
  (``service.case_reference_pattern``, five digits or more, not a date), and any name of
  ``publication.never_publish``;
- in the text written about a case (the excerpt, the theme title), also what looks like a child's
  identity (``child_identity``): a given name, an age, a date of birth, a postcode, an address.

A finding names the field and the character where the problem starts, never the value, and is
cleared only by rewording the text: there is no switch to ignore it.

Speed: the texts are joined into one (with a separator no identifier can span) and every pattern
runs once over it, so that 12,000 excerpts cost a few regular-expression passes, not 12,000.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

from ehqa.findings import Finding
from ehqa.model import Service
from ehqa.privacy.child_identity import ADDRESS, AGE, BIRTH, GIVEN_NAME, NEVER_PUBLISH, POSTCODE, ChildIdentity
from ehqa.privacy.digits import is_date, joined_runs
from ehqa.privacy.identifiers import identifiers_from
from ehqa.privacy.matcher import CASE_REFERENCE, GITHUB_HANDLE, STAFF_EMAIL, STAFF_ID, STAFF_NAME, Matcher
from ehqa.privacy.normalise import fold
from ehqa.rules.base import finding

_JOIN = "\n\x00\n"  # between two texts: no name, reference or pattern runs across it
_SHAPED = "a number shaped like a case reference"
_SHORTEST_SHAPED = 5  # a reference pattern is applied to numbers of 5 digits or more
_NUMBER = re.compile(r"[0-9][0-9]*(?:[ ,./\-\u2010-\u2015]{1,3}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")

RULES = {  # kind found -> (rule id, what the message calls it)
    CASE_REFERENCE: ("PRIVACY-CASE-REFERENCE", "a case reference"),
    _SHAPED: ("PRIVACY-CASE-REFERENCE", _SHAPED),
    STAFF_NAME: ("PRIVACY-STAFF", "a staff name"),
    STAFF_ID: ("PRIVACY-STAFF", "a staff id"),
    GITHUB_HANDLE: ("PRIVACY-STAFF", "a staff GitHub handle"),
    STAFF_EMAIL: ("PRIVACY-STAFF", "a staff email address"),
    GIVEN_NAME: ("PRIVACY-CHILD-NAME", "what looks like a given name"),
    AGE: ("PRIVACY-AGE", "what looks like a child's age"),
    BIRTH: ("PRIVACY-BIRTH-DATE", "what looks like a date of birth"),
    POSTCODE: ("PRIVACY-POSTCODE", "what looks like a postcode"),
    ADDRESS: ("PRIVACY-ADDRESS", "what looks like a street address"),
    NEVER_PUBLISH: ("PRIVACY-NEVER-PUBLISH", "a name from publication.never_publish"),
}
_ABOUT_A_CASE_ONLY = frozenset({GIVEN_NAME, AGE, BIRTH, POSTCODE, ADDRESS})


@dataclass(frozen=True)
class PublishedText:
    """One field of the data that the site shows."""

    file: str
    where: tuple[str | int, ...]  # the path to the value in the file
    text: str
    about_a_case: bool  # written about one case: the child-identity checks apply too

    @property
    def label(self) -> str:
        return ".".join(str(part) for part in self.where)


def published_texts(service: Service) -> Iterator[PublishedText]:
    """Every field of the repository that reaches a page of the learning site."""
    settings = service.settings
    if settings is not None:
        src = settings.source
        yield PublishedText(src, ("service", "name"), settings.service_name, False)
        yield PublishedText(src, ("service", "case_management_system"), settings.case_management_system, False)
        for grade, definition in settings.grades.items():
            yield PublishedText(src, ("grades", grade.value, "label"), definition.label, False)
            yield PublishedText(src, ("grades", grade.value, "definition"), definition.definition, False)
        for index, domain_set in enumerate(settings.domain_sets):  # oldest first, as qa.yaml lists them
            for number, domain in enumerate(domain_set.domains):
                yield PublishedText(src, ("domain_sets", index, "domains", number, "title"), domain.title, False)
                yield PublishedText(src, ("domain_sets", index, "domains", number, "prompt"), domain.prompt, False)
        for index, theme in enumerate(settings.learning_themes):
            yield PublishedText(src, ("learning_themes", index, "title"), theme.title, False)
            if theme.description:
                yield PublishedText(src, ("learning_themes", index, "description"), theme.description, False)
    if service.staff is not None:
        for index, team in enumerate(service.staff.teams.values()):
            yield PublishedText(service.staff.source, ("teams", index, "name"), team.name, False)
    for cycle in service.cycles.values():
        yield PublishedText(cycle.source, ("theme", "title"), cycle.theme_title, True)
    for audit in service.audits:
        yield PublishedText(audit.source, ("learning", "excerpt"), audit.learning_excerpt, True)


def check_published(service: Service) -> list[Finding]:
    """A finding for each identifier, and each sign of a child's identity, in a published field."""
    texts = list(published_texts(service))
    if not texts:
        return []
    settings = service.settings
    whole = _JOIN.join(t.text for t in texts)
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text.text) + len(_JOIN))

    found: set[tuple[int, str, int]] = set()  # (text, kind, offset in that text)

    def note(kind: str, offset: int) -> None:
        index = bisect_right(starts, offset) - 1
        if kind not in _ABOUT_A_CASE_ONLY or texts[index].about_a_case:
            found.add((index, kind, offset - starts[index]))

    for kind, offset in Matcher(identifiers_from(service)).find(whole):
        note(kind, offset)
    folded = fold(whole)  # once, for the two checks below
    child = ChildIdentity(settings.given_names, settings.never_publish) if settings else ChildIdentity()
    for kind, offset in child.find_folded(folded.text):
        note(kind, folded.original_offset(offset))
    for offset in _shaped_like_a_reference(folded.text, settings.case_reference_pattern if settings else None):
        note(_SHAPED, folded.original_offset(offset))

    findings = []
    for index, kind, offset in sorted(found):
        if kind == _SHAPED and (index, CASE_REFERENCE, offset) in found:
            continue  # a known reference: said once
        published = texts[index]
        rule, what = RULES[kind]
        message = (f"{published.label} is published on the learning site, and at character {offset + 1} it "
                   f"holds {what}; reword it so that it identifies no one (R21)")
        findings.append(finding(rule, message, published.file, *published.where))
    return findings


def _shaped_like_a_reference(text: str, pattern: str | None) -> Iterator[int]:
    """Offsets (in ``text``, folded) of numbers that match the case reference pattern: a
    reference the repository does not hold (a sibling's, a previous case's) is still one."""
    try:
        shape = re.compile(pattern) if pattern else None
    except re.error:
        return  # reported by SETTINGS-CASE-PATTERN
    if shape is None:
        return
    lengths = frozenset(range(_SHORTEST_SHAPED, 21))
    for match in _NUMBER.finditer(text):  # a number, alone or in a chain: one pass over the text
        number = match.group()
        if number.isdigit():
            if len(number) >= _SHORTEST_SHAPED and shape.fullmatch(number):
                yield match.start()
            continue
        for group in _GROUP.finditer(number):
            if len(group.group()) >= _SHORTEST_SHAPED and shape.fullmatch(group.group()):
                yield match.start() + group.start()
        for start, joined, separator, groups in joined_runs(text, lengths, match.start(), match.end()):
            if shape.fullmatch(joined) and not is_date(groups, separator):
                yield start
