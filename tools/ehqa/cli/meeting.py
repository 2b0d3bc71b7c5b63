"""``ehqa meeting`` (the QA meeting pack, R14) and ``ehqa casenote`` (the Mosaic case note, R15)."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import date, time
from pathlib import Path
from typing import NoReturn

import click

from ehqa.cli.options import as_of_option, cli, repo_option
from ehqa.cli.private_output import refuse_published
from ehqa.cli.types import CYCLE_ID

log = logging.getLogger("ehqa.meeting")

_KEY = re.compile(r"(?P<cycle>[0-9]{4}-(?:0[1-9]|1[0-2]))/(?P<case>[^/.\s]+)")


class ClockTime(click.ParamType):
    """A time of day on the 24-hour clock, written HH:MM (9:30 is read as 09:30)."""

    name = "HH:MM"

    def convert(self, value, param, ctx):
        if isinstance(value, time):
            return value
        match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", str(value).strip())
        if not match:
            self.fail(f"{value!r} is not a time written HH:MM on the 24-hour clock (for example 10:00 or 13:30)",
                      param, ctx)
        return time(int(match.group(1)), int(match.group(2)))


class AuditArg(click.ParamType):
    """An audit: its file (audits/YYYY-MM/<case-ref>.yaml) or its key (YYYY-MM/<case-ref>).

    Converts to ("key", "YYYY-MM/<case-ref>") or ("path", Path); the path is matched to the
    repository by the command, once --repo is known.
    """

    name = "AUDIT"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        if _KEY.fullmatch(text):
            return ("key", text)
        if text.endswith((".yaml", ".yml")) and not text.endswith((".worker.yaml", ".allocation.yaml")):
            return ("path", Path(text))
        self.fail(f"{value!r} is not an audit: give its file, audits/YYYY-MM/<case-ref>.yaml, or YYYY-MM/<case-ref> "
                  "(for example 2026-10/9104217)", param, ctx)


CLOCK_TIME = ClockTime()
AUDIT = AuditArg()


@cli.command()
@click.argument("cycle", type=CYCLE_ID)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the pack to, created if need be. Not the repository root, and not inside "
                   "site/, site_templates/ or docs/.")
@click.option("--start", type=CLOCK_TIME, default="10:00", show_default=True,
              help="When the meeting starts (HH:MM, 24-hour clock).")
@repo_option
@as_of_option
def meeting(cycle: str, out: Path, start: time, repo: Path, as_of: date | None) -> None:
    """Write the QA meeting pack for CYCLE (R14): meeting-CYCLE.md and meeting-CYCLE.html.

    \b
    The pack holds:
      - the agenda: a short opening item, then one slot per audited case of
        meeting.minutes_per_case minutes (qa.yaml, 10 by default), from --start,
        then the items carried over from the previous meeting;
      - each audited case, by team then case reference: practitioner, auditors,
        overall and domain grades, strengths then areas for development, the
        Perspective of Worker form (R7), any safety concern (R11), disagreement
        (R12) and SMART actions (R17), and a re-audit's outcome against the
        original, domain by domain (R18);
      - the cases allocated but not yet audited (R13);
      - carried over from the previous meeting: the Requires Improvement cases'
        SMART actions to review (R17), the reflective discussions and anything
        new from them (R19), the re-audits completed since (R18); and every
        follow-up overdue as of --as-of, grouped by rule.

    The HTML page is self-contained and prints cleanly, one case to a page. The
    pack names cases and staff, so --out may not be the repository root or inside
    site/, site_templates/ or docs/ (or mkdocs.yml's docs_dir or site_dir). The same
    data, --start and --as-of always write the same bytes. Exits 0 when written, 1
    when the data stops the pack (no such cycle, files that do not load), and 2 on
    a usage error.
    """
    from ehqa.atomic import write_atomic
    from ehqa.documents.meeting_pack import MeetingPackError, render_meeting_pack
    from ehqa.load.repository import load_repository

    refuse_published(out, repo, "the meeting pack names cases and staff")
    loaded = load_repository(repo)
    service = loaded.service
    previous = max((c for c in service.cycles if c < cycle), default=None)
    needed = ("qa.yaml", "staff.yaml", f"cycles/{cycle}.yaml", f"cycles/{cycle}.allocation.yaml", f"audits/{cycle}/")
    if previous:
        needed += (f"cycles/{previous}.yaml", f"audits/{previous}/")
    blocking = sorted(f for f in service.broken if f.startswith(needed))
    if blocking:
        _fail(f"{', '.join(blocking)} could not be read, so the pack would be incomplete: run `ehqa validate` "
              "and fix them first")
    try:
        pack = render_meeting_pack(service, cycle, as_of or date.today(), start)
    except MeetingPackError as exc:
        _fail(str(exc))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if service.broken:
        log.warning("%d other files could not be read, so their follow-ups are missing from the pack: "
                    "run `ehqa validate`", len(service.broken))
    for warning in pack.warnings:
        log.warning("%s", warning)
    for name, text in pack.files:
        try:
            write_atomic(out / name, text)
        except OSError as exc:
            _fail(f"cannot write {out / name}: {exc.strerror or exc}")
    click.echo(f"wrote {' and '.join(str(out / name) for name, _ in pack.files)}: {_count(pack.cases, 'case')} on "
               f"the agenda, {pack.pending} still to come, {_count(pack.overdue, 'follow-up')} overdue")


@cli.command()
@click.argument("audit", type=AUDIT)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text to paste into the case note; json for machines.")
@repo_option
def casenote(audit: tuple[str, object], output_format: str, repo: Path) -> None:
    """Print the case note to record in Mosaic after the QA meeting (R15).

    AUDIT is the audit's file (audits/YYYY-MM/<case-ref>.yaml) or YYYY-MM/<case-ref>.
    The wording is the guidance's own (section 3): the title "Quality Assurance:
    case audited" and the description "This case was audited on DD/MM/YY as part
    of the Early Help Quality Assurance process. Original audit has been sent to
    manager.", dated the day the audit was completed. With --format json:
    {"title", "description", "case", "audited_on"}. Exits 1 when there is no such
    audit or it does not load, and 2 on a usage error.
    """
    from ehqa.documents.casenote import casenote as make_note
    from ehqa.load.repository import classify, load_single
    from ehqa.load.schema_check import SchemaError

    relative = audit_path(audit, repo)
    if not (repo / relative).is_file():
        _fail(f"there is no audit {relative.removeprefix('audits/').removesuffix('.yaml')}: {relative} does not exist")
    if classify(relative) != "audit":  # the AUDIT type already refuses these; never trust a guess
        raise click.BadParameter(f"{relative} is not an audit file", param_hint="AUDIT")
    try:
        record, findings = load_single(repo, relative)
    except SchemaError as exc:
        raise click.UsageError(str(exc)) from None
    if record is None:
        _fail(f"{relative} could not be read ({len(findings)} problems): run `ehqa validate` and fix it first")
    note = make_note(record)
    if output_format == "json":
        click.echo(json.dumps({"title": note.title, "description": note.description, "case": record.case,
                               "audited_on": record.completed.isoformat()}, indent=2, ensure_ascii=False))
    else:
        click.echo(note.as_text(), nl=False)
    if record.followup.report_sent_to_manager is None:
        click.echo(f"note: {relative} does not record followup.report_sent_to_manager: send the original audit to "
                   "the practitioner's manager before recording this case note (R15)", err=True)


def audit_path(audit: tuple[str, object], repo: Path) -> str:
    """The audit's path relative to the repository, or a usage error (exit 2)."""
    from ehqa.load.repository import classify

    kind, value = audit
    if kind == "key":
        return f"audits/{value}.yaml"
    path = Path(str(value))
    candidates = [path] if path.is_absolute() else [Path.cwd() / path, repo / path]
    for candidate in candidates:
        try:
            relative = candidate.resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            continue
        if classify(relative) == "audit":
            return relative
    raise click.BadParameter(f"{value} is not an audit file of the repository {repo}: audits are "
                             "audits/YYYY-MM/<case-ref>.yaml (or pass --repo)", param_hint="AUDIT")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _fail(message: str) -> NoReturn:
    click.echo(f"ehqa: {message}", err=True)
    sys.exit(1)
