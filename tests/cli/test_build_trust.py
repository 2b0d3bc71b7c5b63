"""The build trusts nothing it finds on disk, and never leaves an unscanned site in --out (issue 9, items 5, 6).

Item 5: no pickle; the load cache is plain, authenticated JSON, keyed by content and version, kept
outside the repository; the leak scan keeps no verdicts. Item 6: the site is built and scanned
beside --out and only then renamed into place, so that a leak, an exception, SIGTERM or SIGKILL
leaves --out as the previous scanned site, or absent. All on copies of the sample service, whose
charts are drawn once per run.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import AS_OF, FIXTURE_SERVICE, ROOT
from ehqa.load.repository import discover
from ehqa.site import build as site_build

LEAKY_AUDIT = "audits/2026-10/9160347.yaml"
OTHER_CASE = "9104217"  # another case of the service: a case reference the site must never show
STAFF_NAME = "Rachel Khan"
TOOLS = ROOT / "tools" / "ehqa"


@pytest.fixture(scope="module")
def charts(drawn_charts) -> Path:
    """The chart cache of one build of the sample service (conftest's ``drawn_charts``, drawn once for the
    run), to copy into each test's work folder."""
    return drawn_charts(FIXTURE_SERVICE)


@pytest.fixture(scope="session")
def build(ehqa):
    """`ehqa build` of a repository at the fixed today, strict and quiet; ``work=None`` for the default work folder."""

    def build(repo: Path, out: Path, work: Path | None, *extra: str):
        where = ["--work", str(work)] if work is not None else []
        return ehqa("build", "--repo", str(repo), "--out", str(out), *where, "--as-of", AS_OF,
                    "--strict", "-q", *extra)

    return build


def service(tmp_path: Path, charts: Path, work: str = "work") -> tuple[Path, Path]:
    """A copy of the sample service, and a work folder that already holds the drawn charts."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_SERVICE, repo)
    shutil.copytree(charts, tmp_path / work / "cache" / "charts")
    return repo, tmp_path / work


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory, charts: Path, build) -> Path:
    """A folder holding a copy of the sample service (repo/), its work folder after one build (work/) and the
    site that build published (site/): built once for the module; ``built`` copies it for a test to change."""
    folder = tmp_path_factory.mktemp("first-build")
    repo, work = service(folder, charts)
    result = build(repo, folder / "site", work)
    assert result.exit_code == 0, result.output
    return folder


def built(tmp_path: Path, first_build: Path) -> tuple[Path, Path, Path]:
    """The repository, work folder and published site of ``first_build``, copied into the test's own folder (files
    with their times, as a second build finds them): what a test's first build would have left."""
    for name in ("repo", "work", "site"):
        shutil.copytree(first_build / name, tmp_path / name, symlinks=True)
    return tmp_path / "repo", tmp_path / "work", tmp_path / "site"


def plant_leak(repo: Path) -> None:
    """A learning excerpt that names another case and a member of staff: it would be published."""
    audit = repo / LEAKY_AUDIT
    text = audit.read_text(encoding="utf-8")
    audit.write_text(text.replace("  excerpt: A safety plan", f"  excerpt: As {STAFF_NAME} saw in case {OTHER_CASE}, a "
                                  "safety plan", 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def shows_the_leak(folder: Path) -> bool:
    return any(OTHER_CASE.encode() in data or STAFF_NAME.encode() in data for data in snapshot(folder).values())


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def without_dates(site: dict[str, bytes]) -> dict[str, bytes]:
    """A site without MkDocs' sitemap, which carries the day it was built."""
    return {k: v for k, v in site.items() if not k.startswith("sitemap.xml")}


# --- item 5: nothing in the build's folders is trusted -----------------------------------------------


class _Marker:
    """Unpickling this creates a file: the proof that a build ran code from its cache."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_no_module_of_ehqa_can_load_a_pickle() -> None:
    unsafe = re.compile(r"^\s*(?:import|from)\s+(pickle|cPickle|dill|shelve|marshal|joblib)\b", re.M)
    offenders = [p.relative_to(TOOLS).as_posix() for p in TOOLS.rglob("*.py") if unsafe.search(p.read_text("utf-8"))]
    assert offenders == []


def test_a_pickle_planted_in_the_cache_never_runs(tmp_path: Path, charts: Path, build) -> None:
    repo, _ = service(tmp_path, charts, work="repo/build")  # the old default: build/ in the repository
    marker = tmp_path / "code-ran"
    planted = repo / "build" / "cache" / "load"
    planted.mkdir(parents=True)
    for segment in ("root", "cycles", "audits/2026-08", "audits/2026-09", "audits/2026-10", "audits/2026-11"):
        name = hashlib.sha256(segment.encode()).hexdigest()[:20]  # the names the pickle cache used
        for suffix in (".pickle", ".json"):
            (planted / f"{name}{suffix}").write_bytes(pickle.dumps(_Marker(marker)))
    result = build(repo, tmp_path / "site", repo / "build")
    assert result.exit_code == 0, result.output
    result = build(repo, tmp_path / "site", None)  # the default work folder: outside the repository
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "a build unpickled a file it found on disk"


def test_the_work_folder_is_outside_the_repository_by_default(tmp_path: Path, charts: Path, build) -> None:
    repo, _ = service(tmp_path, charts)
    result = build(repo, tmp_path / "site", None)
    assert result.exit_code == 0, result.output
    assert not (repo / "build").exists()
    user_cache = Path(os.environ["XDG_CACHE_HOME"]) / "ehqa"
    segments = list(user_cache.glob("repo-*/cache/load/*.json"))
    assert segments, "the load cache is plain JSON in the user's cache folder"
    for segment in segments:
        mac, _, payload = segment.read_bytes().partition(b"\n")
        assert re.fullmatch(rb"[0-9a-f]{64}", mac) and json.loads(payload)["format"] == "ehqa.load-cache"


def test_a_forged_leak_scan_cache_cannot_let_a_leak_through(tmp_path: Path, charts: Path, build) -> None:
    """The scan's cache (<work>/cache/leak-scan.json) is forged to call every file of the leaky site clean, with
    the right code digest and every identifier's hash as searched: all but the MAC under the user's key. The build
    still scans, and fails. (The cache the scan used to keep, build/cache/leaks.json, is planted too.)"""
    from ehqa.load.cached import load_for_site
    from ehqa.privacy import site_scan as site_leaks

    repo, work = service(tmp_path, charts, work="repo/build")
    plant_leak(repo)
    scratch = tmp_path / "unscanned"  # the leaky site, exactly as MkDocs writes it, to forge digests from
    generated = site_build.generate(repo, tmp_path / "scratch-work", AS_OF)
    from mkdocs.commands.build import build as mkdocs_build

    mkdocs_build(site_build.mkdocs_config(repo, tmp_path / "scratch-work" / "docs", scratch, True,
                                          site_build._site_name(generated.service)))
    assert shows_the_leak(scratch)
    ids = site_leaks.identifiers_from(load_for_site(repo, None).service)
    (work / "cache").mkdir(parents=True, exist_ok=True)
    old_clean = {rel: hashlib.blake2b(data, digest_size=16).hexdigest() for rel, data in snapshot(scratch).items()}
    (work / "cache" / "leaks.json").write_text(json.dumps({"fingerprint": "any", "clean": old_clean}))
    clean = {rel: hashlib.sha256(data).hexdigest() for rel, data in snapshot(scratch).items()}
    payload = json.dumps({"code": site_leaks._code(), "searched": sorted(site_leaks._terms(ids)),
                          "clean": clean}).encode()
    import hmac

    forged = hmac.new(b"k" * 32, payload, "sha256").hexdigest().encode() + b"\n" + payload
    (work / "cache" / site_build.LEAK_SCAN_CACHE).write_bytes(forged)

    result = build(repo, tmp_path / "site", work)
    assert result.exit_code == 1, result.output
    assert "case reference" in result.output and "staff name" in result.output
    assert not (tmp_path / "site").exists()


def test_a_garbled_or_forged_load_cache_is_only_a_miss(tmp_path: Path, first_build: Path, build) -> None:
    repo, work, _ = built(tmp_path, first_build)
    good = without_dates(snapshot(tmp_path / "site"))
    segments = sorted((work / "cache" / "load").glob("*.json"))
    assert len(segments) >= 4, "the load cache is plain JSON, one file per folder"
    # Forge the best one can without the user's key: a valid MAC under another key, the right
    # shape and stamp, the right content hash, and a document that differs (another grade).
    forged = json.loads(segments[0].read_bytes().partition(b"\n")[2])
    for entry in forged["files"].values():
        entry["doc"]["overall"] = {**entry["doc"].get("overall", {}), "grade": "outstanding"}
    payload = json.dumps(forged).encode()
    import hmac

    segments[0].write_bytes(hmac.new(b"k" * 32, payload, "sha256").hexdigest().encode() + b"\n" + payload)
    segments[1].write_bytes(segments[1].read_bytes()[:-40])  # truncated
    segments[2].write_bytes(b"\x00\xff not json at all")
    mac, _, payload = segments[3].read_bytes().partition(b"\n")
    segments[3].write_bytes(mac + b"\n" + b"[" * 100_000 + b"]" * 100_000)  # deep nesting
    for extra in segments[4:]:
        extra.write_text(json.dumps({"format": "ehqa.load-cache", "files": [1, 2, 3]}))

    loaded = len(discover(repo))  # worker forms too: the training page counts who asked for support (R22)
    again = build(repo, tmp_path / "site", work)
    assert again.exit_code == 0, again.output
    assert re.search(rf"\b{loaded} data files read, 0 from the cache", again.output), again.output
    assert without_dates(snapshot(tmp_path / "site")) == good
    third = build(repo, tmp_path / "site", work)  # the cache written again is used, to the same effect
    assert re.search(rf"\b0 data files read, {loaded} from the cache", third.output), third.output
    assert without_dates(snapshot(tmp_path / "site")) == good


def test_a_file_changed_in_place_is_read_again_whatever_its_size_and_time(tmp_path: Path, first_build: Path,
                                                                         build) -> None:
    """The cache is keyed by the file's content: the same size and modification time are not the same file."""
    repo, work, _ = built(tmp_path, first_build)
    audit = repo / LEAKY_AUDIT
    stat = audit.stat()
    text = audit.read_text(encoding="utf-8")
    edited = text.replace("one the child can actually use", "one the child can honestly use")
    assert len(edited) == len(text) and edited != text
    audit.write_text(edited, encoding="utf-8")
    os.utime(audit, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build(repo, tmp_path / "site", work).exit_code == 0
    report = (tmp_path / "site" / "cycles" / "2026-10.html").read_text(encoding="utf-8")
    assert "one the child can honestly use" in report


# --- item 6: --out holds the last scanned site, or nothing ---------------------------------------------


def test_a_leak_leaves_the_previous_site_byte_for_byte(tmp_path: Path, first_build: Path, build) -> None:
    repo, work, out = built(tmp_path, first_build)
    before = snapshot(out)
    plant_leak(repo)
    result = build(repo, out, work)
    assert result.exit_code == 1
    assert "nothing was published" in result.output and "still holds the previous site" in result.output
    assert snapshot(out) == before
    assert leftovers(out) == []


def _patch_scan(monkeypatch, replacement) -> None:
    """Replace the build's leak scan (on main, before the build had a seam of its own, the scanner)."""
    if hasattr(site_build, "scan_built_site"):
        monkeypatch.setattr(site_build, "scan_built_site", replacement)
    else:
        from ehqa.privacy import site_scan as site_leaks

        monkeypatch.setattr(site_leaks, "scan_site", replacement)


def test_an_exception_during_the_scan_leaves_the_previous_site(tmp_path: Path, first_build: Path, monkeypatch,
                                                               build) -> None:
    repo, work, out = built(tmp_path, first_build)
    before = snapshot(out)
    plant_leak(repo)

    def broken(*args, **kwargs):
        raise RuntimeError("the scan broke")

    _patch_scan(monkeypatch, broken)
    result = build(repo, out, work)
    assert isinstance(result.exception, RuntimeError)
    assert snapshot(out) == before
    assert leftovers(out) == []


_PAUSED_BUILD = """
import sys, time
from pathlib import Path
from ehqa.site import build as site_build

def paused(*args, **kwargs):
    Path(sys.argv[1]).write_text("scanning")
    time.sleep(120)

if hasattr(site_build, "scan_built_site"):
    site_build.scan_built_site = paused
else:  # main, before the build had a seam of its own
    from ehqa.privacy import site_scan as site_leaks
    site_leaks.scan_site = paused
from ehqa.cli import cli
cli(sys.argv[2:])
"""


def _build_until_the_scan(repo: Path, out: Path, work: Path, reached: Path) -> subprocess.Popen:
    """`ehqa build` in a process of its own, held at the start of the leak scan."""
    command = [sys.executable, "-c", _PAUSED_BUILD, str(reached), "build", "--repo", str(repo), "--out", str(out),
               "--work", str(work), "--as-of", str(AS_OF), "--strict", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    while not reached.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the build never reached the scan: {process.communicate()[0].decode()[-2000:]}")
        time.sleep(0.1)
    return process


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_build_killed_during_the_scan_never_leaves_an_unscanned_site(tmp_path: Path, first_build: Path, how,
                                                                       build) -> None:
    repo, work, out = built(tmp_path, first_build)
    before = snapshot(out)
    plant_leak(repo)
    process = _build_until_the_scan(repo, out, work, tmp_path / "reached")
    process.send_signal(how)
    process.communicate(timeout=60)
    assert not out.exists() or snapshot(out) == before
    assert not out.exists() or not shows_the_leak(out)
    if how == signal.SIGTERM:
        assert process.returncode == 128 + signal.SIGTERM and leftovers(out) == []  # cleaned on the way out
    # the next build removes what a SIGKILL left, and publishes nothing while the leak is there
    (repo / LEAKY_AUDIT).write_bytes((FIXTURE_SERVICE / LEAKY_AUDIT).read_bytes())
    assert build(repo, out, work).exit_code == 0
    assert leftovers(out) == [] and not shows_the_leak(out)


def test_stale_folders_of_ended_builds_are_removed_and_others_kept(tmp_path: Path) -> None:
    from ehqa.site.publish import remove_stale

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(ended.stdout)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        out = tmp_path / "site"
        for name in (f".site.ehqa-new-{dead_pid}-abc123", f".site.ehqa-old-{dead_pid}-def456",
                     f".site.ehqa-new-{alive.pid}-ghi789", ".site.notes", ".other.ehqa-new-1-x"):
            (tmp_path / name).mkdir()
        removed = remove_stale(out)
        assert sorted(p.name for p in removed) == [f".site.ehqa-new-{dead_pid}-abc123",
                                                    f".site.ehqa-old-{dead_pid}-def456"]
        assert (tmp_path / f".site.ehqa-new-{alive.pid}-ghi789").is_dir()  # a build still running
        assert (tmp_path / ".site.notes").is_dir() and (tmp_path / ".other.ehqa-new-1-x").is_dir()
    finally:
        alive.kill()
        alive.wait()


def test_a_published_site_is_readable_as_a_new_folder_would_be(tmp_path: Path, first_build: Path) -> None:
    """The temporary folder is private (0700) while unscanned; published, it has the umask's mode."""
    out = first_build / "site"  # as the build published it
    probe = tmp_path / "probe"
    probe.mkdir()
    assert out.stat().st_mode & 0o777 == probe.stat().st_mode & 0o777
