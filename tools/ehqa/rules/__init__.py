"""Rules: pure functions over the model that find what breaks the framework (R1–R22).

``check_service`` runs every cross-file rule; the rule ids and the R-numbers
they enforce are listed once, in ``catalogue``.
"""

from __future__ import annotations

from datetime import date

from ehqa.findings import Finding
from ehqa.model import Service
from ehqa.rules.audits import check_audits
from ehqa.rules.base import Context
from ehqa.rules.cycles import check_cycles
from ehqa.rules.grading import check_grading
from ehqa.rules.records import check_records
from ehqa.rules.staff_settings import check_settings, check_staff


def check_service(service: Service, as_of: date) -> list[Finding]:
    """Every cross-file finding for a loaded service, as of a given day."""
    ctx = Context(service=service, as_of=as_of)
    findings: list[Finding] = []
    if service.settings is not None:
        findings.extend(check_settings(service.settings))
    if service.staff is not None:
        findings.extend(check_staff(service.staff))
    findings.extend(check_cycles(ctx))
    findings.extend(check_audits(ctx))
    findings.extend(check_records(ctx))
    findings.extend(check_grading(ctx))
    return findings
