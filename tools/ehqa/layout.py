"""Where everything lives in a QA repository: every path and name ehqa knows, defined once.

``classify`` says what a repository-relative path is. The loader (``ehqa validate`` and every
command that reads data) and ``ehqa check-pr`` both ask it, so that the two can never disagree
about which files count. Under ``audits/`` and ``cycles/`` there is nothing else: an entry ehqa
does not know is a problem with a rule id, never skipped. A file nothing reads can carry a
change no check saw: issue 9's auditor made ``X.yaml`` a symbolic link to ``X.YAML``, and an
unallocated user then regraded the audit by editing ``X.YAML`` (R4, R15).

The layout::

    qa.yaml, staff.yaml                      the settings and the staff directory
    cycles/YYYY-MM.yaml                      a cycle (R1)
    cycles/YYYY-MM.allocation.yaml           its allocation (R4)
    cycles/YYYY-MM.moderation.yaml           its moderation sample (issue 14, ehqa moderate)
    audits/YYYY-MM/                          one folder per cycle, holding only:
    audits/YYYY-MM/<case-ref>.yaml             an audit (R8)
    audits/YYYY-MM/<case-ref>.worker.yaml      a Perspective of Worker form (R7)
    audits/YYYY-MM/<case-ref>.records/         what people did after the audit, one file per act:
        <date>.<kind>.<staff-id>.yaml            (a second file of the same day, kind and
        <date>.<kind>.<staff-id>.<n>.yaml         author is numbered 2, 3...; issue 11)
    schemas/<kind>.schema.json               the JSON Schema each kind of file is checked by

Everything else in the repository (README.md, schemas/, tools/, ...) is not ehqa's data, and
``classify`` returns None for it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from typing import Iterable

SETTINGS_FILE = "qa.yaml"
STAFF_FILE = "staff.yaml"
CYCLES = "cycles"
AUDITS = "audits"
SCHEMAS = "schemas"
WORKER_SUFFIX = ".worker.yaml"  # a Perspective of Worker form beside its audit
RECORDS_SUFFIX = ".records"  # the folder of an audit's follow-up records, beside it
ROOT_FILES = (SETTINGS_FILE, STAFF_FILE)
DATA_FOLDERS = (CYCLES, AUDITS)

_CYCLE = r"(?P<cycle>[0-9]{4}-[0-9]{2})"
_CASE = r"(?P<case>[^/.]+)"
_RECORD_NAME = (r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})\.(?P<kind>[a-z][a-z-]{0,39})"
                r"\.(?P<by>[A-Za-z][A-Za-z0-9_-]{0,31})(?:\.(?P<number>[2-9]|[1-9][0-9]))?\.yaml")
# Data files by kind, each the pattern of a whole repository-relative path.
DATA_FILES: dict[str, re.Pattern[str]] = {
    "settings": re.compile(re.escape(SETTINGS_FILE)),
    "staff": re.compile(re.escape(STAFF_FILE)),
    "cycle": re.compile(rf"{CYCLES}/{_CYCLE}\.yaml"),
    "allocation": re.compile(rf"{CYCLES}/{_CYCLE}\.allocation\.yaml"),
    "moderation": re.compile(rf"{CYCLES}/{_CYCLE}\.moderation\.yaml"),
    "worker": re.compile(rf"{AUDITS}/{_CYCLE}/{_CASE}{re.escape(WORKER_SUFFIX)}"),
    "audit": re.compile(rf"{AUDITS}/{_CYCLE}/{_CASE}\.yaml"),
    "record": re.compile(rf"{AUDITS}/{_CYCLE}/{_CASE}{re.escape(RECORDS_SUFFIX)}/{_RECORD_NAME}"),
}
CYCLE_FOLDER = re.compile(rf"{AUDITS}/{_CYCLE}")
RECORDS_FOLDER = re.compile(rf"{AUDITS}/{_CYCLE}/{_CASE}{re.escape(RECORDS_SUFFIX)}")
# The same names in any case: a match here and not above is a case variant (X.YAML, Audits/).
_ANY_CASE = {kind: re.compile(pattern.pattern, re.IGNORECASE) for kind, pattern in DATA_FILES.items()}
_TOP_NAMES = {name.casefold(): name for name in ROOT_FILES + DATA_FOLDERS}

# Each kind of data file's path as people read it, in messages and the handbook.
NAMED = {"settings": SETTINGS_FILE, "staff": STAFF_FILE, "cycle": f"{CYCLES}/YYYY-MM.yaml",
         "allocation": f"{CYCLES}/YYYY-MM.allocation.yaml", "moderation": f"{CYCLES}/YYYY-MM.moderation.yaml",
         "audit": f"{AUDITS}/YYYY-MM/<case-ref>.yaml",
         "worker": f"{AUDITS}/YYYY-MM/<case-ref>.worker.yaml",
         "record": f"{AUDITS}/YYYY-MM/<case-ref>{RECORDS_SUFFIX}/<date>.<kind>.<staff-id>.yaml"}
EXPECTED = {
    CYCLES: f"{NAMED['cycle']}, {NAMED['allocation']} or {NAMED['moderation']}",
    AUDITS: f"{NAMED['audit']}, <case-ref>{WORKER_SUFFIX} or <case-ref>{RECORDS_SUFFIX}/<date>.<kind>.<by>.yaml",
}

# Rule ids (rules/catalogue.py gives each the same R-number). A link or a case variant routes a
# change around check-pr, which judges who may change an audit (R4, and R15 for a closed one) by
# the names it knows; a stray folder or an unknown file holds content validate never checks (R8).
SYMLINK_RULE = "FILE-SYMLINK"
CASE_RULE = "FILE-CASE"
STRAY_FOLDER_RULE = "FILE-STRAY-FOLDER"
UNKNOWN_RULE = "FILE-UNKNOWN"
RULE_CITES = {SYMLINK_RULE: "R4", CASE_RULE: "R4", STRAY_FOLDER_RULE: "R8", UNKNOWN_RULE: "R8"}


class EntryType(Enum):
    """What an entry is on disk (``os.lstat``) or in a Git tree (its mode)."""

    FILE = "file"
    FOLDER = "folder"
    SYMLINK = "symbolic link"
    OTHER = "special file"  # a pipe, a socket, a device; in Git, a submodule


@dataclass(frozen=True, slots=True)
class Known:
    """A path ehqa knows: a data file (settings, staff, cycle, allocation, audit, worker, record) or a
    folder of data (``folder``). For a record, ``record`` holds what its name says."""

    kind: str
    cycle: str | None = None
    case: str | None = None
    record: RecordName | None = None


@dataclass(frozen=True, slots=True)
class RecordName:
    """What a record's file name says: ``<date>.<kind>.<by>[.<number>].yaml``."""

    date: str
    kind: str
    by: str
    number: int = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an entry is not one ehqa knows; the message ends with the R-number its rule protects."""

    rule: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", f"{self.message} ({RULE_CITES[self.rule]})")


def classify(path: str, entry: EntryType = EntryType.FILE) -> Known | Problem | None:
    """What ``path`` (relative to the QA repository, with forward slashes) is.

    ``Known`` for a data file or folder ehqa reads; ``Problem`` for anything else under
    ``audits/`` or ``cycles/`` (and for a settings or staff file that is not a regular file);
    None for a path outside ehqa's data. The first wrong step of the path decides: a file in a
    stray folder is reported for the folder.
    """
    parts = path.split("/")
    top = parts[0]
    proper = _TOP_NAMES.get(top.casefold())
    if proper is None:
        return None
    if top != proper:
        inside = f"this file is inside {top}/, and " if len(parts) > 1 else ""
        return Problem(CASE_RULE, f"{inside}{top} differs from {proper} only by case: on Windows and macOS the two "
                                  f"are one name, and ehqa reads only {proper}; rename it")
    if top in ROOT_FILES and (len(parts) > 1 or entry is EntryType.FOLDER):
        return Problem(STRAY_FOLDER_RULE, f"{top} is a folder; it must be the file ehqa reads")
    for depth in range(1, len(parts)):  # every folder on the way must be one ehqa knows
        folder = "/".join(parts[:depth])
        if not _known_folder(folder):
            return _stray(folder, path)
    if entry in (EntryType.SYMLINK, EntryType.OTHER):
        what = "a symbolic link" if entry is EntryType.SYMLINK else "not a regular file (a pipe, a device, a submodule)"
        return Problem(SYMLINK_RULE, f"this is {what}: ehqa never reads through one, because what it points at can "
                                     "change without that change being checked; put the real file here")
    if entry is EntryType.FOLDER:
        return Known("folder", _cycle_of(path)) if _known_folder(path) else _stray(path, path)
    for kind, pattern in DATA_FILES.items():
        match = pattern.fullmatch(path)
        if match:
            groups = match.groupdict()
            name = (RecordName(groups["date"], groups["kind"], groups["by"], int(groups["number"] or 1))
                    if kind == "record" else None)
            return Known(kind, groups.get("cycle"), groups.get("case"), name)
    for kind, pattern in _ANY_CASE.items():
        match = pattern.fullmatch(path)
        if match:
            return Problem(CASE_RULE, f"this name differs only by case from {_proper_name(kind, match)}, the name "
                                      "ehqa reads: on Windows and macOS the two are one file; rename it to that")
    if path in DATA_FOLDERS:
        return Problem(UNKNOWN_RULE, f"{path} must be a folder")
    return Problem(UNKNOWN_RULE, f"ehqa does not know this file; it expects {EXPECTED[top]}, and nothing reads "
                                 "any other file there")


def data_kind(path: str) -> str | None:
    """The kind of data file at ``path`` (settings, staff, cycle, allocation, audit, worker), or None."""
    found = classify(path)
    return found.kind if isinstance(found, Known) else None


def case_key(path: str) -> str:
    """Two paths with the same key are one path on a case-insensitive file system (Windows, macOS)."""
    return unicodedata.normalize("NFC", path).casefold()


def case_clashes(paths: Iterable[str]) -> dict[str, list[str]]:
    """For each path another path differs from only by case (or Unicode normalisation), those others."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        groups[case_key(path)].append(path)
    return {path: sorted(p for p in group if p != path) for group in groups.values() if len(group) > 1
            for path in group}


def clash_problem(path: str, others: list[str]) -> Problem:
    names = ", ".join(others)
    return Problem(CASE_RULE, f"{path} and {names} differ only by case: on Windows and macOS they are one file, so "
                              "which one is read depends on the computer; keep one")


def audit_path(cycle: str, case: str) -> str:
    return f"{AUDITS}/{cycle}/{case}.yaml"


def audit_path_of_key(key: str) -> str:
    """An audit's path from its key, ``YYYY-MM/<case-ref>`` (as a re-audit's ``reaudit_of`` names it)."""
    return f"{AUDITS}/{key}.yaml"


def audit_key(path: str) -> str:
    """An audit's key from its path: ``audits/YYYY-MM/<case-ref>.yaml`` -> ``YYYY-MM/<case-ref>``."""
    return path.removeprefix(f"{AUDITS}/").removesuffix(".yaml")


def worker_path(cycle: str, case: str) -> str:
    return f"{AUDITS}/{cycle}/{case}{WORKER_SUFFIX}"


def records_folder(cycle: str, case: str) -> str:
    return f"{AUDITS}/{cycle}/{case}{RECORDS_SUFFIX}"


def record_path(cycle: str, case: str, day: str, kind: str, by: str, number: int = 1) -> str:
    """``audits/YYYY-MM/<case>.records/<day>.<kind>.<by>[.<number>].yaml``: the author is in the name,
    so two people never write the same file."""
    suffix = f".{number}" if number > 1 else ""
    return f"{records_folder(cycle, case)}/{day}.{kind}.{by}{suffix}.yaml"


def cycle_path(cycle: str) -> str:
    return f"{CYCLES}/{cycle}.yaml"


def allocation_path(cycle: str) -> str:
    return f"{CYCLES}/{cycle}.allocation.yaml"


def moderation_path(cycle: str) -> str:
    return f"{CYCLES}/{cycle}.moderation.yaml"


# The schema of each kind of data file, in schemas/; a file names its own by a path relative to its folder.
SCHEMA_FILES = {kind: f"{kind}.schema.json"
                for kind in ("settings", "staff", "cycle", "allocation", "moderation", "audit", "worker", "record")}
_DEPTH = {"settings": 0, "staff": 0, "cycle": 1, "allocation": 1, "moderation": 1, "audit": 2, "worker": 2,
          "record": 3}


def schema_reference(kind: str) -> str:
    """The schema of a kind of file as that file names it: ``../../schemas/audit.schema.json`` from an audit."""
    return "../" * _DEPTH[kind] + f"{SCHEMAS}/{SCHEMA_FILES[kind]}"


def _known_folder(folder: str) -> bool:
    return (folder in DATA_FOLDERS or CYCLE_FOLDER.fullmatch(folder) is not None
            or RECORDS_FOLDER.fullmatch(folder) is not None)


def _cycle_of(folder: str) -> str | None:
    match = CYCLE_FOLDER.fullmatch(folder) or RECORDS_FOLDER.fullmatch(folder)
    return match["cycle"] if match else None


def _stray(folder: str, path: str) -> Problem:
    parent = folder.rsplit("/", 1)[0]
    if folder.startswith(AUDITS + "/") and folder.count("/") == 1:
        where = "audits/ holds one folder per cycle, named YYYY-MM"
    elif CYCLE_FOLDER.fullmatch(parent):
        where = f"{parent}/ holds files, and a <case-ref>{RECORDS_SUFFIX}/ folder of records beside an audit"
    else:
        where = f"{parent}/ holds files only"
    inside = "" if folder == path else f"this file is inside {folder}/, and "
    return Problem(STRAY_FOLDER_RULE, f"{inside}{folder}/ is a folder ehqa does not know ({where}); nothing reads "
                                      "what is in it: move the files where they belong, or delete it")


def _proper_name(kind: str, match: re.Match[str]) -> str:
    groups = match.groupdict()
    cycle, case = (groups.get("cycle") or "").lower(), groups.get("case") or ""
    return {"settings": SETTINGS_FILE, "staff": STAFF_FILE, "cycle": cycle_path(cycle),
            "allocation": allocation_path(cycle), "moderation": moderation_path(cycle), "worker": worker_path(cycle, case),
            "audit": audit_path(cycle, case),
            "record": (record_path(cycle, case, groups["date"], groups["kind"].lower(), groups["by"],
                                   int(groups["number"] or 1)) if kind == "record" else "")}[kind]
