"""Every parameter type and shared option of the commands: bad input is refused before a command
runs (exit 2), in the same words wherever the parameter appears."""

from __future__ import annotations

import os
import re
from datetime import date, time
from pathlib import Path

import click

# --- parameter types ------------------------------------------------------------------------


class IsoDate(click.ParamType):
    """A date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a real date written YYYY-MM-DD", param, ctx)


class CycleId(click.ParamType):
    """A cycle, written YYYY-MM."""

    name = "YYYY-MM"

    def convert(self, value, param, ctx):
        if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
            cycle, _, case = str(value).partition("/")
            if case and re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", cycle):  # an audit's key, as other commands print
                self.fail(f"{value!r} is an audit (cycle/case); here the cycle is written alone, YYYY-MM: {cycle}",
                          param, ctx)
            self.fail(f"{value!r} is not a cycle written YYYY-MM", param, ctx)
        return value


class Year(click.ParamType):
    """A calendar year, written YYYY."""

    name = "YYYY"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not re.fullmatch(r"[0-9]{4}", str(value)) or not 1900 <= int(value) <= 2199:
            self.fail(f"{value!r} is not a year written YYYY (for example 2027)", param, ctx)
        return int(value)


class PeriodParam(click.ParamType):
    """A period of cycles: a year, YYYY, or a quarter, YYYY-Qn (``model.periods``)."""

    name = "YYYY|YYYY-Qn"

    def convert(self, value, param, ctx):
        from ehqa.model.periods import PERIOD_FORMS, parse_period

        found = parse_period(str(value))
        if found is None:
            self.fail(f"{value!r} is not a period: write {PERIOD_FORMS}", param, ctx)
        return found.label


class RepoDir(click.ParamType):
    """A QA repository: a folder with a schemas/ folder in it."""

    name = "DIR"

    def convert(self, value, param, ctx):
        path = Path(value).resolve()
        if not (path / "schemas").is_dir():
            self.fail(f"{value} is not a QA repository: it has no schemas/ folder (run from the repository root, or pass --repo)", param, ctx)
        return path


class Folder(click.Path):
    """A folder to write into or read from: one that exists must be a folder, not a file, a device (/dev/null) or a
    pipe, which click's own check (``file_okay=False``) lets through to fail later in other words."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        if os.path.lexists(path) and not os.path.isdir(path):
            self.fail(f"{str(value)!r} is not a folder", param, ctx)
        return path


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


_AUDIT_KEY = re.compile(r"(?P<cycle>[0-9]{4}-(?:0[1-9]|1[0-2]))/(?P<case>[^/.\s]+)")


class AuditArg(click.ParamType):
    """An audit: its file (audits/YYYY-MM/<case-ref>.yaml) or its key (YYYY-MM/<case-ref>).

    Converts to ("key", "YYYY-MM/<case-ref>") or ("path", Path); ``audit_file`` matches it to the
    repository once --repo is known.
    """

    name = "AUDIT"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        if _AUDIT_KEY.fullmatch(text):
            return ("key", text)
        if text.endswith((".yaml", ".yml")) and not text.endswith((".worker.yaml", ".allocation.yaml")):
            return ("path", Path(text))
        self.fail(f"{value!r} is not an audit: give its file, audits/YYYY-MM/<case-ref>.yaml, or YYYY-MM/<case-ref> "
                  "(for example 2026-10/9104217)", param, ctx)


_CASE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")  # the schemas' case_ref: also a safe file name


class CaseRef(click.ParamType):
    name = "CASE"

    def convert(self, value, param, ctx):
        if not _CASE.fullmatch(str(value)):
            self.fail(f"{value!r} is not a case reference (letters, digits and hyphens, up to 32)", param, ctx)
        return str(value)


_STAFF_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")  # the schemas' staff_id: also a safe part of a file name


class StaffId(click.ParamType):
    name = "STAFF_ID"

    def convert(self, value, param, ctx):
        if not _STAFF_ID.fullmatch(str(value)):
            self.fail(f"{value!r} is not a staff id (a letter, then letters, digits, _ or -; up to 32), as "
                      "staff.yaml gives it", param, ctx)
        return str(value)



ISO_DATE = IsoDate()
CYCLE_ID = CycleId()
PERIOD = PeriodParam()
YEAR = Year()
REPO_DIR = RepoDir()
CLOCK_TIME = ClockTime()
FOLDER = Folder()


class AuditsArg(AuditArg):
    """An audit (as ``AuditArg``), or a whole cycle, YYYY-MM: every audit of the cycle. Converts to
    ("cycle", "YYYY-MM") for a cycle."""

    name = "AUDIT|YYYY-MM"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value.strip()):
            return ("cycle", value.strip())
        return super().convert(value, param, ctx)


AUDIT = AuditArg()
AUDITS = AuditsArg()
CASE_REF = CaseRef()
STAFF_ID = StaffId()

# --- arguments that need --repo to be understood ----------------------------------------------


def audit_files(audits: tuple[str, object], repo: Path) -> list[str]:
    """An AUDIT|YYYY-MM argument as the audits' paths relative to the repository: the one audit, or every
    audit file of the cycle's folder, by case reference (``DataError`` when the cycle has none)."""
    from ehqa.errors import DataError
    from ehqa.load.repository import classify

    kind, value = audits
    if kind != "cycle":
        return [audit_file(audits, repo)]
    folder = repo / "audits" / str(value)
    found = sorted(f"audits/{value}/{p.name}" for p in folder.glob("*.yaml") if p.is_file())
    found = [relative for relative in found if classify(relative) == "audit"]
    if not found:
        raise DataError(f"cycle {value} has no audits yet: audits/{value}/ holds no audit file")
    return found


def audit_file(audit: tuple[str, object], repo: Path) -> str:
    """An AUDIT argument as the audit's path relative to the repository, or a usage error (exit 2)."""
    from ehqa.load.repository import classify

    kind, value = audit
    if kind == "key":
        relative = f"audits/{value}.yaml"
        if classify(relative) != "audit":  # the AUDIT type already refuses these; never trust a guess
            raise click.BadParameter(f"{relative} is not an audit file", param_hint="AUDIT")
        return relative
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


def repo_relative_paths(paths: tuple[Path, ...], repo: Path) -> tuple[str, ...]:
    """PATHS relative to the repository (the root itself left out), or a usage error (exit 2) for one outside it."""
    relative = []
    for path in paths:
        try:
            relative.append(_repo_relative(path, repo))
        except ValueError:
            raise click.BadParameter(f"{path} is outside the repository {repo}", param_hint="PATHS") from None
    return tuple(p for p in relative if p)


def _repo_relative(path: Path, repo: Path) -> str:
    """PATH relative to the repository, without following a symbolic link at its end: naming a link
    reports on the link (FILE-SYMLINK), never on what it points at. ValueError when outside."""
    absolute = path.absolute()
    if absolute.name in ("", ".", ".."):
        resolved = absolute.resolve()
    else:
        resolved = absolute.parent.resolve() / absolute.name
    return resolved.relative_to(repo).as_posix().removeprefix(".")


# --- shared options -------------------------------------------------------------------------


def clock() -> date:
    """Today's date: the one place ehqa reads the clock (a test replaces it to run on another day)."""
    return date.today()


def _today_unless_given(ctx: click.Context, param: click.Parameter, value: date | None) -> date:
    # Everything below the command line is given "today": --as-of, else a demo service's own day (demo.as_of in
    # qa.yaml, issue 12 item 17), else the clock. --repo is read first: every command declares it before --as-of.
    if value is not None:
        return value
    demo_day = demo_as_of(ctx.params.get("repo"))
    if demo_day is None:
        return clock()
    shown = f"{demo_day:%A} {demo_day.day} {demo_day:%B %Y}"
    click.echo(f"ehqa: a demo service: shown as of {shown}, the day its story stands at (demo.as_of in qa.yaml); "
               "--as-of DATE shows another day", err=True)
    return demo_day


def demo_as_of(repo: Path | None) -> date | None:
    """qa.yaml's demo.as_of: the day a demo service's story stands at; None for a real service, and when
    qa.yaml cannot be read cleanly (the command then says what is wrong with it)."""
    from ehqa.layout import SETTINGS_FILE

    if repo is None or not (repo / SETTINGS_FILE).is_file():
        return None
    from ehqa.load.repository import load_single
    from ehqa.load.schema_check import SchemaError

    try:
        settings, _ = load_single(repo, SETTINGS_FILE)
    except SchemaError:
        return None
    return getattr(settings, "demo_as_of", None)


repo_option = click.option(
    "--repo",
    type=REPO_DIR,
    default=".",
    show_default=True,
    help="The QA repository's root folder.",
)
as_of_option = click.option(
    "--as-of",
    type=ISO_DATE,
    default=None,
    callback=_today_unless_given,
    help="Treat this day as today (YYYY-MM-DD); the default is today's date, or a demo service's own day "
         "(demo.as_of in qa.yaml).",
)
work_option = click.option(
    "--work", type=FOLDER, default=None,
    help="Where the generated Markdown and the caches go; never published. Default: a folder of this repository "
         "in $XDG_CACHE_HOME/ehqa (else ~/.cache/ehqa), outside the repository. CI: a fresh folder.")


def private_out_option(what: str):
    """--out for a document that names cases or staff: its --help names the folders ``privacy.private_output``
    refuses, from the one list that refuses them."""
    from ehqa.privacy.private_output import PRIVATE_DATA_FOLDERS, PUBLISHED_FOLDERS

    folders = ", ".join(f"{name}/" for name in (*PRIVATE_DATA_FOLDERS, *PUBLISHED_FOLDERS))
    return click.option(
        "--out", required=True, type=FOLDER,
        help=f"The folder to write {what} to, created with any missing parents. It names cases or staff: not the repository root, and "
             f"not inside {folders} or the build's work folder.")


# What each output format is for, in the words of --help; a command may say more about one.
_FORMAT_MEANINGS = {
    "text": "for people",
    "table": "for people",
    "github": "for workflow annotations",
    "json": "for machines",
    "markdown": "for an issue or job summary",
}


def format_option(*choices: str, **meanings: str):
    """--format (``output_format``): the first choice is the default; --help says what each is for."""
    described = "; ".join(f"{name} {meanings[name] if name in meanings else _FORMAT_MEANINGS[name]}" for name in choices)
    return click.option("--format", "output_format", type=click.Choice(list(choices)), default=choices[0],
                        show_default=True, help=f"{described}.")
