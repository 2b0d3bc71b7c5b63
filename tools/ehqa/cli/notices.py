"""``ehqa notices``: the allocation notices (R5) and the Perspective of Worker requests (R7)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, as_of_option, private_out_option, repo_option


@click.command()
@click.argument("cycle", type=CYCLE_ID)
@private_out_option("the notices")
@repo_option
@as_of_option
def notices(cycle: str, out: Path, repo: Path, as_of: date) -> None:
    """Write the notices for CYCLE's committed allocation (cycles/CYCLE.allocation.yaml).

    For each auditor: auditors/<id>.md (the allocation notice: partner, cases,
    dates, what to do; R5), auditors/<id>.ics (the audits' due date, all day, and
    the QA meeting, timed by qa.yaml's meeting settings, UK time) and
    auditors/<id>.eml (a ready-to-send message from the QA officer, with the .ics
    attached; partners are not copied in, as each has their own). For each
    practitioner whose case was allocated: practitioners/<id>.md and .eml, the
    Perspective of Worker request with a ready-to-fill form (R7), copied to their
    line manager. One message per person: an auditor who is also sent a request
    gets it in their auditors/<id>.eml. Each names the learning site's forms its
    reader uses, linked when qa.yaml gives publication.site.url. And index.md,
    the list of what was written, for the QA officer.

    The notices name cases, which are personal data, so --out may not be the
    repository root or inside audits/, cycles/, build/, site/, site_templates/ or
    docs/ (or mkdocs.yml's docs_dir or site_dir, or the build's work folder), from
    where they could be published or read as data. --as-of fixes the date stamped
    on the messages and calendars; the same data and --as-of always write the same
    bytes. A file already in --out is never replaced: one with the same bytes is
    left as it is, and one that differs (edited, or from another day) stops the
    command before anything is written. Exits 0 when written, 1 when the data or
    --out stops the notices (no such cycle, no allocation, broken staff.yaml, a
    different file in the way), and 2 on a usage error.
    """
    from ehqa.documents.output import write_notices

    written = write_notices(repo, out, cycle, as_of)
    paths = written.paths
    auditors = sum(1 for p in paths if p.startswith("auditors/") and p.endswith(".md"))
    practitioners = sum(1 for p in paths if p.startswith("practitioners/") and p.endswith(".md"))
    emails = sum(1 for p in paths if p.endswith(".eml"))
    click.echo(f"wrote {len(written.files)} files to {out}: {auditors} allocation notices, {practitioners} "
               f"Perspective of Worker requests, {emails} messages ready to send; see {out / 'index.md'}")
