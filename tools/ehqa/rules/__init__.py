"""Rules: pure functions over the model that find what breaks the framework (R1–R22).

``check_service`` runs every cross-file rule; the rule ids and the R-numbers
they enforce are listed once, in ``catalogue``.
"""

from __future__ import annotations

from datetime import date

from ..findings import Finding
from ..model import Service
from .audits import check_audits
from .base import Context
from .cycles import check_cycles
from .staff_settings import check_settings, check_staff


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
    return findings
