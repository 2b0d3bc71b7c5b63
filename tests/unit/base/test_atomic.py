"""ehqa.atomic.create_exclusive: a file is created whole or not at all, and never replaces one that is
there, even one that appeared a moment ago, with or without hard links. The commands that write with
it: tests/cli/test_writes.py."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from ehqa.atomic import create_exclusive


def test_create_exclusive_lets_exactly_one_of_many_writers_win(tmp_path: Path) -> None:
    target = tmp_path / "cycles" / "2027-01.yaml"
    winners, losers = [], []
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        barrier.wait()
        try:
            create_exclusive(target, f"writer {n}\n")
            winners.append(n)
        except FileExistsError:
            losers.append(n)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1 and len(losers) == 7
    assert target.read_text(encoding="utf-8") == f"writer {winners[0]}\n"
    assert [p.name for p in target.parent.iterdir()] == ["2027-01.yaml"]  # no temporary file left


def test_create_exclusive_without_hard_links_still_never_replaces(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "x.yaml"

    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "hard links are not supported here")

    monkeypatch.setattr(os, "link", no_links)
    create_exclusive(target, "first\n")
    with pytest.raises(FileExistsError):
        create_exclusive(target, "second\n")
    assert target.read_text(encoding="utf-8") == "first\n" and len(list(tmp_path.iterdir())) == 1


def test_create_exclusive_is_atomic_and_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "audits" / "2026-11" / "x.yaml"
    create_exclusive(target, "first\n")
    with pytest.raises(FileExistsError):
        create_exclusive(target, "second\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    assert [p.name for p in target.parent.iterdir()] == ["x.yaml"]  # no temporary file left behind
