"""The README's adoption steps (docs/adopting.md), followed to the letter in an empty folder with a staff list of
ten people, end with a valid repository and a built site (issue 12: "Done means").

Each fenced block of the steps is run as it is written, in order: shell lines in a shell (``cd`` moves the
test along), ``ehqa`` lines through the ``ehqa`` runner (with the test's fixed "today"), a ``# qa.yaml``
block written as qa.yaml and a ``# add to qa.yaml`` block added to it. Only the two words the page says to
replace are replaced, and only the installation lines are not run (the test runs the ehqa under test).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import AS_OF, GIT_DATE, ROOT, TESTS
from ehqa.cli import cli

STEPS = ROOT / "docs" / "adopting.md"
CSV = TESTS / "fixtures" / "adoption" / "staff.csv"  # ten people in two teams
PLACEHOLDERS = {"EHQA": str(ROOT), "YEAR": str(AS_OF.year + 1)}
INSTALL = ("python3 -m venv .venv", ".venv/bin/pip install -q -e .", ". .venv/bin/activate")
_BLOCK = re.compile(r"^(?P<indent>[ ]*)```(?P<lang>\w+)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)


def adoption_blocks() -> list[tuple[str, str]]:
    """The fenced blocks of the adoption steps, in order: (language, text)."""
    text = STEPS.read_text(encoding="utf-8")
    steps = text[: text.index("\n## ")]
    return [(m["lang"], textwrap.dedent(m["body"])) for m in _BLOCK.finditer(steps)]


def _takes_as_of(args: list[str]) -> bool:
    command = cli
    for word in args:
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        command = sub
    return any(p.name == "as_of" for p in command.params)


def test_the_readme_points_to_the_adoption_steps() -> None:
    assert "(docs/adopting.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    kinds = [lang for lang, _ in adoption_blocks()]
    assert kinds.count("yaml") >= 3 and kinds.count("sh") >= 4


def test_the_adoption_steps_followed_literally_end_with_a_valid_repository_and_a_built_site(
    tmp_path: Path, ehqa, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "adopting"
    empty.mkdir()
    cwd = empty
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": GIT_DATE,
        "GIT_COMMITTER_DATE": GIT_DATE,
        "GIT_AUTHOR_NAME": "QA Lead",
        "GIT_AUTHOR_EMAIL": "qa@example.invalid",
        "GIT_COMMITTER_NAME": "QA Lead",
        "GIT_COMMITTER_EMAIL": "qa@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }
    skipped, ran = [], []
    for lang, body in adoption_blocks():
        if lang == "yaml":
            first, _, rest = body.partition("\n")
            assert first in ("# qa.yaml", "# add to qa.yaml"), f"a YAML block of the steps says no file: {first}"
            with open(cwd / "qa.yaml", "w" if first == "# qa.yaml" else "a", encoding="utf-8") as qa:
                qa.write(rest)
            continue
        for line in body.splitlines():
            if not line.strip():
                continue
            if line in INSTALL:
                skipped.append(line)
                continue
            for word, value in PLACEHOLDERS.items():
                line = re.sub(rf"\b{word}\b", value, line)
            words = shlex.split(line)
            ran.append(line)
            if words[0] == "cd":
                cwd = (cwd / words[1]).resolve()
            elif words[0] == "ehqa":
                if words[1:3] == ["staff", "import"]:
                    shutil.copyfile(CSV, cwd / words[3])  # the service's staff list, saved as the step says
                args = words[1:] + (["--as-of", AS_OF.isoformat()] if _takes_as_of(words[1:]) else [])
                monkeypatch.chdir(cwd)
                result = ehqa(*args)
                assert result.exit_code == 0, f"{line}\n{result.output}"
            else:
                subprocess.run(["bash", "-c", line], cwd=cwd, env=env, check=True, capture_output=True)
    assert skipped == list(INSTALL)
    assert {"ehqa staff import staff.csv", "ehqa validate", "ehqa build --deploy"} <= set(ran)
    repo = empty / "early-help-qa"
    assert cwd == repo and not (repo / "staff.csv").exists()
    assert ehqa("validate", "--repo", repo, "--as-of", AS_OF).exit_code == 0
    assert (repo / "site" / "index.html").is_file()
    assert "/audits/ @pshah-eh @treid-eh" in (repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, env=env, capture_output=True, text=True)
    assert status.stdout.strip() == "", "the last step commits everything"
