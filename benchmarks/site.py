"""Benchmark: `ehqa build`, the learning site, for the demo and for a 10-year, 12,000-audit service.

    .venv/bin/python benchmarks/site.py

Times, each as a fresh `ehqa build` process, timed whole:

1. the demo site (this repository's data), from nothing: no generated pages, no caches;
2. the 10-year service (120 cycles of about 100 audits; written by benchmarks/validate.py into
   benchmarks/.work/ when missing, then copied, so that the benchmark may change it), from nothing;
3. the same after one audit changes (its overall grade), as when one new audit lands: only the
   pages and charts it changes are regenerated.

For each it prints the time and the share spent in our own generation and in MkDocs (the rest is
the leak scan and starting up). Targets (issue 6): the 10-year site from nothing in under 60 s,
the rebuild after one audit in under 10 s.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from validate import AS_OF, WORK, bin_path, ensure_service  # noqa: E402  (a sibling script)

ROOT = HERE.parent
PLAY = HERE / ".work" / "site"  # the copy this benchmark changes, and its builds
DEMO_AS_OF = "2026-11-03"
TARGETS = {"10-year service, from nothing": 60.0, "10-year service, one audit changed": 10.0}


def build(repo: Path, out: Path, work: Path, as_of: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([bin_path("ehqa"), "build", "--repo", str(repo), "--out", str(out), "--work", str(work),
                             "--as-of", as_of, "--strict", "--quiet"], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"ehqa build failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout


def report(name: str, elapsed: float, output: str) -> None:
    ours = re.search(r"ours ([0-9.]+) s", output)
    mkdocs = re.search(r"MkDocs ([0-9.]+) s", output)
    files = re.search(r": ([0-9]+) files written, ([0-9]+) unchanged.*?; ([0-9]+) charts drawn", output)
    split = ""
    if ours and mkdocs:
        ours_s, mkdocs_s = float(ours[1]), float(mkdocs[1])
        split = (f"; our generation {ours_s:.1f} s ({100 * ours_s / elapsed:.0f}%), "
                 f"MkDocs {mkdocs_s:.1f} s ({100 * mkdocs_s / elapsed:.0f}%), "
                 f"the rest (leak scan, start-up) {100 * (elapsed - ours_s - mkdocs_s) / elapsed:.0f}%")
    target = TARGETS.get(name)
    verdict = f"  [target under {target:.0f} s: {'met' if elapsed < target else 'MISSED'}]" if target else ""
    print(f"{name:<38} {elapsed:6.1f} s{verdict}")
    if files:
        print(f"    {files[1]} files written, {files[2]} unchanged, {files[3]} charts drawn{split}")
    detail = re.search(r"time: .*", output)
    if detail:
        print(f"    {detail[0]}")


def change_one_audit(service: Path) -> str:
    """Change the overall grade of the first audit of the newest cycle with audits, as a new audit would."""
    folders = sorted(p for p in (service / "audits").iterdir() if p.is_dir())
    for folder in reversed(folders):
        audits = sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".worker.yaml"))
        if audits:
            path = audits[0]
            text = path.read_text(encoding="utf-8")
            match = re.search(r"^overall:\n  grade: (\S+)", text, flags=re.MULTILINE)
            new = "good" if match[1] != "good" else "outstanding"
            path.write_text(text[:match.start(1)] + new + text[match.end(1):], encoding="utf-8")
            return f"{path.relative_to(service).parent}/…: overall {match[1]} -> {new}"
    raise SystemExit("the service has no audits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regenerate", action="store_true", help="write the scaled service again")
    args = parser.parse_args()

    shutil.rmtree(PLAY, ignore_errors=True)
    PLAY.mkdir(parents=True)
    elapsed, output = build(ROOT, PLAY / "demo-site", PLAY / "demo-work", DEMO_AS_OF)
    report("demo site, from nothing", elapsed, output)

    ensure_service(args.regenerate)
    service = PLAY / "service"
    started = time.perf_counter()
    shutil.copytree(WORK, service)
    audits = sum(1 for p in service.glob("audits/*/*.yaml") if not p.name.endswith(".worker.yaml"))
    cycles = sum(1 for p in service.glob("cycles/*.yaml") if ".allocation." not in p.name)
    print(f"\n10-year service: {cycles} cycles, {audits:,} audits (copied in {time.perf_counter() - started:.1f} s)")
    out, work = PLAY / "site", PLAY / "work"
    elapsed, output = build(service, out, work, AS_OF)
    report("10-year service, from nothing", elapsed, output)
    what = change_one_audit(service)
    elapsed, output = build(service, out, work, AS_OF)
    report("10-year service, one audit changed", elapsed, output)
    print(f"    (the change: {what})")


if __name__ == "__main__":
    main()
