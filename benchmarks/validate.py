"""Benchmark: `ehqa validate` against check-jsonschema and a parse-only floor, side by side.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/validate.py

Generates the demo service scaled to about 12,000 audits (once, cached in
benchmarks/.work/), then times, in alternation, each of:

* ehqa validate: strict reading, the schema checks and every cross-file rule;
* check-jsonschema: the same files against the same schemas (one run per kind of file);
* the floor: libyaml's CSafeLoader parsing every file and nothing else.

Each is a fresh process, timed whole, best of --repeat runs. Targets (issue 2):
validate at least 5x faster than check-jsonschema, and within 2.5x of the floor.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "service"
AS_OF = "2026-11-26"
SCALE = ["--cycles", "120", "--cases-per-cycle", "100", "--teams", "40", "--staff-per-team", "12", "--end", "2026-11"]

FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
files = [root / "qa.yaml", root / "staff.yaml", *sorted(root.glob("cycles/*.yaml")), *sorted(root.glob("audits/*/*.yaml"))]
for path in files:
    with open(path, "rb") as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)
print(len(files))
"""

KINDS = [  # schema, the files it checks
    ("settings.schema.json", lambda root: [root / "qa.yaml"]),
    ("staff.schema.json", lambda root: [root / "staff.yaml"]),
    ("cycle.schema.json", lambda root: [p for p in root.glob("cycles/*.yaml") if ".allocation." not in p.name]),
    ("allocation.schema.json", lambda root: list(root.glob("cycles/*.allocation.yaml"))),
    ("audit.schema.json", lambda root: [p for p in root.glob("audits/*/*.yaml") if not p.name.endswith(".worker.yaml")]),
    ("worker.schema.json", lambda root: list(root.glob("audits/*/*.worker.yaml"))),
]


def bin_path(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def ensure_service(regenerate: bool) -> None:
    if regenerate and WORK.exists():
        shutil.rmtree(WORK)
    if (WORK / "qa.yaml").exists():
        return
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([bin_path("ehqa"), "demo", "--out", str(WORK), "--force", *SCALE], check=True)
    print(f"generated the scaled demo in {time.perf_counter() - started:.1f} s")


def timed(command: list[str], ok_codes=(0,)) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in ok_codes:
        sys.exit(f"{command[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def run_check_jsonschema() -> float:
    total = 0.0
    for schema, select in KINDS:
        files = sorted(str(p) for p in select(WORK))
        total += timed([bin_path("check-jsonschema"), "--schemafile", str(WORK / "schemas" / schema), *files])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    parser.add_argument("--regenerate", action="store_true", help="write the scaled demo again")
    args = parser.parse_args()
    if shutil.which(bin_path("check-jsonschema")) is None:
        sys.exit("check-jsonschema is not installed: .venv/bin/pip install -e '.[bench]'")
    ensure_service(args.regenerate)
    audits = sum(1 for p in WORK.glob("audits/*/*.yaml") if not p.name.endswith(".worker.yaml"))
    files = 2 + len(list(WORK.glob("cycles/*.yaml"))) + len(list(WORK.glob("audits/*/*.yaml")))
    print(f"service: {audits:,} audits, {files:,} data files in all")

    best = {"ehqa validate": float("inf"), "check-jsonschema": float("inf"), "parse-only floor": float("inf")}
    for run in range(args.repeat):  # alternate, so that machine noise falls on all three alike
        best["ehqa validate"] = min(best["ehqa validate"], timed(
            [bin_path("ehqa"), "validate", "--repo", str(WORK), "--as-of", AS_OF, "--format", "json"]))
        best["check-jsonschema"] = min(best["check-jsonschema"], run_check_jsonschema())
        best["parse-only floor"] = min(best["parse-only floor"], timed([sys.executable, "-c", FLOOR, str(WORK)]))
        print(f"  run {run + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in best.items()))

    print()
    for name, seconds in best.items():
        print(f"{name:<18} {seconds:7.2f} s  {files / seconds:8.0f} files/s")
    speedup = best["check-jsonschema"] / best["ehqa validate"]
    over_floor = best["ehqa validate"] / best["parse-only floor"]
    print(f"\ncheck-jsonschema / ehqa validate = {speedup:.1f}x   (target: at least 5x)")
    print(f"ehqa validate / parse-only floor  = {over_floor:.2f}x  (target: at most 2.5x)")


if __name__ == "__main__":
    main()
