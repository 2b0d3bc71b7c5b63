"""``ehqa new grades`` and ``ehqa new moderation`` (issue 14): the skeleton of a person's own grades of an audit, a
record in ``audits/YYYY-MM/<case>.records/``.

* ``grades``: an auditor's own grade of every domain and overall, made alone before the pair agrees (R8). Written
  only for one of the auditors the allocation gives the case; it lands no later than the agreed audit.
* ``moderation``: a moderator's blind grades of a sampled closed audit (R12). Written only for the moderator
  ``cycles/YYYY-MM.moderation.yaml`` names for the case. The skeleton shows the case and each domain's evidence
  prompt, and nothing of the auditors' judgement: no grade, no evidence, no summary.

Both are deliberately not valid until filled in (the grades are empty), and never written over a file: a second
record of the same day is numbered, and a person's second grades of one audit are refused (RECORD-GRADES).
"""

from __future__ import annotations

import json
import logging
import textwrap
from datetime import date
from pathlib import Path

from ehqa import layout
from ehqa.atomic import create_or_fail
from ehqa.errors import DataError
from ehqa.load.repository import load_settings, load_single_or_fail
from ehqa.model import Settings
from ehqa.model.enums import DOMAIN_GRADES, OVERALL_GRADES
from ehqa.repo_files.skeleton import refusal

log = logging.getLogger("ehqa")
WIDTH = 100


def write_own_grades(repo: Path, kind: str, cycle_id: str, case: str, by: str, today: date) -> str:
    """Write the skeleton of ``by``'s ``kind`` record (grades or moderation) of the audit; the file, relative."""
    settings = load_settings(repo)
    cycle = load_single_or_fail(repo, layout.cycle_path(cycle_id), settings.max_file_bytes,
                                needed="the cycle must exist before its audits (R1)")
    if kind == "grades":
        allocation_file = layout.allocation_path(cycle_id)
        allocation = (load_single_or_fail(repo, allocation_file, settings.max_file_bytes)
                      if (repo / allocation_file).is_file() else None)
        why = refusal(cycle, allocation, case)
        if why is not None:
            raise DataError(why)
        auditors = allocation.pair_for(case)[1].auditors
        if by not in auditors:
            raise DataError(f"nothing was written: {by} is not one of the auditors allocated case {case} "
                            f"({', '.join(auditors)}): only they give their own grades (RECORD-WRITER, R8)")
    else:
        if not (repo / layout.audit_path(cycle_id, case)).is_file():
            raise DataError(f"nothing was written: there is no audit of case {case} in cycle {cycle_id} to "
                            "moderate (RECORD-NO-AUDIT)")
        sample_file = layout.moderation_path(cycle_id)
        if not (repo / sample_file).is_file():
            raise DataError(f"cycle {cycle_id} has no moderation sample ({sample_file}): the QA officer runs "
                            f"`ehqa moderate {cycle_id}` first")
        sample = load_single_or_fail(repo, sample_file, settings.max_file_bytes)
        moderator = sample.moderator_of(case)
        if moderator != by:
            whom = f"{moderator} moderates it" if moderator else f"case {case} is not in the sample"
            raise DataError(f"nothing was written: {by} may not moderate case {case}: {whom} ({sample_file}; "
                            "RECORD-WRITER, R12)")
    folder = repo / layout.records_folder(cycle_id, case)
    earlier = sorted(folder.glob(f"*.{kind}.{by}.yaml")) + sorted(folder.glob(f"*.{kind}.{by}.*.yaml"))
    if earlier:
        raise DataError(f"nothing was written: {by} has already written {kind} for this audit "
                        f"({layout.records_folder(cycle_id, case)}/{earlier[0].name}): one per person per audit; "
                        "edit that file until it has landed (RECORD-GRADES)")
    domains = settings.domain_set_for(cycle_id)
    if domains is None:
        raise DataError(f"no domain set in qa.yaml covers cycle {cycle_id}: add one (domain_sets, from_cycle)")
    relative = layout.record_path(cycle_id, case, today.isoformat(), kind, by)
    text = own_grades_skeleton(settings, kind, cycle_id, case, by, today)
    create_or_fail(repo / relative, text, shown=relative, taken=f"{relative} exists; it is left as it is")
    log.info("wrote %s", relative)
    return relative


def own_grades_skeleton(settings: Settings, kind: str, cycle_id: str, case: str, by: str, today: date) -> str:
    """The record's text. Pure; nothing in it comes from the audit, whose grades a moderator must not see."""
    domain_set = settings.domain_set_for(cycle_id)
    assert domain_set is not None
    relative = layout.record_path(cycle_id, case, today.isoformat(), kind, by)
    domain_grades = ", ".join(g.value for g in DOMAIN_GRADES)
    overall_grades = ", ".join(g.value for g in OVERALL_GRADES)
    if kind == "grades":
        about = (f"Your own grades of case {case} in cycle {cycle_id} (R8), made alone, before you and your partner "
                 "agree the audit: they show how far two auditors would agree, and never change the agreed grades. "
                 "Add this file before the audit, or in the audit's pull request, never after it.")
    else:
        about = (f"Your moderation of case {case} in cycle {cycle_id} (R12): grade the case blind, from the case "
                 "record, as if you were auditing it. You are not shown the auditors' grades; please do not look at "
                 "the audit until this file has landed. The outcome goes to the next QA meeting.")
    out = [f"# yaml-language-server: $schema={layout.schema_reference('record')}", "#"]
    out += _comment(f"{about} Fill in every empty value, run `ehqa validate {relative}`, and open a pull request. "
                    "Write no child's or family member's name anywhere in this file.")
    out += [f"kind: {kind}", f"case: {json.dumps(case)}", f"cycle: {cycle_id}", f"by: {by}",
            f"date: {today.isoformat()}   # the day you graded it", ""]
    out += _comment(f"Every domain of the audit tool, version {domain_set.version}: {domain_grades}.")
    out.append("domains:")
    for domain in domain_set.domains:
        out += _comment(f"{domain.title}: {domain.prompt}", indent=2)
        out.append(f"  {domain.id}:")
    out += ["", f"overall:   # {overall_grades}"]
    if kind == "moderation":
        out.append("summary:   # what you found, in a few sentences: strengths, and where the grades rest")
    return "\n".join(out) + "\n"


def _comment(text: str, indent: int = 0) -> list[str]:
    pad = " " * indent + "# "
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=pad, subsequent_indent=pad,
                         break_long_words=False, break_on_hyphens=False) or [pad.rstrip()]
