"""A schema is data too: a pull request may change one, and the gate validates with what it reads.
A reference outside the schema file is refused, and nothing is ever fetched (issue 9)."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from pathlib import Path

from click.testing import CliRunner

from ehqa.cli import cli

SERVICE = Path(__file__).resolve().parent / "fixtures" / "service"


def _listener() -> tuple[socket.socket, list[int]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(5)
    hits: list[int] = []

    def serve() -> None:
        try:
            while True:
                connection, _ = server.accept()
                hits.append(1)
                connection.close()
        except OSError:
            return

    threading.Thread(target=serve, daemon=True).start()
    return server, hits


def test_a_schema_that_refers_to_a_url_is_refused_and_nothing_is_fetched(tmp_path: Path) -> None:
    repo = tmp_path / "service"
    shutil.copytree(SERVICE, repo)
    server, hits = _listener()
    try:
        port = server.getsockname()[1]
        path = repo / "schemas" / "audit.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["properties"]["case"] = {"$ref": f"http://127.0.0.1:{port}/case.schema.json"}
        path.write_text(json.dumps(schema), encoding="utf-8")
        result = CliRunner().invoke(cli, ["validate", "--repo", str(repo), "--as-of", "2026-11-26"])
    finally:
        server.close()
    assert result.exit_code == 2, result.output
    assert "refers outside itself" in result.output and "audit.schema.json" in result.output
    assert "Traceback" not in result.output
    assert hits == []
