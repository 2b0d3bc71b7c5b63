"""The inspection evidence pack over a period of cycles, as a ``Document``.

What an inspector asks of an audit programme: which cycles ran, on which themes and why (R1–R3); whether
allocations and audits were on time (R5, R13); whether what each audit calls for was done, rule by rule (R10–R20);
whether re-audited practice improved (R18); whether auditors grade consistently; what the learning themes were and
what was done because of them (R17, R2); and what the service found over time (R21, R22).

Decided for this pack: it is private (``privacy.private_output`` refuses the site and the data folders), so its
counts are exact, with no disclosure control, and it counts every follow-up, the QA officer's and the Head of
Service for QA's too. It names the cases that were re-audited, so that an inspector can ask for their files, and
no member of staff: outcomes are the service's, never ranked by person. It counts with the same functions as the
site (``site.stats``, ``site.compliance``), over every audit of the period's cycles.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ehqa.documents.board.consistency import consistency_section
from ehqa.documents.board.document import Bullets, Document, Fig, Grid, Para, Section
from ehqa.framework import checks as kinds
from ehqa.framework.rules import framework_rule
from ehqa.model import Audit, Service
from ehqa.model.enums import OVERALL_GRADES
from ehqa.model.wording import day, month_name, one_line
from ehqa.rules.obligations import Obligations
from ehqa.rules.reaudit_outcome import reaudit_outcome
from ehqa.site import compliance, stats
from ehqa.site.reports import SOURCES
from ehqa.site.stats import IMPROVED, OUTCOMES, share

ALL = "All"


def evidence_document(service: Service, cycle_ids: list[str], as_of: date,
                      submitted: dict[str, date] | None = None) -> Document:
    """The pack over ``cycle_ids`` (oldest first), as of ``as_of``; ``submitted``: when each audit landed (R13)."""
    grouped = stats.audits_by_cycle(service)
    by_cycle = {c: grouped.get(c, []) for c in cycle_ids}
    items = [i for i in compliance.obligation_items(service, as_of, submitted) if i.cycle in by_cycle]
    grades = {a.source: service.effective_grades(a, as_of) for audits in by_cycle.values() for a in audits}
    period = f"{month_name(cycle_ids[0])} to {month_name(cycle_ids[-1])}"
    sections = (
        _programme(service, by_cycle),
        _completion(service, by_cycle, items),
        _followups(items, as_of),
        _reaudits(service, by_cycle, grades),
        consistency_section(service, cycle_ids, as_of),
        _themes(service, by_cycle, as_of),
        _findings(service, by_cycle, grades),
    )
    lead = (Para((f"Figures as of {day(as_of)}, over the cycles from {period}. The counts are "
                  "exact: this pack is private, for the inspector. It names the cases that were re-audited, so that "
                  "their files can be asked for, and no member of staff.",)),)
    return Document(f"{service.settings.service_name}: inspection evidence, case audits {period}",
                    "Early Help Quality Assurance: the audit programme, what it found and what changed because of it.",
                    lead, sections, private=True, as_of=as_of)


def _programme(service: Service, by_cycle: dict[str, list[Audit]]) -> Section:
    titles = {t.id: t.title for t in service.settings.learning_themes}
    rows = []
    for cycle_id, audits in by_cycle.items():
        cycle = service.cycles[cycle_id]
        rows.append((month_name(cycle_id), one_line(cycle.theme_title), SOURCES.get(cycle.theme_source, cycle.theme_source),
                     cycle.theme_rationale or "–", ", ".join(titles.get(t, t) for t in cycle.theme_learning) or "–",
                     day(cycle.meeting), len(audits)))
    grid = Grid("programme", "The audit programme: each cycle's theme and why it was chosen",
                ("cycle", "theme", "chosen from", "why it was chosen", "learning themes", "QA meeting", "audits"),
                tuple(rows), (ALL, "", "", "", "", "", sum(len(a) for a in by_cycle.values())), numeric_from=6)
    para = Para(("One cycle a month (R1), each on a theme drawn from the previous QA meeting or chosen "
                 "from serious case reviews, performance information or earlier audits (R2); team managers nominate "
                 "cases that present it (R3). ", Fig(grid.total[6], "programme", ALL, "audits"),
                 " cases were audited in all."))
    return Section("programme", "The audit programme", (para, grid))


def _completion(service: Service, by_cycle: dict[str, list[Audit]], items) -> Section:
    r13 = Counter((i.cycle, i.state) for i in items if i.rule == "R13")
    head = ("cycle", "allocations sent", "by the deadline (R5)", "audits allocated", "submitted by the due date (R13)",
            "submitted late", "not yet due", "overdue")
    rows, totals = [], [0, 0, 0, 0, 0]
    for cycle_id in by_cycle:
        cycle, allocation = service.cycles[cycle_id], service.allocations.get(cycle_id)
        counts = [r13[cycle_id, s] for s in ("on time", "late", "open", "overdue")]
        sent = day(allocation.allocated) if allocation else "not allocated"
        in_time = ("yes" if allocation.allocated <= cycle.allocations_by else "no") if allocation else "–"
        rows.append((month_name(cycle_id), sent, in_time, sum(counts), *counts))
        totals = [t + v for t, v in zip(totals, (sum(counts), *counts))]
    grid = Grid("completion", "Allocations and audits against their deadlines, by cycle", head, tuple(rows),
                (ALL, "", "", *totals), numeric_from=3)
    para = Para(("Allocations go out at least 14 days before the QA meeting (R5); audits are due by the cycle's date "
                 "(R13). ", Fig(totals[1], "completion", ALL, head[4]), " of ", Fig(totals[0], "completion", ALL, head[3]),
                 " audits allocated were submitted by their due date."))
    return Section("completion", "Completion and timeliness", (para, grid))


def _followups(items, as_of: date) -> Section:
    rows = compliance.by_rule(items)
    head = ("rule", "the rule", "one follow-up is", "on time", "late", "overdue", "not yet due", "on time, of those due")
    body = tuple((r.rule, framework_rule(compliance.rule_of(r.rule)).title, compliance.RULE_TITLES.get(r.rule, "–"),
                  r.on_time, r.late, r.overdue, r.open, share(r.on_time, r.due)) for r in rows)
    sums = [sum(r.counts[i] for r in rows) for i in range(4)]
    due = sums[0] + sums[1] + sums[3]
    grid = Grid("followups", f"Follow-ups by rule, as of {day(as_of)}", head, body,
                (ALL, "", "", sums[0], sums[1], sums[3], sums[2], share(sums[0], due)), numeric_from=3)
    para = Para(("Every audit creates follow-ups, each set by a rule of the framework. Of those whose due date has "
                 "passed, ", Fig(grid.total[7], "followups", ALL, head[7]), " were done on time; overdue now: ",
                 Fig(sums[3], "followups", ALL, "overdue"), "."))
    return Section("followups", "Follow-up compliance by rule", (para, grid))


def _reaudits(service: Service, by_cycle: dict[str, list[Audit]], grades) -> Section:
    by_key = service.audits_by_key()
    audits = [a for c in by_cycle.values() for a in c]
    label = service.settings.grade_label

    def grades_of(audit: Audit):
        return grades.get(audit.source) or service.effective_grades(audit)

    outcomes = stats.reaudit_outcomes(by_key, audits, grades_of)
    if not outcomes.count:
        return Section("reaudits", "Re-audit improvement", (Para(("No re-audit (R18) in the period.",)),))
    titles = dict(stats.domains_seen(service, audits))
    table = Grid("reaudits", "Re-audits against the audits before, by domain", ("domain", *OUTCOMES),
                 tuple((titles.get(d, d), *(tally[o] for o in OUTCOMES)) for d, tally in outcomes.by_domain.items()),
                 ("Overall", *(outcomes.overall[o] for o in OUTCOMES)))
    cases = []
    for audit in audits:
        original = by_key.get(audit.reaudit_of) if audit.reaudit_of else None
        if original is not None:
            before, after = grades_of(original), grades_of(audit)
            result = reaudit_outcome(original, audit, before, after)
            cases.append((f"{audit.case} ({month_name(audit.cycle)})", month_name(original.cycle),
                          label(before.overall), label(after.overall), result.overall))
    listed = Grid("reaudit-cases", "Each re-audit (R18): the case, and its overall grade before and after",
                  ("case re-audited", "audited before", "overall before", "overall after", "outcome"), tuple(cases))
    para = Para(("Cases graded Inadequate are re-audited 2–3 months on by a senior manager (R18). Of ",
                 Fig(outcomes.count, "reaudit-count", "Re-audits", "count"), " re-audits, ",
                 Fig(outcomes.overall[IMPROVED], "reaudits", "Overall", IMPROVED), " improved overall."))
    count = Grid("reaudit-count", "Re-audits in the period", ("", "count"), (("Re-audits", outcomes.count),))
    return Section("reaudits", "Re-audit improvement, domain by domain", (para, count, table, listed))


def _themes(service: Service, by_cycle: dict[str, list[Audit]], as_of: date) -> Section:
    audits = [a for c in by_cycle.values() for a in c]
    tagged = stats.theme_counts(audits)
    actions = _action_states(service, audits, as_of)
    rows = []
    for theme in service.settings.learning_themes:
        chosen = [month_name(c) for c in by_cycle if theme.id in service.cycles[c].theme_learning]
        states = Counter(s for a in audits if theme.id in a.learning_themes for s in actions[a.source])
        if not (tagged[theme.id] or chosen or states):
            continue
        rows.append((theme.title, ", ".join(chosen) or "–", tagged[theme.id], sum(states.values()),
                     *(states[s] for s in compliance.STATES)))
    grid = Grid("themes", f"Learning themes: the cycles chosen on them, and the SMART actions of their audits, as of "
                f"{day(as_of)}", ("learning theme", "cycles on the theme", "audits tagged", "SMART actions (R17)",
                                  "met on time", "met late", "not yet due", "overdue"), tuple(rows), numeric_from=2)
    bullets = Bullets(tuple((f"{month_name(c)}: “{one_line(service.cycles[c].theme_title)}”, chosen from "
                             f"{SOURCES.get(service.cycles[c].theme_source, service.cycles[c].theme_source)}.",)
                            for c in by_cycle if service.cycles[c].theme_source in ("previous-meeting", "earlier-audits")))
    blocks = [Para(("The learning themes the auditors tagged, and what was done because of them: cycles chosen on a "
                    "theme (R2), and the SMART actions agreed after audits graded Requires Improvement (R17), counted "
                    "by the learning themes of their audits. An action is one of the audit's own, agreed by the team "
                    "manager and practitioner and reviewed at the next QA meeting.",)), grid]
    if bullets.items:
        blocks += [Para(("Cycles whose theme came from what the audits themselves found:",)), bullets]
    return Section("themes", "Learning themes and the actions taken", tuple(blocks))


def _action_states(service: Service, audits: list[Audit], as_of: date) -> dict[str, list[str]]:
    """Each audit's SMART actions (R17), each as one of ``compliance.STATES``: as the follow-ups count them, records
    and all."""
    engine = Obligations(service, as_of)
    found: dict[str, list[str]] = {}
    for audit in audits:
        found[audit.source] = [compliance.state_of(due, as_of, engine.calendar)
                               for due in engine.for_audit(audit, service.cycles[audit.cycle])
                               if due.kind is kinds.SMART_ACTION]
    return found


def _findings(service: Service, by_cycle: dict[str, list[Audit]], grades) -> Section:
    labels = [service.settings.grade_label(g) for g in OVERALL_GRADES]
    rows, totals = [], [0] * len(OVERALL_GRADES)
    for cycle_id, audits in by_cycle.items():
        mix = stats.overall_mix(grades[a.source] for a in audits)
        rows.append((month_name(cycle_id), mix.total, *mix.counts, share(mix.good_or_better, mix.total)))
        totals = [t + v for t, v in zip(totals, mix.counts)]
    n = sum(totals)
    overall = Grid("findings", "Overall grades by cycle (counts of audits)", ("cycle", "audits", *labels, "Good or better"),
                   tuple(rows), (ALL, n, *totals, share(totals[0] + totals[1], n)))
    every = [a for c in by_cycle.values() for a in c]
    domains = stats.domains_seen(service, [grades[a.source] for a in every])
    by_domain = Grid("domains-over-time", "Share of audits Good or better, by domain and cycle",
                     ("cycle", *(title for _, title in domains)),
                     tuple((month_name(c), *(_domain_share(by_cycle[c], grades, d) for d, _ in domains))
                           for c in by_cycle if by_cycle[c]))
    para = Para(("Over the period, ", Fig(overall.total[-1], "findings", ALL, "Good or better"), " of ",
                 Fig(n, "findings", ALL, "audits"), " audits were Good or better overall (R9), as graded after any "
                 "independent review (R12)."))
    return Section("findings", "The service's own findings over time", (para, overall, by_domain))


def _domain_share(audits: list[Audit], grades, domain: str) -> str:
    mix = stats.domain_mix([grades[a.source] for a in audits], domain)
    return share(mix.good_or_better, mix.total)
