"""What every test shares: where things are, the one fixed "today", the ``ehqa`` runner, the sample
service and copies of it to break, a Git repository of it, the charts of each service drawn once for the
whole run, the demo's learning site built once for the whole run, and the ``rule`` marker's ``--rule`` option.

Test modules import the constants and ``git`` from here (``from conftest import AS_OF``): ``tests/``
is on the import path (``pythonpath`` in pyproject.toml), and this is the only conftest.py.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ehqa.cli import cli

ROOT = Path(__file__).resolve().parents[1]  # the repository; the committed demo service is its data
TESTS = ROOT / "tests"
FIXTURE_SERVICE = TESTS / "fixtures" / "service"
EXAMPLES = TESTS / "examples"

# "Today" for every check on the sample service: the day of its November QA meeting. Never
# date.today(): the fixture's dates must mean the same thing next year. On the command line it is
# written 2026-11-26 (the ``ehqa`` runner passes it as text).
AS_OF = date(2026, 11, 26)

# When ``git`` commits unless told otherwise: a fixed author date and committer date.
GIT_DATE = "2026-11-01T09:00:00+00:00"


# --- the command line --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def ehqa() -> Callable[..., Result]:
    """Run the ``ehqa`` command line in this process and return click's ``Result``:
    ``ehqa("validate", "--repo", root, "--as-of", AS_OF)``.

    Each argument is passed as text, so paths and dates may be given as they are; keyword arguments
    go to ``CliRunner.invoke`` (``env=``, ``input=``, ``catch_exceptions=``). ``result.output`` holds
    what the command printed to stdout and stderr, ``result.stdout`` and ``result.stderr`` each alone.
    """
    runner = CliRunner()

    def invoke(*args: object, **options) -> Result:
        return runner.invoke(cli, [str(arg) for arg in args], **options)

    return invoke


@pytest.fixture(scope="session")
def generated_service(tmp_path_factory, ehqa) -> Callable[[list[str]], Path]:
    """generated_service(options): a service written by ``ehqa demo`` with these options, once a session for
    the same options, whichever module asks. Read it; never write to it."""
    made: dict[tuple[str, ...], Path] = {}

    def get(options: list[str]) -> Path:
        key = tuple(options)
        if key not in made:
            out = tmp_path_factory.mktemp("generated")
            result = ehqa("demo", "--out", str(out), "--force", *options)
            assert result.exit_code == 0, result.output
            made[key] = out
        return made[key]

    return get


# --- the sample service ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fixture_service() -> Path:
    """The sample service itself. Read it; never write to it (use ``service_copy``)."""
    return FIXTURE_SERVICE


def copy_service(folder: Path) -> Path:
    """A copy of the sample service in ``folder``, as ``folder/service``."""
    root = folder / "service"
    shutil.copytree(FIXTURE_SERVICE, root)
    return root


def with_staff_emails(root: Path) -> Path:
    """Give everyone in a copy of the sample service a work email (in the sample only the QA officer has one)."""
    staff = root / "staff.yaml"
    text = re.sub(r"^(\s+)github: (\S+)-eh\n(?!\s+email:)", r"\1github: \2-eh\n\1email: \2@millbrook.example\n",
                  staff.read_text(encoding="utf-8"), flags=re.MULTILINE)
    staff.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def service_copy(tmp_path: Path) -> Path:
    """A fresh copy of the sample service, to break in one place."""
    return copy_service(tmp_path)


@pytest.fixture
def as_of() -> date:
    return AS_OF


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory):
    """The build's user cache (``$XDG_CACHE_HOME/ehqa``: its key, the default work folders) in a
    folder of the test session's own, never the user's; subprocesses inherit it."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


# --- the learning site's charts, drawn once for the whole run --------------------------------------------


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this run that every pytest-xdist worker shares (the session's own when not distributed)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


class _Lock:
    """An exclusive lock on a file, across the processes of the run (pytest-xdist's workers)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self):
        self.file = self.path.open("a")
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(self.file, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()  # closing releases the lock


@pytest.fixture(scope="session")
def drawn_charts(tmp_path_factory: pytest.TempPathFactory, ehqa) -> Callable[[Path], Path]:
    """``drawn_charts(repo)``: the chart cache (``<work>/cache/charts``) of one `ehqa build` of a repository
    (the committed demo, the sample service) at ``AS_OF``, built once for the whole run, whichever worker asks
    first. Drawing the charts is most of a build's time; a test copies them into its work folder
    (``seed_charts``), and its build then draws only the charts whose data differ: the cache is keyed by the
    hash of each chart's data, exactly as between two builds of the service (tests/cli/test_build_trust.py
    shows a forged or garbled cache is never trusted)."""
    shared = _run_folder(tmp_path_factory) / "drawn-charts"
    shared.mkdir(exist_ok=True)

    def charts(repo: Path) -> Path:
        name = "demo" if repo.resolve() == ROOT else repo.name
        folder = shared / name
        with _Lock(shared / f"{name}.lock"):
            if not (folder / "done").is_file():
                shutil.rmtree(folder, ignore_errors=True)
                where = ["--repo", repo, "--out", folder / "site", "--work", folder / "work"]
                result = ehqa("build", *where, "--as-of", AS_OF, "--strict", "-q")
                assert result.exit_code == 0, result.output
                (folder / "done").write_text(result.output)
        return folder / "work" / "cache" / "charts"

    return charts


# Any attempt by a build to reach the network through a proxy-aware client fails at once.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory, drawn_charts) -> Path:
    """The committed demo's learning site, built by the `ehqa build` command offline (a subprocess with no
    network, the charts ``drawn_charts`` drew), once for the whole run whichever worker asks first. Every test
    that only reads it shares it (tests/browser/test_site_browser.py's ``site``); never write into it."""
    shared = _run_folder(tmp_path_factory) / "demo-site"
    shared.mkdir(exist_ok=True)
    out = shared / "site"
    with _Lock(shared / "build.lock"):
        if not (shared / "done").is_file():
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(shared / "work", ignore_errors=True)
            work = seed_charts(drawn_charts(ROOT), shared / "work")
            command = [sys.executable, "-m", "ehqa", "build", "--repo", str(ROOT), "--out", str(out),
                       "--work", str(work), "--as-of", str(AS_OF), "--quiet"]
            result = subprocess.run(command, capture_output=True, text=True, env=os.environ | OFFLINE, timeout=600)
            assert result.returncode == 0, f"`ehqa build` failed:\n{result.stdout}\n{result.stderr}"
            assert (out / "index.html").is_file()
            (shared / "done").write_text(result.stdout)
    return out


def seed_charts(charts: Path, work: Path) -> Path:
    """A work folder that already holds the charts ``drawn_charts`` drew; ``work`` itself."""
    shutil.copytree(charts, work / "cache" / "charts")
    return work


@pytest.fixture(scope="module")
def parsed_once():
    """For a module whose property tests change one file of a service and then load or validate all of it: each
    file's bytes are parsed once, and every load gets a copy of the same documents (``parse`` depends on the bytes
    alone). A changed file is parsed as ever and every rule runs on every file; only the repeated parsing of the
    unchanged ones goes (about a third of a validation's time). In force from the first test that asks for it
    to the end of the module."""
    from ehqa.load import repository
    from ehqa.load.strict_yaml import DEFAULT_MAX_BYTES, parse, read_bytes

    parsed: dict[bytes, object] = {}

    def load_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES):
        data = read_bytes(path, max_bytes)
        if data not in parsed:
            parsed[data] = parse(data)  # a YamlProblem is raised, never kept
        return copy.deepcopy(parsed[data])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(repository, "load_file", load_file)
        yield


# --- Git ---------------------------------------------------------------------------------------


def git(root: Path, *args: str, when: str = GIT_DATE) -> str:
    """Run ``git ARGS`` in ``root`` as a test author, committing at ``when``, with none of the
    machine's or the user's Git settings; what it printed, stripped."""
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Test",
           "GIT_AUTHOR_EMAIL": "test@example.invalid", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.invalid", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent)}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def copy_repository(prepared: Path, where: Path) -> Path:
    """A copy of a Git repository a module ``prepared`` once (work tree and Git's folder: the same commits, branches
    and checkout), at ``where``: cheaper than making it again for each test that changes it."""
    shutil.copytree(prepared, where, symlinks=True)
    return where


def commit_service(root: Path) -> Path:
    """``root``, a copy of the sample service, committed on ``main`` of a new Git repository, ``main`` checked out."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The sample service")
    return root


@pytest.fixture
def git_service(service_copy: Path) -> Path:
    """A copy of the sample service committed on ``main`` of a new Git repository, ``main`` checked out."""
    return commit_service(service_copy)


# --- the rule marker: @pytest.mark.rule("R17"), and `pytest --rule R17` --------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--rule", action="append", default=[], metavar="R17",
                     help="run only the tests marked with this rule of the framework (repeat for more)")
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (half an hour and more: the disclosure attacker on the "
                          "larger generated service)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("slow"):
        later = pytest.mark.skip(reason="slow: run with `pytest --slow`")
        for item in items:
            if item.get_closest_marker("slow"):
                item.add_marker(later)
    wanted = {number.upper() for number in config.getoption("rule")}
    if not wanted:
        return
    chosen, left = [], []
    for item in items:
        marked = {number for mark in item.iter_markers("rule") for number in mark.args}
        (chosen if marked & wanted else left).append(item)
    config.hook.pytest_deselected(items=left)
    items[:] = chosen
