"""The demo generator: ``write_demo`` writes a whole invented QA service into a folder.

``ehqa.demo`` (the package) says what it writes and how it stays repeatable; the parts are
``people`` (the staff directory), ``settings`` (qa.yaml), ``cycles`` (dates, themes,
nominations, the allocation draw), ``casework`` (audits and Perspective of Worker forms),
``records`` (what was done after each audit, as follow-up records) and ``dates``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random
from typing import Any

import ehqa.demo.cycles as cyc
import ehqa.demo.dates as dates
import ehqa.demo.people as people
import ehqa.demo.settings as settings
from ehqa import layout
from ehqa.demo.casework import AuditRecord, Casework, SoleCompletion
from ehqa.demo.grading import GRADING_FROM, Grading
from ehqa.demo.records import Records, as_loaded
from ehqa.errors import UsageProblem
from ehqa.load import convert
from ehqa.model import Nomination
from ehqa.model.cycle_dates import months_between
from ehqa.repo_files import yaml_text as writer

SCHEMAS = Path(__file__).resolve().parents[3] / layout.SCHEMAS
MAX_CASES = 500_000  # case references are 9 followed by six digits


class DemoRefused(UsageProblem, ValueError):
    """The demo cannot be written with these options or into this folder (exit 2); a ValueError to
    callers of ``write_demo``."""


@dataclass(frozen=True)
class DemoOptions:
    seed: int = 2026
    end_cycle: str = "2026-11"  # last cycle, YYYY-MM
    cycles: int = 24  # number of monthly cycles ending at end_cycle
    teams: int = 8
    staff_per_team: int = 7  # team manager included; senior and QA staff come on top
    cases_per_cycle: int = 8  # nominated cases per cycle (pairs get 2 cases each)
    # "Today" for the demo: nothing is completed after it. The day November's allocations go
    # out (R5), so that the newest cycle is in progress: allocated, its audits not yet begun.
    as_of: date = date(2026, 11, 3)


def write_demo(out: Path, options: DemoOptions = DemoOptions(), *, force: bool = False) -> dict[str, int]:
    """Write the demo service into ``out`` and return what was written, counted.

    Refuses (``DemoRefused``, a ValueError) when ``out`` already holds a qa.yaml, unless ``force``; with
    ``force`` the files of the earlier demo (qa.yaml, staff.yaml, cycles/YYYY-MM*.yaml,
    audits/YYYY-MM/*.yaml and audits/YYYY-MM/*.records/*.yaml) are replaced, and nothing else in ``out``
    is touched.
    """
    _check(options)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DemoRefused(f"{out} is a file, not a folder")
    if (out / layout.SETTINGS_FILE).exists() and not force:
        raise DemoRefused(
            f"{out / layout.SETTINGS_FILE} already exists: {out} already holds a QA repository. "
            "Choose an empty folder, or pass force=True (ehqa demo --force) to replace it with the demo."
        )
    out.mkdir(parents=True, exist_ok=True)
    if force:
        _clear_previous(out)
    _copy_schemas(out)
    return _Generator(options, out).run()


def _check(options: DemoOptions) -> None:
    dates.parse_cycle(options.end_cycle)  # ValueError: the command line's CYCLE_ID refuses these first
    problems = []
    if not isinstance(options.seed, int):
        problems.append("seed must be a whole number")
    if options.cycles < 1:
        problems.append("cycles must be at least 1")
    if options.teams < 1:
        problems.append("teams must be at least 1")
    if options.staff_per_team < 3:
        problems.append("staff_per_team must be at least 3 (a team manager, a senior practitioner and a case manager)")
    if options.cases_per_cycle < 0:
        problems.append("cases_per_cycle cannot be negative")
    if options.cycles * options.cases_per_cycle > MAX_CASES:
        problems.append(f"cycles x cases_per_cycle must be at most {MAX_CASES:,}")
    if not isinstance(options.as_of, date):
        problems.append("as_of must be a date")
    if problems:
        raise DemoRefused("invalid demo options: " + "; ".join(problems))


def _clear_previous(out: Path) -> None:
    for name in layout.ROOT_FILES:
        (out / name).unlink(missing_ok=True)
    cycles_dir = out / layout.CYCLES
    if cycles_dir.is_dir():
        for path in cycles_dir.iterdir():
            if path.is_file() and layout.data_kind(f"{layout.CYCLES}/{path.name}") in ("cycle", "allocation",
                                                                                       "moderation"):
                path.unlink()
    audits_dir = out / layout.AUDITS
    if audits_dir.is_dir():
        for month in audits_dir.iterdir():
            if month.is_dir() and layout.CYCLE_FOLDER.fullmatch(f"{layout.AUDITS}/{month.name}"):
                for path in month.glob("*.yaml"):
                    path.unlink()
                for folder in month.glob(f"*{layout.RECORDS_SUFFIX}"):
                    for path in folder.glob("*.yaml") if folder.is_dir() and not folder.is_symlink() else ():
                        path.unlink()
                    if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
                        folder.rmdir()
                if not any(month.iterdir()):
                    month.rmdir()


def _copy_schemas(out: Path) -> None:
    target = out / layout.SCHEMAS
    if target.resolve() == SCHEMAS.resolve():
        return  # writing into the repository itself: its schemas are already there
    target.mkdir(exist_ok=True)
    for schema in sorted(SCHEMAS.glob("*.schema.json")):
        shutil.copyfile(schema, target / schema.name)


class _Generator:
    def __init__(self, options: DemoOptions, out: Path) -> None:
        self.options = options
        self.out = out
        self.seed = options.seed
        self.counts = {
            "teams": 0, "staff": 0, "cycles": 0, "allocations": 0, "nominations": 0, "reaudit_nominations": 0,
            "unallocated": 0, "audits": 0, "reaudits": 0, "records": 0, "worker_forms": 0, "files": 0,
            "own_grades": 0, "moderation_samples": 0, "moderations": 0,
        }

    def rng(self, part: str) -> Random:
        return Random(f"ehqa-demo:{self.seed}:{part}")  # str seeds are hashed with SHA-512: stable

    def write(self, relative: str, value: dict[str, Any]) -> None:
        """Write one data file, with the line that names its schema (``layout`` knows which)."""
        writer.write_file(self.out / relative, value, layout.schema_reference(layout.data_kind(relative)))
        self.counts["files"] += 1

    def write_text(self, relative: str, text: str) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        self.counts["files"] += 1

    def run(self) -> dict[str, int]:
        options = self.options
        ids = dates.cycle_ids(options.end_cycle, options.cycles)
        plans = cyc.plan_dates(self.rng("dates"), ids)
        cyc.pick_themes(self.rng("themes"), plans)
        first_day = plans[0].allocated - (plans[0].meeting - plans[0].allocated)
        last_day = max(options.as_of, plans[-1].meeting) + (plans[-1].meeting - plans[-1].allocated) * 4
        staff = people.build_staff(
            self.rng("staff"), options.teams, options.staff_per_team, first_day, last_day, options.as_of
        )
        grading_from = ids[max(0, len(ids) - GRADING_FROM)]
        settings_document = settings.build_settings(ids[0], options.as_of, grading_from)
        self.write(layout.SETTINGS_FILE, settings_document)
        self.write(layout.STAFF_FILE, people.staff_document(staff))
        self.counts.update(teams=len(staff.teams), staff=len(staff.records), cycles=len(plans))

        nominations_rng, refs = self.rng("nominations"), cyc.CaseRefs(self.rng("case-refs"))
        casework = Casework(
            self.rng("casework"), staff, options.as_of,
            settings.domain_ids(), settings.question_ids(), settings.theme_ids(),
        )
        sole_rng = self.rng("sole-completion")
        service_settings = convert.settings(settings_document, layout.SETTINGS_FILE)
        allocator = cyc.Allocator(staff, service_settings)
        self.records = Records(self.rng("records"), staff.directory, service_settings, SCHEMAS)
        self.grading = Grading(SCHEMAS, staff.directory, grading_from, options.as_of, self.seed)
        last_nominated: dict[str, int] = {}
        pending: list[AuditRecord] = []  # Inadequate audits awaiting their re-audit (R18)
        for position, plan in enumerate(plans):
            next_plan = plans[position + 1] if position + 1 < len(plans) else None
            regular = cyc.nominate(nominations_rng, staff, plan, options.cases_per_cycle, refs, last_nominated)
            due = [r for r in pending if months_between(r.cycle, plan.id) in (2, 3)]
            due = [r for r in due if cyc.reaudit_window(r.completed, plan) is not None]
            originals = {r.key: r for r in due}
            reaudits = [Nomination(r.case, r.practitioner, r.team, staff.qa_officer, r.key) for r in due]
            chosen: list[Nomination] = reaudits
            if plan.allocated <= options.as_of:
                pairs, placed, failed = allocator.allocate(plan, regular, reaudits)
                placed_keys = {n.reaudit_of for n in placed}
                chosen = []
                for nomination in reaudits:
                    record = originals[nomination.reaudit_of or ""]
                    later = next_plan is not None and months_between(record.cycle, next_plan.id) == 3 and (
                        cyc.reaudit_window(record.completed, next_plan) is not None
                    )
                    if nomination.reaudit_of in placed_keys or not later:
                        chosen.append(nomination)
                plan.pairs = pairs
                chosen_keys = {n.reaudit_of for n in chosen}
                plan.unallocated = [
                    (n.case, _unallocated_reason(n)) for n in failed if n.reaudit_of is None or n.reaudit_of in chosen_keys
                ]
            chosen_keys = {n.reaudit_of for n in chosen}
            pending = [r for r in pending if r.key not in chosen_keys and months_between(r.cycle, plan.id) < 3]
            plan.nominations = regular + chosen
            cycle_document = self._write_cycle(plan)
            if plan.allocation_made:
                self._write_allocation(plan)
                pending += self._write_audits(plan, casework, sole_rng, originals)
                self._write_moderation(convert.cycle(as_loaded(cycle_document), layout.cycle_path(plan.id)))
            for nomination in plan.nominations:
                form = casework.worker_form(plan, nomination)
                if form is not None:
                    self.write(layout.worker_path(plan.id, nomination.case), form)
                    self.counts["worker_forms"] += 1
        return dict(self.counts)

    def _write_cycle(self, plan: cyc.CyclePlan) -> dict[str, Any]:
        document = {
            "cycle": plan.id,
            "theme": plan.theme,
            "meeting": plan.meeting,
            "dates": {
                "allocations_by": plan.allocations_by,
                "worker_forms_due": plan.worker_forms_due,
                "audits_due": plan.audits_due,
            },
            "nominations": [
                {
                    "case": n.case,
                    "practitioner": n.practitioner,
                    "team": n.team,
                    "nominated_by": n.nominated_by,
                    "reaudit_of": n.reaudit_of,
                }
                for n in plan.nominations
            ],
        }
        self.write(layout.cycle_path(plan.id), document)
        self.counts["nominations"] += len(plan.nominations)
        self.counts["reaudit_nominations"] += sum(1 for n in plan.nominations if n.reaudit_of)
        return document

    def _write_moderation(self, cycle) -> None:
        """The cycle's moderation sample and the moderations done by today (issue 14, ``demo.grading``)."""
        document, records = self.grading.moderation(cycle, self.cycle_audits)
        if document is None:
            return
        self.write(layout.moderation_path(cycle.id), document)
        for written in records:
            self.write_text(written.path, written.text)
        self.counts["moderation_samples"] += 1
        self.counts["moderations"] += len(records)

    def _write_allocation(self, plan: cyc.CyclePlan) -> None:
        document = {
            "cycle": plan.id,
            "seed": plan.seed,
            "allocated": plan.allocated,
            "pairs": [{"auditors": auditors, "cases": cases} for auditors, cases in plan.pairs],
            "unallocated": [{"case": case, "reason": reason} for case, reason in plan.unallocated] or None,
        }
        self.write(layout.allocation_path(plan.id), document)
        self.counts["allocations"] += 1
        self.counts["unallocated"] += len(plan.unallocated)

    def _write_audits(
        self, plan: cyc.CyclePlan, casework: Casework, sole_rng: Random, originals: dict[str, AuditRecord]
    ) -> list[AuditRecord]:
        """Write the cycle's completed audits; return the Inadequate ones, which need re-audits."""
        by_case = {n.case: n for n in plan.nominations}
        inadequate: list[AuditRecord] = []
        self.cycle_audits = []  # the cycle's audits as the loader reads them, for its moderation sample
        for auditors, cases in plan.pairs:
            sole = None
            if len(auditors) == 2 and sole_rng.random() < 0.05:
                completed_by, absent = sole_rng.sample(auditors, 2)
                reason = sole_rng.choice(("sick-leave", "sick-leave", "annual-leave", "annual-leave", "other"))
                sole = SoleCompletion(completed_by, absent, reason)
            for case in cases:
                nomination = by_case[case]
                original = originals.get(nomination.reaudit_of or "")
                result = casework.audit(plan, nomination, auditors, sole, original)
                if result is None:
                    continue
                drawn, record = result
                document, records = self.records.split(drawn, nomination)  # what was done after it: records
                self.write(layout.audit_path(plan.id, case), document)
                for written in records:
                    self.write_text(written.path, written.text)
                audit = convert.audit(as_loaded(document), layout.audit_path(plan.id, case))
                self.cycle_audits.append(audit)
                for written in self.grading.own_grades(audit, plan.allocated):  # before the pair agreed (issue 14)
                    self.write_text(written.path, written.text)
                    self.counts["own_grades"] += 1
                self.counts["audits"] += 1
                self.counts["records"] += len(records)
                self.counts["reaudits"] += 1 if original is not None else 0
                if record.grade in ("inadequate", "inadequate-critical"):
                    inadequate.append(record)
        return inadequate


def _unallocated_reason(nomination: Nomination) -> str:
    if nomination.reaudit_of:
        return "no senior manager free of conflict was available for this re-audit in this cycle"
    return "no pair of available auditors was free of conflict with this case"
