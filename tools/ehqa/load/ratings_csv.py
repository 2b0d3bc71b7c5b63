"""A ratings file (``ehqa agreement --ratings FILE.csv``, issue 14): a service's double-marking, kept in a
spreadsheet, read into the model's ratings.

The file is CSV, UTF-8 (a spreadsheet's byte-order mark is fine), with the header ``unit,rater,grade`` and one row
per rating: the unit graded (any text: a case audit's own number in the spreadsheet, never needed to be a case
reference), who graded it, and the grade as an id of qa.yaml's grades (``good``, ``requires-improvement``...),
blank where it is missing (``not-applicable``, a domain's, counts as missing too). Every problem is reported with
its line and check id (``framework.checks.RATINGS_RULES``); a file with any problem gives no ratings at all, so
that no figure is ever worked out from part of a file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ehqa.findings import Finding, shown
from ehqa.model.enums import Grade
from ehqa.model.ratings import OVERALL_SCALE, Rating, Ratings
from ehqa.model.settings import Settings

HEADER = ("unit", "rater", "grade")
MAX_BYTES = 64 * 1024 * 1024  # a ratings file larger than this is refused unread


def read_ratings(
    path: Path, settings: Settings | None, shown_as: str | None = None
) -> tuple[Ratings | None, list[Finding]]:
    """The ratings in a file and no findings, or None and every problem found (file, line, check id)."""
    name = shown_as or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [Finding("FILE-UNREADABLE", f"the file is over {MAX_BYTES // (1024 * 1024)} MB", name, line=1)]
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [
            Finding(
                "FILE-UNREADABLE",
                "the file is not UTF-8 text: save it from the spreadsheet as 'CSV UTF-8'",
                name,
                line=1,
            )
        ]
    except OSError as exc:
        return None, [Finding("FILE-UNREADABLE", f"the file cannot be read ({exc.strerror or exc})", name, line=1)]
    return parse_ratings(text, settings, name)


def parse_ratings(text: str, settings: Settings | None, name: str) -> tuple[Ratings | None, list[Finding]]:
    """The ratings in a ratings file's text (see the module), or None and the findings."""
    ids = {grade.value: grade for grade in (settings.grades if settings else OVERALL_SCALE)}
    scale = tuple(grade for grade in OVERALL_SCALE if grade in ids.values())
    findings: list[Finding] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return None, [Finding("RATINGS-HEADER", f"the first line is not CSV: {exc}", name, line=1)]
    if header is None or tuple(cell.strip().lower() for cell in header) != HEADER:
        got = ",".join(header) if header else "nothing"
        return None, [
            Finding(
                "RATINGS-HEADER", f"the first line must be the header unit,rater,grade, not {shown(got)}", name, line=1
            )
        ]
    ratings: list[tuple[int, Rating]] = []
    first_line: dict[tuple[str, str], int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            rating = _rating(row, line, ids, name, findings)
            if rating is None:
                continue
            key = (rating.unit, rating.rater)
            if key in first_line:
                findings.append(
                    Finding(
                        "RATINGS-DUPLICATE",
                        f"rater {shown(rating.rater)} grades unit "
                        f"{shown(rating.unit)} twice (first on line {first_line[key]}): keep one",
                        name,
                        line=line,
                    )
                )
                continue
            first_line[key] = line
            ratings.append((line, rating))
    except csv.Error as exc:
        findings.append(Finding("RATINGS-ROW", f"this line is not CSV: {exc}", name, line=reader.line_num))
    findings += _single_grades(ratings, name)
    if findings:
        return None, sorted(findings, key=lambda f: (f.line or 0, f.rule))
    return Ratings(scale, tuple(rating for _, rating in ratings)), []


def _rating(row: list[str], line: int, ids: dict[str, Grade], name: str, findings: list[Finding]) -> Rating | None:
    if len(row) != len(HEADER):
        findings.append(
            Finding(
                "RATINGS-ROW", f"a row has three values, unit,rater,grade; this one has {len(row)}", name, line=line
            )
        )
        return None
    unit, rater, grade = (cell.strip() for cell in row)
    if not unit or not rater:
        findings.append(Finding("RATINGS-ROW", f"the {'unit' if not unit else 'rater'} is missing", name, line=line))
        return None
    if grade and grade not in ids and grade != Grade.NOT_APPLICABLE.value:
        findings.append(
            Finding(
                "RATINGS-GRADE",
                f"{shown(grade)} is not a grade of qa.yaml: use one of "
                + ", ".join(ids)
                + ", or leave it blank where the grade is missing",
                name,
                line=line,
            )
        )
        return None
    return Rating(unit, rater, ids.get(grade))


def _single_grades(ratings: list[tuple[int, Rating]], name: str) -> list[Finding]:
    """A unit with exactly one grade: nothing to agree with, and most often a mistyped unit or a lost row."""
    graded: dict[str, list[int]] = {}
    for line, rating in ratings:
        if rating.grade is not None:
            graded.setdefault(rating.unit, []).append(line)
    return [
        Finding(
            "RATINGS-ONE-GRADE",
            f"unit {shown(unit)} has only one grade, so it cannot show agreement: a mistyped unit, or a missing row?",
            name,
            line=lines[0],
        )
        for unit, lines in graded.items()
        if len(lines) == 1
    ]
