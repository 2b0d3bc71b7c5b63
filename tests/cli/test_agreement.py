"""`ehqa agreement` (issue 14): the figures from a ratings file or the repository, as JSON, plain English and
Markdown; a ratings file with any bad row is reported line by line, with check ids, and gives no figures."""

from __future__ import annotations

import json

import pytest

from conftest import AS_OF, FIXTURE_SERVICE, ROOT

RATINGS = ROOT / "tests" / "fixtures" / "ratings" / "krippendorff-2011.csv"
TOP_LEVEL = [
    "units",
    "raters",
    "ratings",
    "exact",
    "within_one",
    "alpha_ordinal",
    "alpha_nominal",
    "ac1",
    "ac2_ordinal",
    "kappa_quadratic",
]


def _run(ehqa, *args):
    return ehqa("agreement", "--repo", FIXTURE_SERVICE, "--as-of", AS_OF, *args)


def test_json_from_a_ratings_file_has_the_issues_keys_and_krippendorffs_figures(ehqa) -> None:
    """The fixture is Krippendorff's (2011) worked example as grades (1 = outstanding ... 5 = inadequate-critical),
    without unit 12, whose one rating a ratings file refuses: alpha nominal 0.743, ordinal 0.815, pa 0.818."""
    result = _run(ehqa, "--ratings", RATINGS, "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert list(found)[: len(TOP_LEVEL)] == TOP_LEVEL
    assert (found["units"], found["raters"], found["ratings"]) == (11, 4, 40)
    assert found["alpha_nominal"]["value"] == pytest.approx(0.743, abs=5e-4)
    assert found["alpha_ordinal"]["value"] == pytest.approx(0.815, abs=5e-4)
    assert found["exact"]["value"] == pytest.approx(0.818, abs=5e-4)
    assert found["kappa_quadratic"] is None  # four raters
    low, high = found["ac1"]["ci95"]
    assert low <= found["ac1"]["value"] <= high


def test_the_seed_fixes_the_intervals(ehqa) -> None:
    first = json.loads(_run(ehqa, "--ratings", RATINGS, "--format", "json", "--seed", "3").stdout)
    again = json.loads(_run(ehqa, "--ratings", RATINGS, "--format", "json", "--seed", "3").stdout)
    other = json.loads(_run(ehqa, "--ratings", RATINGS, "--format", "json", "--seed", "4", "--resamples", "500").stdout)
    assert first == again and first["alpha_ordinal"]["ci95"] != other["alpha_ordinal"]["ci95"]
    assert other["resamples"] == 500


def test_text_reads_in_plain_english(ehqa) -> None:
    result = _run(ehqa, "--ratings", RATINGS)
    assert result.exit_code == 0, result.output
    assert "11 units graded independently by two or more people (4 graders, 40 grades)" in result.output
    assert "Same grade:" in result.output and "82% (95% interval" in result.output
    assert "Graders agree well beyond chance" in result.output


def test_markdown_is_one_table(ehqa) -> None:
    result = _run(ehqa, "--ratings", RATINGS, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "| Grades in the ratings file | 11 | 82% (" in result.output


def test_two_raters_get_quadratic_kappa(ehqa, tmp_path) -> None:
    rows = ["unit,rater,grade"] + [
        f"u{i},first,{g}\nu{i},second,{h}"
        for i, (g, h) in enumerate(
            [("good", "good")] * 6
            + [("good", "requires-improvement")] * 3
            + [("outstanding", "good")] * 2
            + [("inadequate", "requires-improvement")] * 2
        )
    ]
    ratings = tmp_path / "two.csv"
    ratings.write_text("\n".join(rows) + "\n", encoding="utf-8")
    found = json.loads(_run(ehqa, "--ratings", ratings, "--format", "json").stdout)
    assert found["raters"] == 2 and found["kappa_quadratic"]["value"] is not None


def test_too_few_units_say_so_instead_of_a_number(ehqa, tmp_path) -> None:
    ratings = tmp_path / "few.csv"
    ratings.write_text("unit,rater,grade\n1,a,good\n1,b,good\n2,a,good\n2,b,inadequate\n", encoding="utf-8")
    result = _run(ehqa, "--ratings", ratings, "--format", "json")
    found = json.loads(result.stdout)
    assert found["units"] == 2 and found["exact"]["value"] is None and found["exact"]["ci95"] is None
    assert "too few units: 2" in found["exact"]["reason"] and "agreement.min_units" in found["exact"]["reason"]
    assert "Not measured: too few units" in _run(ehqa, "--ratings", ratings).output


@pytest.mark.rule("R9")
def test_every_bad_row_is_reported_by_line_and_nothing_is_worked_out(ehqa, tmp_path) -> None:
    ratings = tmp_path / "bad.csv"
    ratings.write_text(
        "unit,rater,grade\n"  # 1
        "1,a,good\n"  # 2
        "1,b,Good enough\n"  # 3: not a grade id
        "2,a,good\n"  # 4
        "2,a,inadequate\n"  # 5: a grades unit 2 twice
        "2,b,good\n"  # 6
        "3,a\n"  # 7: two values
        "4,a,requires-improvement\n"  # 8: unit 4's only grade
        "4,b,\n",  # 9: missing, fine
        encoding="utf-8",
    )
    result = _run(ehqa, "--ratings", ratings, "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    name = str(ratings)
    assert f"{name}:2: error[RATINGS-ONE-GRADE]: unit '1' has only one grade" in result.output  # line 3's was refused
    assert f"{name}:3: error[RATINGS-GRADE]: 'Good enough' is not a grade of qa.yaml" in result.output
    assert f"{name}:5: error[RATINGS-DUPLICATE]: rater 'a' grades unit '2' twice (first on line 4)" in result.output
    assert f"{name}:7: error[RATINGS-ROW]" in result.output
    assert f"{name}:8: error[RATINGS-ONE-GRADE]: unit '4'" in result.output
    assert "nothing was worked out" in result.output and '"units"' not in result.output


@pytest.mark.parametrize(
    "content, rule",
    [
        (b"unit;rater;grade\n1;a;good\n", "RATINGS-HEADER"),
        (b"case,auditor,grade\n1,a,good\n", "RATINGS-HEADER"),
        (b"", "RATINGS-HEADER"),
        (b"unit,rater,grade\n1,a,\xe9\n", "FILE-UNREADABLE"),
    ],
    ids=["semicolons", "other-names", "empty", "not-utf8"],
)
def test_a_file_that_is_not_a_ratings_file_is_refused_on_line_one(ehqa, tmp_path, content, rule) -> None:
    ratings = tmp_path / "bad.csv"
    ratings.write_bytes(content)
    result = _run(ehqa, "--ratings", ratings)
    assert result.exit_code == 1 and f"{ratings}:1: error[{rule}]" in result.output, result.output


def test_a_missing_ratings_file_is_a_data_error(ehqa, tmp_path) -> None:
    result = _run(ehqa, "--ratings", tmp_path / "nowhere.csv")
    assert result.exit_code == 1 and "FILE-UNREADABLE" in result.output and "Traceback" not in result.output


def test_a_spreadsheets_byte_order_mark_and_blank_lines_are_fine(ehqa, tmp_path) -> None:
    ratings = tmp_path / "bom.csv"
    ratings.write_bytes("\ufeff".encode() + RATINGS.read_bytes().replace(b"\n", b"\r\n", 3) + b"\n\n")
    found = json.loads(_run(ehqa, "--ratings", ratings, "--format", "json").stdout)
    assert found["units"] == 11


def test_a_period_must_be_a_year_or_quarter(ehqa) -> None:
    result = _run(ehqa, "--period", "2026-Q5")
    assert result.exit_code == 2 and "not a period" in result.output


def test_the_repository_without_independent_grades_is_not_measured_yet(ehqa) -> None:
    result = _run(ehqa, "--period", "2026")
    assert result.exit_code == 0, result.output
    assert "not measured yet" in result.output
    found = json.loads(_run(ehqa, "--format", "json", "--period", "2026-Q4").stdout)
    assert found["period"] == "2026-Q4" and found["units"] == 0 and found["domains"] == {}
    assert found["drift"]["mean_difference"]["value"] is None


@pytest.mark.rule("R22")
def test_calibration_sheets_are_private_and_refused_inside_the_site(ehqa, service_copy, tmp_path) -> None:
    refused = ehqa(
        "agreement",
        "--repo",
        service_copy,
        "--as-of",
        AS_OF,
        "--calibration",
        "--out",
        service_copy / "site" / "calibration",
    )
    assert refused.exit_code == 2 and "calibration sheets name auditors" in refused.output
    assert ehqa("agreement", "--repo", service_copy, "--as-of", AS_OF, "--calibration").exit_code == 2
    written = ehqa("agreement", "--repo", service_copy, "--as-of", AS_OF, "--calibration", "--out", tmp_path / "cal")
    assert written.exit_code == 0, written.output
    assert "No audit has independent grades" in (tmp_path / "cal" / "index.md").read_text(encoding="utf-8")
