"""`ehqa serve` rebuilds through the same safe path as `ehqa build` (issue 9, item 6): the preview only
ever serves a site the leak scan passed. A real server on 127.0.0.1, in a process of its own."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import AS_OF, FIXTURE_SERVICE, seed_charts

AUDIT = "audits/2026-10/9160347.yaml"
EXCERPT = "A safety plan written with a child, in their words, is one the child can actually use."
LEAK = "9104217"  # another case of the service


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait(condition, seconds: float, what: str, server: subprocess.Popen, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if server.poll() is not None:
            break
        time.sleep(0.25)
    pytest.fail(f"{what} did not happen; the server said:\n{log.read_text(errors='replace')[-3000:]}")


def test_serve_shows_only_scanned_sites_and_keeps_the_last_clean_one(tmp_path: Path, drawn_charts) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_SERVICE, repo)
    work = seed_charts(drawn_charts(FIXTURE_SERVICE), tmp_path / "work")  # the charts the run drew once
    port = _free_port()
    url = f"http://127.0.0.1:{port}/cycles/2026-10.html"
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen([sys.executable, "-m", "ehqa", "serve", "--repo", str(repo), "--work", str(work),
                                   "--as-of", str(AS_OF), "--port", str(port)], stdout=sink, stderr=subprocess.STDOUT)
    try:
        first = _wait(lambda: _page(url), 300, "the first preview", server, log)
        assert EXCERPT in first

        audit = repo / AUDIT
        audit.write_text(audit.read_text(encoding="utf-8").replace(EXCERPT, f"As in case {LEAK}, a plan works."),
                         encoding="utf-8")
        _wait(lambda: "personal data" in log.read_text(errors="replace"), 180, "the leak report", server, log)
        for _ in range(40):  # for ten seconds after the report, the preview never shows the leak
            page = _page(url)
            assert page is not None and LEAK not in page
            time.sleep(0.25)
        assert EXCERPT in _page(url), "the last clean site is still served"

        fixed = "A plan works when it is written with the child."
        audit.write_text(audit.read_text(encoding="utf-8").replace(f"As in case {LEAK}, a plan works.", fixed),
                         encoding="utf-8")
        _wait(lambda: fixed in (_page(url) or ""), 180, "the rebuild after the fix", server, log)
        assert not list(work.glob(".preview.ehqa-*")), "no temporary folder is left once a build is done"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_port_in_use_is_said_in_plain_words_before_anything_is_built(tmp_path: Path, ehqa) -> None:
    """`ehqa serve --port N` with N taken (another preview left running) says so, and how to choose another, exit
    1, before it builds: it built the whole site, then stopped with "internal error: OSError: Address already in
    use. Please report it"."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = ehqa("serve", "--repo", str(FIXTURE_SERVICE), "--work", str(tmp_path / "work"), "--port", str(port),
                      "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert f"cannot preview at http://127.0.0.1:{port}/: the port is in use" in result.output
    assert f"--port {port + 1}" in result.output and "internal error" not in result.output
    assert not (tmp_path / "work" / "preview").exists()  # nothing was built
