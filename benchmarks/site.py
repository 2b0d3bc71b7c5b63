"""Benchmark: `ehqa build`, the learning site, with each engine, for the demo and for a 10-year, 13,000-audit service.

    .venv/bin/pip install -e '.[test,zensical]' && .venv/bin/python benchmarks/site.py

Side by side in one run, each build a fresh `ehqa build` process, timed whole (wall clock, and the CPU
time of the process, which a busy machine does not inflate):

1. the demo site (this repository's data), from nothing: no generated pages, no caches;
2. for each engine, MkDocs (with Material) and Zensical (when installed; pinned in pyproject.toml):
   a. the 10-year service (120 cycles of about 100 audits; written by benchmarks/validate.py into
      benchmarks/.work/ when missing, then copied, so that the benchmark may change it), from nothing;
   b. the same after one audit changes (its overall grade), as when one new audit lands;
   b'. the same in `ehqa serve`'s preview: one process builds, one audit changes, the same process builds
      again (the preview keeps what it loaded: ``load.cached.Memo``); only the second build is timed;
   c. the charts of that site in Chromium (home, the newest cycle and year, a theme), at 375 px and
      1280 px: the smallest chart text in CSS px, and whether every figure a chart draws is in the
      table beside it (tests/browser/test_chart_text.py checks every page of the demo).

For each build it prints the time, the time charts took and their share of the build, and the split
between our generation, the engine and the rest (the leak scan, starting up). Targets (issue 13): the
10-year service from nothing in under 20 s with charts under 20% of it; one audit changed in under 5 s;
chart text never under 12 CSS px at 375 px or 1280 px.

    .venv/bin/python benchmarks/site.py --compare-drawing

    .venv/bin/python benchmarks/site.py --baseline ../other-checkout/tools [--engine mkdocs] [--no-browser]

times another tree's `ehqa build` (an older main, say: its tools/ folder) beside this tree's, side by
side in one run on copies of the same service, alternating, and prints the ratios.

    .venv/bin/python benchmarks/site.py --compare-drawing

compares, on the demo's own charts, ways of drawing them: matplotlib as main drew them until issue 13
(one process, and a pool of worker processes), against the SVG written as text by tools/ehqa/site/charts.py.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from validate import AS_OF, WORK, bin_path, ensure_service  # noqa: E402  (a sibling script)

ROOT = HERE.parent
PLAY = HERE / ".work" / "site"  # the copy this benchmark changes, and its builds
DEMO_AS_OF = "2026-11-03"
FROM_NOTHING, ONE_AUDIT = "10-year service, from nothing", "10-year service, one audit changed"
PREVIEW = "one audit changed, in the preview"
TARGETS = {FROM_NOTHING: 20.0, ONE_AUDIT: 5.0, PREVIEW: 5.0}
# One process, as `ehqa serve` is: build, change one audit, build again; prints the second build's wall and CPU
# time. A tree without the preview's memory (an older main) builds again as its `ehqa serve` did.
_PREVIEW_SCRIPT = """
import importlib.util, inspect, json, sys, time
from datetime import date
from pathlib import Path
from ehqa.site.build import build_site
service, out, work, as_of, engine = sys.argv[1:6]
kept = {}
if "memo" in inspect.signature(build_site).parameters:
    from ehqa.load.cached import Memo
    kept["memo"] = Memo()
def build():
    return build_site(Path(service), Path(out), Path(work), date.fromisoformat(as_of), strict=True, engine=engine,
                      **kept)
build()
spec = importlib.util.spec_from_file_location("site_benchmark", sys.argv[6])  # this file ("site" is Python's)
benchmark = importlib.util.module_from_spec(spec)
spec.loader.exec_module(benchmark)
what = benchmark.change_one_audit(Path(service))
time.sleep(2.1)  # as a person would: a status this new is never trusted
started, cpu = time.perf_counter(), time.process_time()
built = build()
print(json.dumps({"elapsed": time.perf_counter() - started, "cpu": time.process_time() - cpu, "what": what,
                  "memo": bool(kept), "leaks": len(built.leaks)}))
"""
CHART_SHARE, SMALLEST_TEXT = 20.0, 12.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(repo: Path, out: Path, work: Path, as_of: str, engine: str, tools: Path | None = None
          ) -> tuple[float, float, str]:
    """One fresh `ehqa build` process, timed whole; ``tools``: the tools/ folder whose ehqa runs (else this tree's)."""
    env = {**os.environ, "PYTHONPATH": str(tools or ROOT / "tools")}
    started, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run([bin_path("ehqa"), "build", "--repo", str(repo), "--out", str(out), "--work", str(work),
                             "--as-of", as_of, "--strict", "--engine", engine], capture_output=True, text=True,
                            env=env)
    elapsed, cpu = time.perf_counter() - started, children_cpu() - cpu
    if result.returncode != 0:
        sys.exit(f"ehqa build --engine {engine} failed ({result.returncode}):\n{result.stdout[-3000:]}\n"
                 f"{result.stderr[-3000:]}")
    return elapsed, cpu, result.stdout


def preview(repo: Path, out: Path, work: Path, as_of: str, engine: str, tools: Path | None = None
            ) -> tuple[float, float, str]:
    """`ehqa serve`'s rebuild after one audit changes, in one process (``_PREVIEW_SCRIPT``)."""
    env = {**os.environ, "PYTHONPATH": str(tools or ROOT / "tools")}
    result = subprocess.run([sys.executable, "-c", _PREVIEW_SCRIPT, str(repo), str(out), str(work), as_of, engine,
                             str(Path(__file__).resolve())], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"the preview failed ({result.returncode}):\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    if figures["leaks"]:
        sys.exit("the preview's build found leaks")
    kept = "keeping what it loaded" if figures["memo"] else "building again as before"
    return figures["elapsed"], figures["cpu"], f"the change: {figures['what']}; the preview {kept}"


def report(name: str, elapsed: float, cpu: float, output: str) -> None:
    target = TARGETS.get(name.split(" [")[0])
    verdict = f"  [target under {target:.0f} s: {'met' if elapsed < target else 'MISSED'}]" if target else ""
    print(f"  {name:<44} {elapsed:6.1f} s (CPU {cpu:5.1f} s){verdict}")
    files = re.search(r": ([0-9]+) files written, ([0-9]+) unchanged.*?; ([0-9]+) charts drawn", output)
    charts = re.search(r"charts ([0-9.]+) s", output)
    ours = re.search(r"ours ([0-9.]+) s", output)
    engine = re.search(r"\), (MkDocs|Zensical \S+) ([0-9.]+) s", output)
    if files and charts:
        share = 100 * float(charts[1]) / elapsed
        print(f"      {files[1]} files written, {files[2]} unchanged, {files[3]} charts drawn in {float(charts[1]):.2f} s: "
              f"{share:.1f}% of the build [target under {CHART_SHARE:.0f}%: "
              f"{'met' if share < CHART_SHARE else 'MISSED'}]")
    if ours and engine:
        rest = elapsed - float(ours[1]) - float(engine[2])
        print(f"      our generation {float(ours[1]):.1f} s, {engine[1]} {float(engine[2]):.1f} s, "
              f"the rest (leak scan, start-up) {rest:.1f} s")
    detail = re.search(r"time: .*", output)
    if detail:
        print(f"      {detail[0]}")


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


def chart_text(site: Path) -> str:
    """The smallest chart text in CSS px at 375 and 1280 px, and the charts whose figures are all in their table."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "not measured: Playwright is not installed (pip install -e '.[test]')"
    if not Path("/usr/bin/chromium").is_file():
        return "not measured: Debian's chromium is not installed at /usr/bin/chromium"
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    sys.path.insert(0, str(ROOT / "tests"))
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from test_chart_text import MEASURE, _tokens

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    def newest(folder: str) -> str:
        return next(p.relative_to(site).as_posix() for p in sorted((site / folder).glob("*.html"), reverse=True)
                    if p.name != "index.html" and 'class="ehqa-chart"' in p.read_text(encoding="utf-8"))

    paths = ["index.html", newest("cycles"), newest("themes"), newest("years")]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base, said = f"http://127.0.0.1:{server.server_port}/", []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
            for width in (375, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.route(lambda url: not url.startswith(base), lambda route: route.abort())
                measured = []
                for path in paths:
                    page.goto(base + path, wait_until="networkidle")
                    measured += page.evaluate(MEASURE)
                smallest = min(px for chart in measured for _, px in chart["texts"])
                agree = sum(1 for c in measured if c["figures"]
                            and set().union(*map(_tokens, c["figures"])) <= set().union(*map(_tokens, c["cells"])))
                verdict = "met" if smallest >= SMALLEST_TEXT else "MISSED"
                said.append(f"at {width} px: smallest {smallest:.1f} CSS px [target {SMALLEST_TEXT:.0f}: {verdict}], "
                            f"{agree} of {len(measured)} charts' figures all in their table")
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return "; ".join(said) + f" (home, {paths[1]}, {paths[2]}, {paths[3]})"


def engines_here() -> list[str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from ehqa.site.engines import zensical_command

    if zensical_command() is None:
        print("  (Zensical is not installed: pip install -e '.[zensical]'; only MkDocs is measured)")
        return ["mkdocs"]
    return ["mkdocs", "zensical"]


def compare_drawing() -> None:
    """Time drawing the demo's charts: matplotlib (main before issue 13), serially and with workers, and SVG text."""
    sys.path.insert(0, str(ROOT / "tools"))
    from datetime import date

    from ehqa.load.repository import load_repository
    from ehqa.site import charts as text_charts
    from ehqa.site.build import TEMPLATES, source_of
    from ehqa.site.pages import site_pages

    old_source = subprocess.run(["git", "-C", str(ROOT), "show", "bb298f5:tools/ehqa/site/charts.py"],
                                capture_output=True, text=True, check=True).stdout
    old_path = PLAY / "charts_matplotlib.py"
    old_path.parent.mkdir(parents=True, exist_ok=True)
    old_path.write_text(old_source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("charts_matplotlib", old_path)
    old = importlib.util.module_from_spec(spec)
    sys.modules["charts_matplotlib"] = old
    spec.loader.exec_module(old)

    service = load_repository(ROOT).service
    found: list = []
    site_pages(service, date.fromisoformat(DEMO_AS_OF), source_of(ROOT, TEMPLATES), lambda c: found.append(c) or c)
    print(f"drawing the demo's {len(found)} charts (wall clock; CPU of this process):")

    def timed(name: str, run) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        run()
        print(f"  {name:<52} {time.perf_counter() - started:6.2f} s (CPU {time.process_time() - cpu:5.2f} s)")

    olds = [old.make_chart(c.kind, c.data, c.title, c.alt) for c in found]
    timed("matplotlib, one process (main until issue 13)", lambda: [old.draw(c) for c in olds])
    workers = os.cpu_count() or 1
    timed(f"matplotlib, {workers} worker processes (fork)", lambda: list(old.draw_many(olds, workers)))
    timed("SVG written as text (tools/ehqa/site/charts.py)", lambda: [text_charts.draw(c) for c in found])


def copy_tree(source: Path, target: Path) -> None:
    """A copy of the service (98,000 files): `cp -R` where there is one, far quicker than shutil.copytree."""
    if shutil.which("cp") and subprocess.run(["cp", "-R", str(source), str(target)]).returncode == 0:
        return
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def compare(baseline: Path, engines: list[str]) -> None:
    """This tree's build against ``baseline``'s (another tools/ folder), alternating, on copies of the same service."""
    ensure_service(False)
    trees = {"baseline": baseline.resolve(), "this tree": ROOT / "tools"}
    for engine in engines:
        services = {name: PLAY / f"service-{engine}-{name.replace(' ', '-')}" for name in trees}
        for copy in services.values():
            copy_tree(WORK, copy)
        print(f"\n{engine}: {trees['baseline']} (baseline) against {trees['this tree']} (this tree)")
        figures: dict[tuple[str, str], tuple[float, float]] = {}
        for step in (FROM_NOTHING, ONE_AUDIT, PREVIEW):
            if step == ONE_AUDIT:
                for name, service in services.items():
                    print(f"      (the change, {name}: {change_one_audit(service)})")
            for name, tools in trees.items():
                tag = name.replace(" ", "-")
                run = preview if step == PREVIEW else build
                elapsed, cpu, output = run(services[name], PLAY / f"site-{engine}-{tag}",
                                           PLAY / f"work-{engine}-{tag}", AS_OF, engine, tools)
                figures[(name, step)] = (elapsed, cpu)
                report(f"{step} [{engine}, {name}]", elapsed, cpu, output)
            (old_wall, old_cpu), (new_wall, new_cpu) = figures[("baseline", step)], figures[("this tree", step)]
            print(f"  {step}: this tree takes {new_wall / old_wall:.2f}x the baseline's wall clock time, "
                  f"{new_cpu / old_cpu:.2f}x its CPU time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regenerate", action="store_true", help="write the scaled service again")
    parser.add_argument("--compare-drawing", action="store_true", help="compare ways of drawing the charts, and stop")
    parser.add_argument("--baseline", type=Path, metavar="OTHER_TOOLS_DIR",
                        help="time another tree's tools/ beside this one's on the 10-year service, and stop")
    parser.add_argument("--engine", choices=["mkdocs", "zensical"], action="append",
                        help="only this engine (may be repeated; default: each installed)")
    parser.add_argument("--no-browser", action="store_true", help="do not measure the chart text in Chromium")
    args = parser.parse_args()
    if args.compare_drawing:
        compare_drawing()
        return
    shutil.rmtree(PLAY, ignore_errors=True)
    PLAY.mkdir(parents=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.baseline:
        compare(args.baseline, args.engine or engines_here())
        return

    elapsed, cpu, output = build(ROOT, PLAY / "demo-site", PLAY / "demo-work", DEMO_AS_OF, "mkdocs")
    report("demo site, from nothing [MkDocs]", elapsed, cpu, output)

    ensure_service(args.regenerate)
    for engine in args.engine or engines_here():
        service = PLAY / f"service-{engine}"
        started = time.perf_counter()
        copy_tree(WORK, service)
        audits = sum(1 for p in service.glob("audits/*/*.yaml") if not p.name.endswith(".worker.yaml"))
        cycles = sum(1 for p in service.glob("cycles/*.yaml") if ".allocation." not in p.name)
        print(f"\n{engine}: the 10-year service, {cycles} cycles, {audits:,} audits "
              f"(copied in {time.perf_counter() - started:.1f} s)")
        out, work = PLAY / f"site-{engine}", PLAY / f"work-{engine}"
        elapsed, cpu, output = build(service, out, work, AS_OF, engine)
        report(f"{FROM_NOTHING} [{engine}]", elapsed, cpu, output)
        what = change_one_audit(service)
        elapsed, cpu, output = build(service, out, work, AS_OF, engine)
        report(f"{ONE_AUDIT} [{engine}]", elapsed, cpu, output)
        print(f"      (the change: {what})")
        elapsed, cpu, output = preview(service, out, work, AS_OF, engine)
        report(f"{PREVIEW} [{engine}]", elapsed, cpu, output)
        print(f"      ({output})")
        if not args.no_browser:
            print(f"  chart text in Chromium: {chart_text(out)}")


if __name__ == "__main__":
    main()
