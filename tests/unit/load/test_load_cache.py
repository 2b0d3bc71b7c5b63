"""The site's loader (``load.cached``) and its cache (``load.build_cache``), made quicker for issue 13: the
cache kept in a segment per month of audits, misses parsed by worker processes, files read with ``os``
calls. Each speed-up must load exactly what the plain loader loads, and never serve a stale parse."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from ehqa.load import build_cache, cached
from ehqa.load.build_cache import segment_of
from ehqa.load.cached import load_for_site
from ehqa.load.repository import load_repository
from ehqa.load.strict_yaml import YamlProblem, read_bytes

AUDIT = "audits/2026-10/9160347.yaml"


def loaded_view(loaded) -> tuple:
    """What a load gives the site: the records in order, the broken files and each finding with its place."""
    service = loaded.service
    return (
        service.settings,
        service.staff,
        service.cycles,
        service.allocations,
        service.audits,
        service.records,
        sorted(service.broken),
        sorted((f.rule, f.file, f.line, f.column, f.message) for f in loaded.findings),
    )


def test_the_records_of_a_case_share_the_cache_segment_of_its_month() -> None:
    assert segment_of("audits/2026-11/9012345.records/2026-11-20.feedback.ab12.yaml") == "audits/2026-11"
    assert segment_of("audits/2026-11/9012345.yaml") == "audits/2026-11"
    assert segment_of("cycles/2026-11.allocation.yaml") == "cycles"
    assert segment_of("qa.yaml") == "root"


def test_worker_processes_load_the_same_service_and_findings_as_one_process(service_copy: Path, monkeypatch) -> None:
    audit = service_copy / AUDIT
    audit.write_text(audit.read_text(encoding="utf-8") + "case: twice\n", encoding="utf-8")  # a duplicate key
    one = load_for_site(service_copy, None, workers=1)
    monkeypatch.setattr(cached, "PARALLEL_FROM", 1)
    two = load_for_site(service_copy, None, workers=2)
    assert loaded_view(two) == loaded_view(one)
    assert ("YAML-DUPLICATE-KEY", AUDIT) in {(f.rule, f.file) for f in two.findings}
    plain = load_repository(service_copy)  # the one loader, for the files the site reads (not the worker forms)
    assert two.service.audits == plain.service.audits and two.service.records == plain.service.records


def test_one_changed_audit_is_parsed_again_and_every_other_file_comes_from_the_cache(
    service_copy: Path, tmp_path: Path
) -> None:
    first = load_for_site(service_copy, tmp_path / "cache")
    assert first.cached == 0 and first.read > 50
    audit = service_copy / AUDIT
    text = audit.read_text(encoding="utf-8")
    assert "grade: good" in text
    audit.write_text(text.replace("grade: good", "grade: outstanding", 1), encoding="utf-8")
    second = load_for_site(service_copy, tmp_path / "cache")
    assert (second.read, second.cached) == (1, first.read - 1)
    fresh = load_for_site(service_copy, None)
    assert loaded_view(second) == loaded_view(fresh)
    changed = next(a for a in second.service.audits if a.source == AUDIT)
    assert changed != next(a for a in first.service.audits if a.source == AUDIT)


def test_a_damaged_segment_is_read_again_from_the_files(service_copy: Path, tmp_path: Path) -> None:
    first = load_for_site(service_copy, tmp_path / "cache")
    for segment in (tmp_path / "cache" / "load").glob("*.json"):
        segment.write_bytes(segment.read_bytes()[:-100])
    again = load_for_site(service_copy, tmp_path / "cache")
    assert (again.read, again.cached) == (first.read, 0)
    assert loaded_view(again) == loaded_view(first)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "audit.yaml"
    os.mkfifo(pipe)
    outcome: list = []

    def read() -> None:
        try:
            read_bytes(pipe)
        except YamlProblem as problem:
            outcome.append(problem.rule)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert outcome == ["FILE-SYMLINK"], "reading a pipe blocked, or was not refused"


def test_a_link_is_refused_and_a_file_over_the_cap_is_never_read_whole(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(real)
    with pytest.raises(YamlProblem) as caught:
        read_bytes(tmp_path / "link.yaml")
    assert caught.value.rule == "FILE-SYMLINK" and "symbolic link" in caught.value.message
    assert read_bytes(str(real)) == b"a: 1\n"
    with pytest.raises(YamlProblem) as caught:
        read_bytes(real, max_bytes=3)
    assert caught.value.rule == "YAML-TOO-LARGE"


def counting_reads(monkeypatch) -> list[str]:
    """The files the loader opens from now on (``read_bytes``, its one way to read a data file)."""
    opened: list[str] = []

    def spy(path, max_bytes):
        opened.append(os.fspath(path))
        return read_bytes(path, max_bytes)

    monkeypatch.setattr(cached, "read_bytes", spy)
    return opened


def test_a_file_whose_status_is_unchanged_is_not_read_again(service_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build_cache, "RECENT_NS", 0)  # the files were copied a moment ago: trust their status now
    first = load_for_site(service_copy, tmp_path / "cache")
    opened = counting_reads(monkeypatch)
    second = load_for_site(service_copy, tmp_path / "cache")
    assert opened == [] and (second.read, second.cached) == (0, first.read)
    assert loaded_view(second) == loaded_view(load_for_site(service_copy, None))


def test_a_file_rewritten_to_the_same_size_and_time_is_read_again(service_copy: Path, tmp_path: Path,
                                                                  monkeypatch) -> None:
    """Its change time moves (no program can set it back), so its status is not the one the cache recorded."""
    monkeypatch.setattr(build_cache, "RECENT_NS", 0)
    load_for_site(service_copy, tmp_path / "cache")
    audit = service_copy / AUDIT
    before = audit.stat()
    text = audit.read_text(encoding="utf-8")
    edited = text.replace("grade: good", "grade: poor", 1)
    assert len(edited) == len(text) and edited != text
    time.sleep(0.05)  # beyond one tick of the file system's clock
    audit.write_text(edited, encoding="utf-8")
    os.utime(audit, ns=(before.st_atime_ns, before.st_mtime_ns))
    opened = counting_reads(monkeypatch)
    again = load_for_site(service_copy, tmp_path / "cache")
    assert [Path(p).relative_to(service_copy).as_posix() for p in opened] == [AUDIT]
    assert again.read == 1
    assert loaded_view(again) == loaded_view(load_for_site(service_copy, None))


def test_a_file_changed_in_the_last_two_seconds_is_read_again_however_it_looks(service_copy: Path,
                                                                                tmp_path: Path, monkeypatch) -> None:
    """A coarse clock can give two writes in one tick the same times: a status that new is never trusted."""
    monkeypatch.setattr(build_cache, "RECENT_NS", 10**18)  # every file changed "lately", however slow this machine
    first = load_for_site(service_copy, tmp_path / "cache")
    opened = counting_reads(monkeypatch)
    again = load_for_site(service_copy, tmp_path / "cache")
    assert len(opened) == first.read and (again.read, again.cached) == (0, first.read)  # read, parse reused


# --- a preview's memory between rebuilds (``Memo``: ``ehqa serve``) -----------------------------------------


def counting_conversions(monkeypatch) -> list[str]:
    """The files checked against their schema and converted from now on."""
    converted: list[str] = []
    converters = dict(cached._CONVERTERS)
    for kind, convert in converters.items():
        converters[kind] = lambda doc, relative, _convert=convert: (converted.append(relative), _convert(doc, relative))[1]
    monkeypatch.setattr(cached, "_CONVERTERS", converters)
    return converted


def test_a_preview_converts_again_only_the_files_that_changed(service_copy: Path, tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.setattr(build_cache, "RECENT_NS", 0)
    memo = cached.Memo()
    first = load_for_site(service_copy, tmp_path / "cache", memo=memo)
    converted = counting_conversions(monkeypatch)
    opened = counting_reads(monkeypatch)
    again = load_for_site(service_copy, tmp_path / "cache", memo=memo)
    # qa.yaml is loaded first every time: it sets the size limit the others are read under
    assert converted == ["qa.yaml"] and opened == [] and again.cached == first.read
    assert loaded_view(again) == loaded_view(first)
    assert all(a is b for a, b in zip(again.service.audits, first.service.audits))  # frozen: shared, not copied

    audit = service_copy / AUDIT
    time.sleep(0.05)
    audit.write_text(audit.read_text(encoding="utf-8").replace("grade: good", "grade: outstanding", 1),
                     encoding="utf-8")
    new = service_copy / "audits" / "2026-10" / "9999990.yaml"
    new.write_bytes((service_copy / AUDIT).read_bytes().replace(b"9160347", b"9999990"))
    removed = next(p for p in (service_copy / "audits" / "2026-10").glob("*.yaml") if p not in (audit, new))
    removed.unlink()
    third = load_for_site(service_copy, tmp_path / "cache", memo=memo)
    assert sorted(converted) == sorted(["qa.yaml", "qa.yaml", AUDIT, new.relative_to(service_copy).as_posix()])
    assert loaded_view(third) == loaded_view(load_for_site(service_copy, None))


def test_a_preview_checks_every_file_again_when_the_schemas_or_the_size_limit_change(
    service_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(build_cache, "RECENT_NS", 0)
    memo = cached.Memo()
    first = load_for_site(service_copy, tmp_path / "cache", memo=memo)
    converted = counting_conversions(monkeypatch)
    schema = service_copy / "schemas" / "audit.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"required": [', '"required": ["not_written", ', 1),
                      encoding="utf-8")
    stricter = load_for_site(service_copy, tmp_path / "cache", memo=memo)
    assert {f.file for f in stricter.findings if f.rule.startswith("SCHEMA")} >= {a.source for a in first.service.audits}
    assert loaded_view(stricter) == loaded_view(load_for_site(service_copy, None))

    settings = service_copy / "qa.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "max_file_bytes" not in text
    schema.write_text(schema.read_text(encoding="utf-8").replace('"required": ["not_written", ', '"required": [', 1),
                      encoding="utf-8")
    load_for_site(service_copy, tmp_path / "cache", memo=memo)
    converted.clear()
    settings.write_text(text.replace("validation:\n", "validation:\n  max_file_bytes: 1024\n", 1)
                        if "validation:\n" in text else text + "validation:\n  max_file_bytes: 1024\n", encoding="utf-8")
    smaller = load_for_site(service_copy, tmp_path / "cache", memo=memo)
    assert any(f.rule == "YAML-TOO-LARGE" for f in smaller.findings)
    assert loaded_view(smaller) == loaded_view(load_for_site(service_copy, None))
