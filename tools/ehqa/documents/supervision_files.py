"""The supervision packs' and the training needs' edge with the disk (R22): check everything the command was
given before anything is written (an --out that could be published, a
period with no cycles or no audits discussed yet: ``UsageProblem``, exit 2), render (``supervision``,
``training_csv``, which stay pure), then write each file atomically.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

from ehqa.atomic import write_atomic_bytes, write_or_fail
from ehqa.documents.messages import build_message
from ehqa.documents.plain_text import plain_text
from ehqa.documents.supervision import Pack, SupervisionError, period_audits, render_packs
from ehqa.documents.training_csv import needs_csv, summary_csv
from ehqa.errors import DataError, UsageProblem
from ehqa.load.repository import load_repository
from ehqa.model import Audit, Role, Service, lookups
from ehqa.model.periods import PERIOD_FORMS, Period, parse_period
from ehqa.model.training_needs import training_needs
from ehqa.privacy.private_output import refuse_published

log = logging.getLogger("ehqa")


@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    drafts: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    practitioners: int = 0
    teams: int = 0


def _prepare(
    repo: Path, out: Path, period_text: str | None, as_of: date, reason: str
) -> tuple[Service, Period, list[Audit]]:
    """The service, the period and its audits discussed by ``as_of``; ``UsageProblem`` for bad input."""
    refuse_published(out, repo, reason)
    if out.exists() and not out.is_dir():
        raise UsageProblem(f"--out {out} is a file, not a folder")
    period = parse_period(period_text or str(as_of.year))
    if period is None:
        raise UsageProblem(f"--period {period_text!r} is not a period: write {PERIOD_FORMS}")
    service = load_repository(repo).service
    lookups.settings_and_staff(service, SupervisionError)
    if not any(period.holds(c) for c in service.cycles):
        known = sorted(service.cycles)
        held = f"cycles/ holds {known[0]} to {known[-1]}" if known else "cycles/ holds none"
        raise UsageProblem(f"there are no cycles in {period.label} ({held}): choose another --period")
    audits = period_audits(service, period, as_of)
    if not audits:
        raise UsageProblem(
            f"no audit of {period.label} has been discussed at its QA meeting by {as_of} (R14): "
            "choose another --period, or a later --as-of"
        )
    return service, period, audits


def write_supervision_packs(repo: Path, out: Path, period_text: str | None, as_of: date, eml: bool) -> Written:
    """Each practitioner's and each team's supervision pack for the period (R22), written to ``out``; with
    ``eml``, each also as a draft from the QA officer to the manager it is for."""
    service, period, audits = _prepare(
        repo, out, period_text, as_of, "the supervision packs name cases and practitioners"
    )
    packs = render_packs(service, period, audits, as_of)
    written = Written(warnings=list(packs.warnings), practitioners=len(packs.practitioners), teams=len(packs.teams))
    files: list[tuple[str, bytes]] = []
    for pack in packs.practitioners + packs.teams:
        files.append((pack.name, pack.html.encode("utf-8")))
        if eml:
            draft, why = pack_message(service, pack, period, as_of)
            if draft is None:
                written.warnings.append(why)
            else:
                files.append((pack.name.removesuffix(".html") + ".eml", draft))
    for warning in written.warnings:
        log.warning("%s", warning)
    for relative, data in files:
        target = out / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic_bytes(target, data)
        except OSError as exc:
            raise DataError(f"cannot write {target}: {exc.strerror or exc}") from None
        (written.drafts if relative.endswith(".eml") else written.files).append(target)
    return written


def pack_message(service: Service, pack: Pack, period: Period, as_of: date) -> tuple[bytes | None, str]:
    """The draft sending ``pack`` to its manager, from the QA officer in post on ``as_of``; or None and why."""
    officer = service.staff.in_post(Role.QA_OFFICER, as_of)
    where = f"{pack.name}: the pack for {pack.about}"
    if pack.manager is None:
        return None, f"{where} has no manager in staff.yaml to go to: send it by hand (R22)"
    for person, who in ((pack.manager, "manager"), (officer, "QA officer")):
        if person is None or not person.email:
            label = f"{person.id} ({person.name})" if person else "nobody in post"
            return None, f"{where}: the {who}, {label}, has no email in staff.yaml: send it by hand (R22)"
    about = f"{pack.about}'s audited cases" if pack.kind == "practitioner" else f"the audited cases of {pack.about}"
    lines = [
        f"Dear {pack.manager.name},",
        "",
        f"Please find attached the supervision pack of {about} in {period.words} (R22). It starts with what went "
        "well, then the areas for development, the SMART actions as they stand, the reflective discussions and "
        "the practitioner's own Perspective of Worker answers.",
        "",
        "Please use it in supervision to celebrate the strengths and agree what support would help; anything new "
        "from your discussion is raised at the next QA meeting (R19).",
        "",
        f"{officer.name}, QA officer",
        "",
        "This message names cases and staff: keep it within the service, and do not forward it.",
    ]
    html = (
        '<!DOCTYPE html>\n<html lang="en-GB"><body>\n'
        + "\n".join(f"<p>{escape(line, quote=False)}</p>" for line in lines if line)
        + "\n</body></html>\n"
    )
    subject = (
        f"Supervision pack — {pack.about}, {period.words}"
        if pack.kind == "practitioner"
        else f"Team supervision pack — {pack.about}, {period.words}"
    )
    message = build_message(
        sender=officer,
        to=pack.manager,
        cc=[],
        subject=subject,
        text=plain_text("\n".join(lines)),
        html=html,
        as_of=as_of,
        key=f"supervision/{period.label}/{pack.name}",
        attachment=(pack.html.encode("utf-8"), pack.name.rsplit("/", 1)[-1]),
        attachment_type=("text", "html"),
    )
    return message, ""


def write_training_needs(repo: Path, out: Path, period_text: str | None, as_of: date) -> list[Path]:
    """The period's training needs as two CSV files in ``out`` (``training_csv``); the files written."""
    service, period, audits = _prepare(repo, out, period_text, as_of, "the training needs quote what was written")
    needs = training_needs(service, audits, as_of)
    files = [
        (f"training-needs-{period.label}.csv", needs_csv(service, period.label, needs)),
        (f"training-needs-{period.label}-summary.csv", summary_csv(service, period.label, needs)),
    ]
    for name, text in files:
        write_or_fail(out / name, text)
    return [out / name for name, _ in files]
