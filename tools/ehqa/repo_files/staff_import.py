"""``ehqa staff import``: staff.yaml from a spreadsheet of the service's staff, saved as CSV (issue 12, item 19).

One row a person, with a header row naming the columns (any order; the names are case-blind):

| column | | what it holds |
| --- | --- | --- |
| ``id`` | required | a staff id that never changes: a letter first (an employee number with a letter in front, ``e10234``) |
| ``name`` | required | the person's name as colleagues know it |
| ``role`` | required | one of the roles of ``staff.yaml`` (``practitioner``, ``team-manager``, ...) |
| ``team`` | required | the team's id: lower-case letters, digits and hyphens (``eh-north``) |
| ``team_name`` | | the team's name, given on any one row of the team (else its id) |
| ``line_manager`` | | the line manager's staff id (R6 conflicts follow the chain) |
| ``auditor`` | | ``yes`` when the person is in the auditor pool (section 2.2); blank or ``no`` when not |
| ``github`` | | the person's GitHub handle, for CODEOWNERS and the pull-request checks |
| ``email`` | | a work email address, for the notices |

Every row is checked as ``ehqa validate`` checks staff.yaml (the schema and the directory's own rules:
duplicate ids and handles, line managers that exist and do not loop), and each problem is reported
with its line of the CSV file. Pure: the CSV's text in, staff.yaml's text (or the problems) out; the
command writes the file only when there is none.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ehqa.atomic import create_or_fail, write_or_fail
from ehqa.errors import DataError
from ehqa.findings import Finding
from ehqa.layout import SCHEMAS
from ehqa.load import convert
from ehqa.load.repository import STAFF_FILE
from ehqa.load.schema_check import Schemas
from ehqa.repo_files.yaml_text import dump_document
from ehqa.rules.staff_settings import check_staff

REQUIRED = ("id", "name", "role", "team")
OPTIONAL = ("team_name", "line_manager", "auditor", "github", "email")
COLUMNS = REQUIRED + OPTIONAL
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"", "no", "n", "false", "0"})
HEADER = """\
# Teams and staff: who takes part in QA. Ids never change and are never reused.
# Imported by `ehqa staff import`; from now on edit this file (and run `ehqa validate`).
"""


@dataclass(frozen=True, slots=True)
class Imported:
    """staff.yaml's text, or the problems that stop it (``"line N: ..."``), and what is worth knowing."""

    text: str
    people: int
    teams: int
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def import_staff(csv_text: str, schemas: Schemas) -> Imported:
    """staff.yaml from the CSV's text; nothing when any row is wrong (``problems``)."""
    rows = list(csv.reader(io.StringIO(csv_text.removeprefix("\ufeff"))))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return Imported(
            "",
            0,
            0,
            (
                "line 1: the file is empty; its first row names the columns: "
                f"{', '.join(REQUIRED)} and any of {', '.join(OPTIONAL)}",
            ),
        )
    columns = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
    problems = [
        f"line 1: unknown column '{c}'; the columns are {', '.join(COLUMNS)}" for c in columns if c not in COLUMNS
    ]
    problems += [f"line 1: the column '{c}' is missing" for c in REQUIRED if c not in columns]
    problems += [f"line 1: the column '{c}' appears twice" for c in set(columns) if columns.count(c) > 1]
    if problems:
        return Imported("", 0, 0, tuple(problems))
    people: list[dict[str, Any]] = []
    lines: list[int] = []  # the CSV line of each person
    team_names: dict[str, str] = {}
    team_lines: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append(f"line {number}: {len(row)} cells where the header has {len(columns)}")
            continue
        cells = {c: v.strip() for c, v in zip(columns, row)}
        person: dict[str, Any] = {c: cells.get(c, "") for c in REQUIRED}
        if cells.get("line_manager"):
            person["line_manager"] = cells["line_manager"]
        auditor = cells.get("auditor", "").lower()
        if auditor in _YES:
            person["auditor"] = True
        elif auditor not in _NO:
            problems.append(f"line {number}: auditor '{cells['auditor']}' is not yes or no")
        for optional in ("github", "email"):
            if cells.get(optional):
                person[optional] = cells[optional].removeprefix("@") if optional == "github" else cells[optional]
        team, team_name = person["team"], cells.get("team_name", "")
        team_lines.setdefault(team, number)
        if team_name and team_names.setdefault(team, team_name) != team_name:
            problems.append(
                f"line {number}: team {team} is named '{team_names[team]}' on an earlier row, "
                f"'{team_name}' here; give each team one name"
            )
        people.append(person)
        lines.append(number)
    if not people and not problems:
        problems.append("line 2: there is nobody to import: one row a person, after the header")
    teams = [{"id": team, "name": team_names.get(team) or team} for team in team_lines]
    doc = {"teams": teams, "staff": people}
    team_line = list(team_lines.values())
    problems += [_at(f, lines, team_line) for f in schemas.check("staff", doc, "staff.yaml")]
    if not problems:
        directory = convert.staff(doc, "staff.yaml")
        problems += [_at(f, lines, team_line) for f in check_staff(directory)]
    if problems:
        return Imported("", len(people), len(teams), tuple(problems))
    without = [p["id"] for p in people if "github" not in p]
    warnings = (
        (
            f"{len(without)} of {len(people)} people have no GitHub handle ({', '.join(without[:5])}"
            f"{' and more' if len(without) > 5 else ''}): add one for each before `ehqa codeowners`, or "
            "they own no file and review nothing",
        )
        if without
        else ()
    )
    schema, _, body = dump_document(doc, "schemas/staff.schema.json").partition("\n")
    text = f"{schema}\n{HEADER}\n{body}"
    return Imported(text, len(people), len(teams), (), warnings)


def _at(finding: Finding, lines: list[int], team_lines: list[int]) -> str:
    """A finding about staff.yaml as the CSV's line and column."""
    where = finding.where
    line = 1
    if len(where) >= 2 and isinstance(where[1], int):
        rows = lines if where[0] == "staff" else team_lines
        line = rows[where[1]] if where[1] < len(rows) else 1
    column = next((w for w in where[2:] if isinstance(w, str)), None)
    if where[:1] == ("teams",) and column == "id":
        column = "team"
    shown = f" (column {column})" if column else ""
    return f"line {line}{shown}: {finding.message}"


def write_staff(repo: Path, csv_file: Path, *, replace: bool) -> Imported:
    """The command's edge with the disk: read the CSV, check it, write staff.yaml whole or not at all
    (never over an existing one unless ``replace``). ``DataError`` with every problem, by line."""
    try:
        csv_text = csv_file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f'{csv_file} is not UTF-8: save it from the spreadsheet as "CSV UTF-8"') from None
    except OSError as exc:
        raise DataError(f"cannot read {csv_file}: {exc.strerror or exc}") from None
    imported = import_staff(csv_text, Schemas.for_folder(repo / SCHEMAS))
    if imported.problems:
        shown = "\n".join(f"  {csv_file.name} {problem}" for problem in imported.problems)
        raise DataError(f"staff.yaml not written: {len(imported.problems)} problem(s) in {csv_file.name}\n{shown}")
    target = repo / STAFF_FILE
    if replace:
        write_or_fail(target, imported.text, STAFF_FILE)
    else:
        create_or_fail(
            target,
            imported.text,
            f"{STAFF_FILE} exists: ehqa never overwrites it unless told to; "
            "add --replace to replace it with the import",
            STAFF_FILE,
        )
    return imported
