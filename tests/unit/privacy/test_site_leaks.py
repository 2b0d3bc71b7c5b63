"""The leak scan that ends every site build (privacy.site_scan): it finds every identifier, and only those."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import FIXTURE_SERVICE
from conftest import ROOT as REPO
from ehqa.load.repository import load_repository
from ehqa.privacy import leak_scan
from ehqa.privacy import site_scan as site_leaks
from ehqa.privacy.site_scan import (
    CASE_REFERENCE,
    GITHUB_HANDLE,
    STAFF_EMAIL,
    STAFF_ID,
    STAFF_NAME,
    UNREADABLE,
    Identifiers,
    Leak,
    format_leaks,
    identifiers_from,
    scan_site,
)

# R21: the built site is scanned for every identifier before it is published.
pytestmark = pytest.mark.rule("R21")

IDS = Identifiers(
    case_refs=frozenset({"4417302", "0412345", "5550001"}),
    staff_names=frozenset({"Femi Nash", "Siobhan O'Neill", "Zoë Adams"}),
    staff_ids=frozenset({"EH0001", "AB"}),
    handles=frozenset({"rkhan-eh", "demo-femin"}),
    emails=frozenset({"femi.nash@demoshire.example"}),
)
NAME_AND_EMAIL = (STAFF_NAME, STAFF_EMAIL)
SECRETS = [*IDS.case_refs, *IDS.staff_names, *IDS.staff_ids, *IDS.handles, *IDS.emails]


def reveals(text: str) -> list[str]:
    """The identifiers of IDS that text shows (the short id only as a word of its own)."""
    return [s for s in SECRETS if re.search(rf"(?<![0-9A-Za-z]){re.escape(s)}(?![0-9A-Za-z])", text, re.I)]


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def leaks_in(tmp_path: Path, content: str | bytes, relative: str = "page.html", ids: Identifiers = IDS) -> list[Leak]:
    site = tmp_path / "one"
    shutil.rmtree(site, ignore_errors=True)
    write(site, relative, content)
    return scan_site(site, ids)


# --- a small fake site with every kind of file ------------------------------------------------

INDEX_HTML = """<!doctype html>
<html lang="en"><head><title>Learning from audits</title></head>
<body>
<p>This month 144173029 people and 44173021 visits, 2025-01-14, 12:30.</p>
<p>The report was presented by Femi
   Nash at the meeting.</p>
<p>Teams XEH0001, EH00012 and EH0001x are not staff ids; ABC, AB-1 and x/AB are not either.</p>
<p>No one is named here: Femi alone, Nash alone, Adams alone.</p>
</body></html>
"""
THEME_HTML = """<html><body>
<h1>Chronology</h1>
<p>An excerpt written by Siobhan O&#39;Neill.</p>
<a href="/people/%72khan%2Deh/">profile</a>
<table><tr><td>AB</td><td>7</td></tr></table>
</body></html>
"""
SEARCH_INDEX = (
    '{"config":{"lang":["en"]},"docs":[\n'
    '{"location":"","text":"Nothing to see, 2025-01 and 12 audits.","title":"Home"},\n'
    '{"location":"cycles/","text":"Case \\u0034417302 reviewed","title":"Cycles"}\n'
    "]}\n"
)
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/cycles/2025-01/</loc></url>
</urlset>
"""
SITEMAP_GZ = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/cycles/2025-01/</loc></url>
<url><loc>https://example.org/cases/0412345/</loc></url>
</urlset>
"""
CHART_SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<svg xmlns="http://www.w3.org/2000/svg" width="460.8pt" height="345.6pt" viewBox="0 0 460.8 345.6">
 <path d="M 57.6 307.584 L 414.72 307.584 L 414.72 41.472 L 57.6 41.472 z" style="fill: #ffffff"/>
 <text x="57.6" y="20">ZOE
 ADAMS</text>
</svg>
"""
BUNDLE_JS = 'var a=1234567,b="\\n";function f(x){return x<3&&x>1}/* 2025 12 */\n'


@pytest.fixture
def fake_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site, "index.html", INDEX_HTML)
    write(site, "themes/chronology/index.html", THEME_HTML)
    write(site, "search/search_index.json", SEARCH_INDEX)
    write(site, "sitemap.xml", SITEMAP)
    write(site, "sitemap.xml.gz", gzip.compress(SITEMAP_GZ.encode()))
    write(site, "assets/charts/grades.svg", CHART_SVG)
    write(site, "assets/javascripts/bundle.js", BUNDLE_JS)
    write(site, "assets/stylesheets/extra.css", ".md-typeset a { text-decoration: underline }\n")
    write(site, "assets/images/favicon.png", b"\x89PNG\r\n\x1a\n\x00\x00 4417302 Femi Nash \x00")
    return site


def test_the_fake_site_has_exactly_its_planted_leaks(fake_site: Path) -> None:
    assert scan_site(fake_site, IDS) == [
        Leak("assets/charts/grades.svg", STAFF_NAME, 4),  # in an SVG <text>, unaccented, across a line
        Leak("index.html", STAFF_NAME, 5),  # split across a line break inside a paragraph
        Leak("search/search_index.json", CASE_REFERENCE, 3),  # JSON-escaped
        Leak("sitemap.xml.gz", CASE_REFERENCE, 4),  # in a URL, inside the compressed sitemap
        Leak("themes/chronology/index.html", STAFF_NAME, 3),  # apostrophe as &#39;
        Leak("themes/chronology/index.html", GITHUB_HANDLE, 4),  # URL-encoded
        Leak("themes/chronology/index.html", STAFF_ID, 5),  # a short id standing alone in a cell
    ]


def test_a_leak_never_shows_the_identifier(fake_site: Path) -> None:
    leaks = scan_site(fake_site, IDS)
    text = format_leaks(leaks) + "\n".join(map(str, leaks)) + repr(leaks)
    assert not reveals(text)
    assert "search/search_index.json: line 3: a case reference" in text
    assert "7 piece(s) of personal data in 5 file(s)" in text


def test_a_clean_folder_has_no_leaks(fake_site: Path) -> None:
    for relative in ("index.html", "themes/chronology/index.html", "search/search_index.json",
                     "sitemap.xml.gz", "assets/charts/grades.svg"):
        (fake_site / relative).unlink()
    assert scan_site(fake_site, IDS) == []
    with pytest.raises(FileNotFoundError):
        scan_site(fake_site / "nowhere", IDS)
    assert scan_site(fake_site, Identifiers()) == []


# --- each rule, one string at a time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "found"),
    [
        # case references: whole runs of digits, however encoded
        ("<td>4417302</td>", CASE_REFERENCE),
        ('<a href="/cycles/2025-01/4417302.html">', CASE_REFERENCE),
        ("case4417302", CASE_REFERENCE),
        ('["0412345","5550001"]', CASE_REFERENCE),
        ("%34%34%31%37%33%30%32", CASE_REFERENCE),
        ("%2534%2534%2531%2537%2533%2530%2532", CASE_REFERENCE),  # double-encoded
        ("&#52;417302", CASE_REFERENCE),
        ("\\u0034\\u0034\\u0031\\u0037\\u0033\\u0030\\u0032", CASE_REFERENCE),
        ("&amp;#52;417302", CASE_REFERENCE),  # double-encoded
        ("144173029", None),
        ("44173021 and 04412345", None),
        ("1.0412345", CASE_REFERENCE),  # digits after a point are a run of their own: cautious
        # staff names: the full name as whole words, flexible between them, any case
        ("femi nash", STAFF_NAME),
        ("FEMI&nbsp;NASH", STAFF_NAME),
        ("Femi</span> <span>Nash", STAFF_NAME),
        ("Femi<br>Nash", STAFF_NAME),
        ('"text":"Femi\\nNash"', STAFF_NAME),
        ("/people/femi-nash/", STAFF_NAME),
        ("Femi%20Nash", STAFF_NAME),
        ("Femi+Nash", STAFF_NAME),
        ("Siobhan O’Neill", STAFF_NAME),
        ("Siobhan O&rsquo;Neill", STAFF_NAME),
        ("#siobhan-oneill", STAFF_NAME),
        ("Siobhan O\\u0027Neill", STAFF_NAME),
        ("Zoë Adams", STAFF_NAME),
        ("Zo&euml; Adams", STAFF_NAME),
        ("Zoe\u0308 Adams", STAFF_NAME),
        ("İstanbul: FEMI NASH", STAFF_NAME),  # lowercase changes the length: matched as written
        ("Femi Nashville", None),
        ("Femis Nash", None),
        ("Femi, Nash", None),
        ("Femi and Nash", None),
        ("Adams", None),
        # staff ids and handles: whole tokens, any case, with or without @
        ("EH0001", STAFF_ID),
        ("eh0001.html", STAFF_ID),
        ("/staff/EH0001/", STAFF_ID),
        ("EH0001_report", STAFF_ID),
        ("XEH0001 EH00012 EH0001x", None),
        ("@rkhan-eh", GITHUB_HANDLE),
        ("https://github.com/Demo-Femin", GITHUB_HANDLE),
        ("%40rkhan%2Deh", GITHUB_HANDLE),
        ("rkhan-ehx brkhan-eh", None),
        # a short id: only standing alone
        ("<td>AB</td>", STAFF_ID),
        ('"AB"', STAFF_ID),
        ("by AB.", STAFF_ID),
        ("@ab", STAFF_ID),
        ("AB", STAFF_ID),
        ("ABC LAB AB-1 x/AB AB12 A.B #AB AB_x", None),
        # emails
        ("mailto:Femi.Nash@demoshire.example", NAME_AND_EMAIL),  # femi.nash is the name, too
        ("femi.nash&#64;demoshire.example", NAME_AND_EMAIL),
        ("femi.nash@demoshire.examples", STAFF_NAME),
        ("xfemi.nash@demoshire.example other.nash@demoshire.example", None),
    ],
)
def test_matching_rules(tmp_path: Path, content: str, found: str | tuple[str, ...] | None) -> None:
    expected = set() if found is None else {found} if isinstance(found, str) else set(found)
    assert {leak.what for leak in leaks_in(tmp_path, content)} == expected


def test_a_name_that_is_only_one_word_is_still_matched_as_a_whole_word(tmp_path: Path) -> None:
    ids = Identifiers(staff_names=frozenset({"Cher"}))
    assert leaks_in(tmp_path, "<p>Cher</p>", ids=ids) == [Leak("page.html", STAFF_NAME, 1)]
    assert leaks_in(tmp_path, "<p>Cherry cherish</p>", ids=ids) == []


def test_case_references_with_letters_are_matched_as_tokens(tmp_path: Path) -> None:
    ids = Identifiers(case_refs=frozenset({"MOS-12345"}))
    assert leaks_in(tmp_path, "see mos-12345.", ids=ids) == [Leak("page.html", CASE_REFERENCE, 1)]
    assert leaks_in(tmp_path, "see XMOS-12345 and MOS-123456", ids=ids) == []


def test_the_line_is_where_the_identifier_starts(tmp_path: Path) -> None:
    content = "one\ntwo\n<p>x &amp; y &#39; 44\n</p><p>4417302</p>\n%34%34%31%37%33%30%32\n"
    assert leaks_in(tmp_path, content) == [Leak("page.html", CASE_REFERENCE, 4), Leak("page.html", CASE_REFERENCE, 5)]


def test_a_path_is_scanned_too(tmp_path: Path) -> None:
    leaks = leaks_in(tmp_path, "<p>nothing</p>", relative="cases/4417302/index.html")
    assert leaks == [Leak("cases/4417302/index.html", CASE_REFERENCE, None)]
    assert str(leaks[0]) == "cases/4417302/index.html: in its path: a case reference"


def test_images_and_fonts_are_skipped_but_svg_and_unknown_files_are_read(tmp_path: Path) -> None:
    assert leaks_in(tmp_path, b"\x89PNG 4417302", relative="a.png") == []
    assert leaks_in(tmp_path, b"wOF2 4417302", relative="font.woff2") == []
    assert leaks_in(tmp_path, "<svg><text>4417302</text></svg>", relative="a.svg") != []
    assert leaks_in(tmp_path, "4417302", relative="robots.txt") != []
    assert leaks_in(tmp_path, b"\xff\xfe\x00binary 4417302", relative="data.bin") == [
        Leak("data.bin", CASE_REFERENCE, 1)
    ]


def test_gzip_is_found_by_its_bytes_and_a_corrupt_one_fails_closed(tmp_path: Path) -> None:
    doubled = gzip.compress(gzip.compress(b"<loc>/x/4417302/</loc>"))
    assert leaks_in(tmp_path, doubled, relative="sitemap.data") == [Leak("sitemap.data", CASE_REFERENCE, 1)]
    corrupt = gzip.compress(b"<loc>/x/4417302/</loc>" * 50)[:30]
    assert leaks_in(tmp_path, corrupt, relative="sitemap.xml.gz") == [Leak("sitemap.xml.gz", UNREADABLE, None)]


def test_a_gzip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leak_scan, "MAX_TEXT_BYTES", 1000)  # where the gzip reader lives
    bomb = gzip.compress(b"0" * 5000)
    assert leaks_in(tmp_path, bomb, relative="big.gz") == [Leak("big.gz", UNREADABLE, None)]


# --- the cache of clean files ---------------------------------------------------------------


def test_the_cache_skips_unchanged_files_and_never_a_leak(
    fake_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "work" / "cache" / "leak-scan.json"
    first = scan_site(fake_site, IDS, cache=cache)
    assert not reveals(cache.read_text(encoding="utf-8"))

    scanned: list[str] = []
    real = site_leaks._scan_file

    def counting(relative: str, *args: object) -> set[Leak]:
        scanned.append(relative)
        return real(relative, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(site_leaks, "_scan_file", counting)
    assert scan_site(fake_site, IDS, cache=cache) == first
    assert sorted(scanned) == sorted({leak.file for leak in first})  # only the files that leaked

    scanned.clear()
    write(fake_site, "sitemap.xml", SITEMAP.replace("2025-01", "5550001"))
    assert Leak("sitemap.xml", CASE_REFERENCE, 3) in scan_site(fake_site, IDS, cache=cache)
    assert "sitemap.xml" in scanned and "assets/javascripts/bundle.js" not in scanned

    scanned.clear()
    more = replace(IDS, case_refs=IDS.case_refs | {"1234567"})
    assert Leak("assets/javascripts/bundle.js", CASE_REFERENCE, 1) in scan_site(fake_site, more, cache=cache)
    assert "assets/javascripts/bundle.js" in scanned  # a new identifier: files found clean are searched for it

    with pytest.raises(ValueError):
        scan_site(fake_site, IDS, cache=fake_site / ".leak-cache.json")


def test_two_processes_find_what_one_finds(fake_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site's scan is shared by worker processes (issue 13): the same leaks, file by file and line by line."""
    one = scan_site(fake_site, IDS)
    assert one, "the fake site leaks: there is something to find"
    monkeypatch.setattr(site_leaks, "PARALLEL_FROM_BYTES", 0)
    forked: list[int] = []
    real = site_leaks.multiprocessing.get_context

    def counting(method: str):
        forked.append(1)
        return real(method)

    monkeypatch.setattr(site_leaks.multiprocessing, "get_context", counting)
    assert scan_site(fake_site, IDS, workers=2) == one
    assert forked, "the scan did not share the work"


# --- identifiers from a real repository ------------------------------------------------------


def _case_refs_in_files(root: Path) -> set[str]:
    """The case references of a repository, found without the model: quoted 7-digit strings and file names."""
    refs: set[str] = set()
    for path in [*root.glob("cycles/*.yaml"), *root.glob("audits/*/*.yaml")]:
        refs.update(re.findall(r'"([0-9]{7})"', path.read_text(encoding="utf-8")))
        if path.parent.parent.name == "audits":
            refs.add(path.name.split(".")[0])
    return refs


@pytest.mark.parametrize("root", [REPO, FIXTURE_SERVICE], ids=["demo", "fixture"])
def test_identifiers_from_a_repository(root: Path) -> None:
    service = load_repository(root).service
    ids = identifiers_from(service)
    staff = service.staff
    assert staff is not None
    assert ids.case_refs == _case_refs_in_files(root)
    assert ids.staff_names == {p.name for p in staff.listed}
    assert ids.staff_ids == {p.id for p in staff.listed}
    assert ids.handles == {p.github for p in staff.listed if p.github}
    assert ids.emails == {p.email for p in staff.listed if p.email}
    if root == REPO:
        assert len(ids.case_refs) > 150 and len(ids.staff_names) == len(staff.listed) > 50 and len(ids.handles) > 50
    else:
        assert len(ids.case_refs) == 17 and len(ids.staff_names) == 18


def test_identifiers_without_a_staff_file_still_hold_every_staff_id_named(service_copy: Path) -> None:
    (service_copy / "staff.yaml").unlink()
    ids = identifiers_from(load_repository(service_copy).service)
    full = identifiers_from(load_repository(FIXTURE_SERVICE).service)
    assert ids.staff_names == frozenset()
    assert ids.staff_ids and ids.staff_ids <= full.staff_ids
    assert ids.case_refs == full.case_refs


def test_a_broken_audit_file_still_gives_its_case_reference(service_copy: Path) -> None:
    broken = next(iter(sorted((service_copy / "audits").glob("*/*[0-9].yaml"))))
    broken.write_text("case: [unclosed\n", encoding="utf-8")
    service = load_repository(service_copy).service
    assert broken.relative_to(service_copy).as_posix() in service.broken
    assert broken.name.split(".")[0] in identifiers_from(service).case_refs


# --- a real MkDocs Material site --------------------------------------------------------------


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site built by MkDocs with the Material theme, search and sitemap, and an SVG chart."""
    pytest.importorskip("material")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib import pyplot

    root = tmp_path_factory.mktemp("material")
    docs = root / "docs"
    figure, axes = pyplot.subplots()
    axes.bar(["Outstanding", "Good", "Requires improvement", "Inadequate"], [3, 17, 9, 2])
    docs.mkdir()
    figure.savefig(docs / "grades.svg", format="svg", metadata={"Date": None})
    pyplot.close(figure)
    write(docs, "index.md", "# Learning from case audits\n\n42 audits in 2025-01, 1,234,567 words.\n")
    for n in range(3):
        write(docs, f"cycles/2025-0{n + 1}.md", f"# Cycle 2025-0{n + 1}\n\n| grade | n |\n|---|---|\n| Good | {n}7 |\n\n"
              "![Grades](../grades.svg)\n\nThe family's voice was heard; O'Brien & co. wrote it.\n")
    write(root, "mkdocs.yml", "site_name: Learning\nsite_url: https://example.org/\ntheme:\n  name: material\n"
          "  font: false\nplugins:\n  - search\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert (site / "search" / "search_index.json").is_file() and (site / "sitemap.xml.gz").is_file()
    return site


@pytest.fixture(scope="module")
def demo_ids() -> Identifiers:
    return identifiers_from(load_repository(REPO).service)


def test_a_clean_material_site_has_no_leaks(material_site: Path, demo_ids: Identifiers) -> None:
    assert scan_site(material_site, demo_ids) == []


def test_a_planted_case_reference_is_exactly_one_leak_naming_its_file(
    material_site: Path, demo_ids: Identifiers, tmp_path: Path
) -> None:
    copy = tmp_path / "site"
    shutil.copytree(material_site, copy)
    page = copy / "cycles" / "2025-02" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("</article>") == 1
    case = sorted(demo_ids.case_refs)[0]
    page.write_text(html.replace("</article>", f"<p>Case {case}</p>\n</article>"), encoding="utf-8")
    line = page.read_text(encoding="utf-8")[: page.read_text(encoding="utf-8").index(case)].count("\n") + 1
    assert scan_site(copy, demo_ids) == [Leak("cycles/2025-02/index.html", CASE_REFERENCE, line)]


# --- issue 9, item 4: the spellings that went out on the site -------------------------------------

ISSUE_IDS = Identifiers(case_refs=frozenset({"9160347"}), staff_names=frozenset({"Amy Evans"}))
ISSUE_SPELLINGS = [
    ("916 0347", CASE_REFERENCE), ("916-0347", CASE_REFERENCE), ("9,160,347", CASE_REFERENCE),
    ("９１６０３４７", CASE_REFERENCE), ("٩١٦٠٣٤٧", CASE_REFERENCE), ("916\u00ad0347", CASE_REFERENCE),
    ("916\u200b0347", CASE_REFERENCE), ("916&nbsp;0347", CASE_REFERENCE), ("916&shy;0347", CASE_REFERENCE),
    ("Amy Évans", STAFF_NAME), ("\u0410my Evans", STAFF_NAME), ("Evans, Amy", STAFF_NAME),
    ("Amy J. Evans", STAFF_NAME), ("Ms Evans (AE)", STAFF_NAME), ("Am\u00ady Evans", STAFF_NAME),
    ("Ev&#173;ans, Amy", STAFF_NAME), ("EVANS Amy", STAFF_NAME),
]


@pytest.mark.parametrize(("spelling", "what"), ISSUE_SPELLINGS, ids=[repr(s) for s, _ in ISSUE_SPELLINGS])
def test_each_spelling_of_the_issue_planted_in_a_built_page_is_caught(
    material_site: Path, tmp_path: Path, spelling: str, what: str
) -> None:
    copy = tmp_path / "site"
    shutil.copytree(material_site, copy)
    page = copy / "cycles" / "2025-02" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", f"<p>Seen with {spelling}.</p>\n</article>"), encoding="utf-8")
    line = page.read_text(encoding="utf-8").split("Seen with")[0].count("\n") + 1
    assert scan_site(copy, ISSUE_IDS) == [Leak("cycles/2025-02/index.html", what, line)]


def test_each_spelling_in_the_search_index_is_caught(material_site: Path, tmp_path: Path) -> None:
    """The search index holds the page text as JSON: escaped, and still found. Each spelling is planted in a
    copy of the site's search index alone: the rest of the site, scanned clean above, would only be scanned again."""
    import json

    assert scan_site(material_site, ISSUE_IDS) == []
    for spelling, what in ISSUE_SPELLINGS:
        copy = tmp_path / "site"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(material_site / "search", copy / "search")
        index = copy / "search" / "search_index.json"
        data = json.loads(index.read_text(encoding="utf-8"))
        data["docs"][0]["text"] += f" Seen with {html_unescape(spelling)}."
        index.write_text(json.dumps(data), encoding="utf-8")  # ensure_ascii: every non-ASCII letter as a \\u escape
        assert {leak.what for leak in scan_site(copy, ISSUE_IDS)} == {what}, spelling


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)
