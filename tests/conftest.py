"""Shared fixtures: the sample service under tests/fixtures/service, and copies of it to break."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURE_SERVICE = TESTS / "fixtures" / "service"
EXAMPLES = TESTS / "examples"

# "Today" for every check on the fixture: the day of the November QA meeting.
# Never date.today(): the fixture's dates must mean the same thing next year.
AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="session")
def fixture_service() -> Path:
    """The sample service itself. Read it; never write to it (use ``service_copy``)."""
    return FIXTURE_SERVICE


@pytest.fixture
def service_copy(tmp_path: Path) -> Path:
    """A fresh copy of the sample service, to break in one place."""
    root = tmp_path / "service"
    shutil.copytree(FIXTURE_SERVICE, root)
    return root


@pytest.fixture
def as_of() -> date:
    return AS_OF


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory):
    """The build's user cache (``$XDG_CACHE_HOME/ehqa``: its key, the default work folders) in a
    folder of the test session's own, never the user's; subprocesses inherit it."""
    import os

    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous
