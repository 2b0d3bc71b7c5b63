"""The learning site's forms each party to a notice will use, with their addresses (issue 11, issue 12).

The site has a form for the Perspective of Worker form (R7) and one per kind of follow-up record
(``framework.records``), at ``forms/<slug>.html`` (the site is built with ``use_directory_urls:
false``). A notice names the forms its reader fills in: the practitioner's worker form; the auditor's
feedback to a previous practitioner (R10) or on the Early Help Assessment (R20), and their own grades
before the pair agrees (R8, issue 14): the records whose writers are a case's auditors. The address is qa.yaml's ``publication.site.url`` followed by the page;
while the site is not published (no ``site_url``), the notice names the form without an address.
"""

from __future__ import annotations

from dataclasses import dataclass

from ehqa.framework.records import RECORD_KINDS

WORKER_FORM = "worker"  # site.forms.WORKER: the page of the Perspective of Worker form


@dataclass(frozen=True)
class SiteForm:
    title: str
    what: str
    url: str  # "" while the site's address is not in qa.yaml


def page(slug: str) -> str:
    """The form's page, relative to the site's root."""
    return f"forms/{slug}.html"


def _url(site_url: str, slug: str) -> str:
    return f"{site_url.rstrip('/')}/{page(slug)}" if site_url else ""


def auditor_forms(site_url: str) -> tuple[SiteForm, ...]:
    """The forms of the records a case's auditor writes (``framework.records``: writers ``case-auditor``)."""
    return tuple(
        SiteForm(f"{kind.kind.replace('-', ' ').capitalize()} form", kind.what, _url(site_url, kind.kind))
        for kind in RECORD_KINDS
        if "case-auditor" in kind.writers
    )


def practitioner_forms(site_url: str) -> tuple[SiteForm, ...]:
    """The Perspective of Worker form (R7)."""
    return (
        SiteForm(
            "Perspective of Worker form",
            "your view of the case and the challenges you met, for its auditors (R7)",
            _url(site_url, WORKER_FORM),
        ),
    )
