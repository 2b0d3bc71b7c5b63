"""Benchmark: `ehqa validate` against check-jsonschema and a parse-only floor, side by side.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/validate.py

Generates the demo service scaled to about 12,000 audits (once, cached in
benchmarks/.work/), then times, in alternation, each of:

* ehqa validate: strict reading, the schema checks and every cross-file rule;
* check-jsonschema: the same files against the same schemas (one run per kind of file);
* the floor: libyaml's CSafeLoader parsing every file and nothing else.

Each is a fresh process, timed whole, best of --repeat runs. Targets (issue 2):
validate at least 5x faster than check-jsonschema, and within 2.5x of the floor.

The cost of the check of published text (ehqa.privacy.published: every excerpt scanned for
identifiers and a child's identity; issue 9 asks for at most 10%), side by side, alternating:

    .venv/bin/python benchmarks/validate.py --excerpt-scan
        this tree's `ehqa validate`, with the check and without it (switched off inside the
        benchmark's own process only: ehqa itself has no switch to skip it);
    .venv/bin/python benchmarks/validate.py --baseline /path/to/other/checkout/tools
        this tree's `ehqa validate` against another tree's (an older main), on the same data.
"""

from __future__ import annotations

import argparse
import os
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


def timed(command: list[str], ok_codes=(0,), env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
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


VALIDATE_ARGS = ["validate", "--repo", str(WORK), "--as-of", AS_OF, "--format", "json"]
TOOLS = HERE.parent / "tools"
# The validate command with the check of published text replaced by one that finds nothing: only
# in this process, so that its cost can be measured; ehqa has no option to skip it.
WITHOUT_SCAN = (
    "import sys, ehqa.reporting.checker as checker; checker.check_published = lambda service: []; "
    "from ehqa.cli import main; sys.argv[0] = 'ehqa'; main()"
)


def validate_command(tools: Path, without_scan: bool = False) -> tuple[list[str], dict[str, str]]:
    """`ehqa validate` run from a tree's tools/ folder (PYTHONPATH), the same data and options."""
    env = {**os.environ, "PYTHONPATH": str(tools)}
    code = WITHOUT_SCAN if without_scan else "import sys; from ehqa.cli import main; sys.argv[0] = 'ehqa'; main()"
    return [sys.executable, "-c", code, *VALIDATE_ARGS], env


def compare(labels: tuple[str, str], commands: list[tuple[list[str], dict[str, str]]], repeat: int) -> None:
    """Time two commands in alternation, best of ``repeat`` each, and print both and their ratio."""
    best = [float("inf"), float("inf")]
    for run in range(repeat):
        for index, (command, env) in enumerate(commands):
            best[index] = min(best[index], timed(command, env=env))
        print(f"  run {run + 1}: {labels[0]} {best[0]:.2f} s, {labels[1]} {best[1]:.2f} s")
    print(f"\n{labels[0]:<28} {best[0]:7.2f} s\n{labels[1]:<28} {best[1]:7.2f} s")
    print(f"{labels[0]} / {labels[1]} = {best[0] / best[1]:.3f}  (target: at most 1.10)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    parser.add_argument("--regenerate", action="store_true", help="write the scaled demo again")
    parser.add_argument("--excerpt-scan", action="store_true",
                        help="time this tree's validate with and without the check of published text")
    parser.add_argument("--baseline", type=Path, metavar="TOOLS",
                        help="time this tree's validate against another tree's (its tools/ folder)")
    args = parser.parse_args()
    if args.excerpt_scan or args.baseline:
        ensure_service(args.regenerate)
        if args.excerpt_scan:
            compare(("with the excerpt scan", "without it"),
                    [validate_command(TOOLS), validate_command(TOOLS, without_scan=True)], args.repeat)
        if args.baseline:
            compare(("this tree", f"baseline {args.baseline}"),
                    [validate_command(TOOLS), validate_command(args.baseline.resolve())], args.repeat)
        return
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
