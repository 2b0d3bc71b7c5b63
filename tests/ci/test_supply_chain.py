"""Supply chain (issue 9, item 10): the workflows install only what requirements/ci.txt pins, each
with its hash, and Dependabot keeps the pins current. Offline: the lock and pyproject.toml are read
as text, and check-jsonschema's vendored schema checks the Dependabot file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

LOCK = ROOT / "requirements" / "ci.txt"
LOCK_INPUT = ROOT / "requirements" / "ci.in"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PINNED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)(?P<rest>.*)$")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}


def _entries(text: str) -> list[str]:
    """The lock's requirements, each with its continuation lines joined; comments and blank lines dropped."""
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not stripped:
            continue
        current += " " + stripped.removesuffix("\\").strip()
        if not stripped.endswith("\\"):
            logical.append(current.strip())
            current = ""
    assert not current, "the lock ends inside a continued line"
    return logical


def _pins() -> dict[str, tuple[Version, list[str]]]:
    pins = {}
    for entry in _entries(LOCK.read_text(encoding="utf-8")):
        match = PINNED.match(entry)
        assert match, f"not pinned with ==: {entry[:80]}"
        hashes = HASH.findall(match["rest"])
        assert hashes, f"{match['name']} has no --hash"
        assert match["rest"].replace(" ".join(hashes), "").strip() == "", f"{match['name']}: {match['rest'][:80]}"
        pins[canonicalize_name(match["name"])] = (Version(match["version"]), hashes)
    return pins


def _wanted() -> list[Requirement]:
    """Every requirement the workflows need installed: the runtime dependencies and the build backend."""
    return [Requirement(r) for r in [*PYPROJECT["project"]["dependencies"], *PYPROJECT["build-system"]["requires"]]]


def test_every_line_of_the_lock_is_pinned_with_a_hash() -> None:
    pins = _pins()
    assert len(pins) > 20  # the runtime dependencies and theirs
    assert all(len(set(hashes)) == len(hashes) for _, hashes in pins.values())


@pytest.mark.parametrize("requirement", _wanted(), ids=str)
def test_the_lock_covers_every_dependency_of_pyproject(requirement: Requirement) -> None:
    """Fails when a dependency is added to pyproject.toml, or its range moved, without refreshing the lock."""
    pins = _pins()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement.name} is in pyproject.toml but not in {LOCK.relative_to(ROOT)}: refresh it " \
                         "(docs/github.md, 'The lock')"
    version, _ = pins[name]
    assert requirement.specifier.contains(version, prereleases=True), \
        f"{requirement.name}=={version} in the lock is outside pyproject.toml's {requirement.specifier}: refresh it"


def test_the_coverage_check_would_catch_a_dependency_added_without_a_refresh() -> None:
    pins = _pins()
    assert canonicalize_name("requests-oauthlib") not in pins  # what a careless addition would name
    assert not Requirement("click>=99").specifier.contains(pins["click"][0])


def test_the_lock_says_how_it_was_made_and_its_input_adds_only_the_build_backend() -> None:
    header = LOCK.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "pip-compile" in header and "--generate-hashes" in header and "--allow-unsafe" in header
    assert "pyproject.toml requirements/ci.in" in header
    inputs = [line for line in LOCK_INPUT.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert inputs == PYPROJECT["build-system"]["requires"]


def test_the_handbook_gives_the_command_that_refreshes_the_lock() -> None:
    command = re.search(r"^#\s+(pip-compile .*)$", LOCK.read_text(encoding="utf-8"), re.M)
    assert command and command[1] in (ROOT / "docs" / "github.md").read_text(encoding="utf-8")


def test_dependabot_keeps_the_actions_and_the_packages_current() -> None:
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    updates = {(u["package-ecosystem"], u["directory"]): u for u in config["updates"]}
    assert set(updates) == {("github-actions", "/"), ("pip", "/")}
    assert {u["schedule"]["interval"] for u in updates.values()} == {"weekly"}


def test_dependabot_yml_matches_dependabot_s_schema() -> None:
    """check-jsonschema's vendored copy of SchemaStore's dependabot-2.0 schema: no network."""
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.dependabot",
                           str(DEPENDABOT)], capture_output=True, text=True, env=os.environ | OFFLINE, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout
