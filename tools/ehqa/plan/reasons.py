"""Why the draw leaves a case unallocated, in words, citing the rule behind each reason (R6, R13, R18)."""

from __future__ import annotations

from collections import Counter


def too_few_reason(case: str, count: int, reasons: Counter, reaudit: bool) -> str:
    """Why a case that fewer than the auditors it needs may take cannot be covered: ``count`` auditors
    may take it, and ``reasons`` counts why the others may not."""
    if not reasons and count == 0:
        return f"case {case}: nobody is in the auditor pool (auditor: true in staff.yaml)"
    if count == 0 and len(reasons) == 1:
        (why,) = reasons
        return f"case {case}: every auditor {_PHRASES.get(why, why)[0]}{_cite(why)}"
    detail = ", ".join(f"{n} {_PHRASES.get(why, (why, why))[n > 1]}" for why, n in reasons.most_common())
    if reaudit:
        return f"case {case}: no senior manager may take this re-audit (R18): {detail}{_cite_all(reasons)}"
    only = "only one auditor may" if count == 1 else "no two auditors may"
    return f"case {case}: {only} take it: {detail}{_cite_all(reasons)}"


def _cite(why: str) -> str:
    """The rule behind a reason: R6 for a conflict of interest, R13 for an absence."""
    return " (R13)" if why == ABSENT else "" if why == NOT_SENIOR else " (R6)"


def _cite_all(reasons: Counter) -> str:
    rules = sorted({_cite(why).strip(" ()") for why in reasons} - {""}, key=lambda r: int(r[1:]))
    return f" ({', '.join(rules)})" if rules else ""


ABSENT = "is absent or has left during the audit window"
NOT_SENIOR = "is not a senior manager"

# Why auditors may not take a case, as said of one auditor and of several.
_PHRASES = {
    "works the case": ("works the case", "work the case"),
    "is the team manager of the case's practitioner": (
        "is the practitioner's team manager", "are the practitioner's team managers"),
    "is in the practitioner's line-management chain": (
        "is in the practitioner's line-management chain", "are in the practitioner's line-management chain"),
    "is the team manager of the team that holds the case": (
        "is the team manager of the case's team", "are team managers of the case's team"),
    "is in the team that holds the case (allocation.exclude_own_team)": (
        "is in the case's team (allocation.exclude_own_team)", "are in the case's team (allocation.exclude_own_team)"),
    "is absent or has left during the audit window": (
        "is absent or has left during the audit window", "are absent or have left during the audit window"),
    "is not a senior manager": ("is not a senior manager", "are not senior managers"),
}


def left_out(case: str, reaudit: bool) -> str:
    if reaudit:
        return (f"case {case}: no senior manager free of conflicts of interest (R6) and absences is left "
                "once the other cases are allocated (R18)")
    return (f"case {case}: no two auditors free of conflicts of interest (R6) and absences are left once the "
            "other cases are allocated")
