"""The month's report for senior leaders and the QA board (R21), as a ``Document``.

It says what the learning site says of the month, for people who read a report rather than browse: what was
audited and why, completion, grades against the 12 months before, what went well, the areas for development,
the learning, actions and follow-ups, re-audit outcomes and grading consistency where measured. Every figure
is the site's own (``site.pages.site_facts``: one computation, disclosure control decided over every figure
of the site at once), so a figure withheld on the site is withheld here ([c]) and nothing withheld can be
worked out by setting the two side by side. It names no case and no person: the only free text is the theme's
title and the audits' learning excerpts, written for publication; the output edge scans it as the site is
scanned before it is written.
"""

from __future__ import annotations

from ehqa.documents.board.consistency import consistency_section
from ehqa.documents.board.document import Bullets, Document, Fig, Grid, Para, Section
from ehqa.model.wording import day, long_date, month_name, one_line
from ehqa.site import compliance, stats
from ehqa.site.reports import SOURCES, Facts, domain_section, labels, theme_table
from ehqa.site.stats import IMPROVED, OUTCOMES
from ehqa.site.tables import WITHHELD, withheld_note

ALL_AUDITS = "All audits"
GOOD = "Good or better"


def board_document(facts: Facts, cycle_id: str) -> Document:
    """The board report of ``cycle_id``, a cycle whose findings the site publishes (its QA meeting held)."""
    service, figures = facts.service, facts.figures
    cycle = service.cycles[cycle_id]
    month, year = month_name(cycle_id), cycle_id[:4]
    lead = (Para((f"Figures as of {day(facts.as_of)}. This report names no case and no member of staff. Its "
                  "figures are the learning site's own, counted the same way; a figure the site withholds to protect "
                  "privacy is withheld here too, shown [c].",)),)
    sections = (
        _audited(facts, cycle_id, month),
        _completion(facts, cycle_id, month),
        _grades(facts, cycle_id, month),
        *_strengths_areas(facts, cycle_id, month),
        _learning(facts, cycle_id, month),
        _followups(facts, year),
        _reaudits(facts, year),
        consistency_section(service, [cycle_id], facts.as_of),
    )
    return Document(f"{facts.settings.service_name}: QA board report, {month}",
                    f"Early Help case audits: the cycle of {month}, on the theme “{one_line(cycle.theme_title)}”.",
                    lead, sections, _note(figures.k), as_of=facts.as_of)


def _note(k: int) -> str:
    """What [c] means, as the site says it, for a report that repeats the site's figures."""
    return withheld_note(k).replace("wherever it appears on this site", "on the learning site and in this report")


def _audited(facts: Facts, cycle_id: str, month: str) -> Section:
    cycle = facts.service.cycles[cycle_id]
    titles = facts.theme_titles()
    themes = [titles.get(t, t) for t in cycle.theme_learning]
    blocks = [Para((f"The cycle of {month} audited cases on the theme “{one_line(cycle.theme_title)}”, chosen from "
                    f"{SOURCES.get(cycle.theme_source, cycle.theme_source)} (R2)"
                    + (f"; it speaks to the learning themes {', '.join(themes)}." if themes else ".")
                    + f" Its QA meeting was held on {day(cycle.meeting)} (R14).",)),
              Para((Fig(facts.figures.n(cycle_id), "completion", "Audits submitted", "audits"),
                    " cases were audited.")),
              ]
    return Section("audited", "What was audited and why", tuple(blocks))


def _completion(facts: Facts, cycle_id: str, month: str) -> Section:
    figures, cycle = facts.figures, facts.service.cycles[cycle_id]
    n = figures.n(cycle_id)
    on_time = figures.on_time(cycle_id)
    revised = figures.revised(cycle_id)
    rows = [("Audits submitted", n)]
    blocks = []
    if on_time is not None:
        rows.append(("Submitted by the due date (R13)", on_time[0]))
        blocks.append(Para((Fig(on_time[0], "completion", "Submitted by the due date (R13)", "audits"), " of ",
                            Fig(n, "completion", "Audits submitted", "audits"),
                            f" audits were submitted by the due date, {day(cycle.audits_due)} (R13).")))
    else:
        blocks.append(Para((f"Audits submitted by the due date, {day(cycle.audits_due)}, are counted with the "
                            "year's follow-ups, under R13 below: a cycle's own count is shown only when every audit "
                            "allocated arrived.",)))
    rows.append(("Grades revised on review (R12)", revised[0]))
    blocks.append(Para((Fig(revised[0], "completion", "Grades revised on review (R12)", "audits"), " of ",
                        Fig(n, "completion", "Audits submitted", "audits"),
                        " audits had their grades revised on an independent review of a disputed audit (R12).")))
    grid = Grid("completion", f"Completion, {month} (counts of audits)", ("", "audits"), tuple(rows))
    return Section("completion", "Completion", (*blocks, grid))


def _grades(facts: Facts, cycle_id: str, month: str) -> Section:
    figures = facts.figures
    before = stats.previous_cycles(list(facts.published), cycle_id, 12)
    months = [*before, cycle_id]
    rows = {c: figures.grades(c) for c in months}
    trend = Grid("trend", f"Overall grades, {month} and the 12 months before (counts of audits)",
                 ("month", "audits", *labels(facts), GOOD),
                 tuple((month_name(c), rows[c].size, *rows[c].cells, rows[c].good) for c in months))
    good = rows[cycle_id].good
    parts: list = ([f"In {month}, ", Fig(good, "trend", month, GOOD), " of the audits were Good or better overall."]
                   if good is not WITHHELD else
                   [f"In {month}, the share of audits Good or better overall is ", Fig(good, "trend", month, GOOD),
                    ": not shown, to protect privacy, as on the learning site."])
    shown = [c for c in before if rows[c].good is not WITHHELD and str(rows[c].good).endswith("%")]
    if shown:
        low = min(shown, key=lambda c: (int(str(rows[c].good).rstrip("%")), c))
        high = max(shown, key=lambda c: (int(str(rows[c].good).rstrip("%")), c))
        parts += [f" Over the {len(before)} months before with findings, the share ranged from ",
                  Fig(rows[low].good, "trend", month_name(low), GOOD), f" ({month_name(low)}) to ",
                  Fig(rows[high].good, "trend", month_name(high), GOOD), f" ({month_name(high)})",
                  ", where it is shown."]
    elif not before:
        parts.append(" No earlier month has findings to compare with.")
    return Section("grades", "Grades against the last 12 months", (Para(tuple(parts)), trend))


def _strengths_areas(facts: Facts, cycle_id: str, month: str) -> tuple[Section, Section]:
    section = domain_section(facts, cycle_id, month)
    went_well = (Bullets(tuple((f"{s['title']}: Good or better in {s['how']}.",) for s in section["strengths"]))
                 if section["strengths"] else
                 Para(("No domain was Good or better in at least half the audits this time, where the figures can "
                       "be shown.",)))
    development = (Bullets(tuple((f"{s['title']}: below Good in {s['how']}.",) for s in section["areas"]))
                   if section["areas"] else Para(("No domain was below Good this time, where the figures can be "
                                                  "shown.",)))
    note = Para(("Each strength and area for development the auditors recorded is taken up with the practitioner "
                 "and their manager (R19), and is not reported here.",))
    return (Section("went-well", "What went well", (went_well, Grid.of("domains", section["table"]))),
            Section("development", "Areas for development", (development, note)))


def _learning(facts: Facts, cycle_id: str, month: str) -> Section:
    audits = facts.published[cycle_id]
    titles = facts.theme_titles()
    excerpts = Bullets(tuple((f"{one_line(a.learning_excerpt)} ({', '.join(titles.get(t, t) for t in a.learning_themes)})",)
                             for a in audits))
    return Section("learning", "Learning", (
        Para(("What the auditors wrote for everyone to learn from, anonymised, as the learning site shares it "
              "(R21):",)), excerpts, Grid.of("themes", theme_table(facts, audits, f"Learning themes of the audits, {month}"))))


def _followups(facts: Facts, year: str) -> Section:
    rows = facts.figures.followups(year)
    head = ("rule", "follow-up", "on time", "late", "overdue", "not yet due", "on time, of those due")
    body = tuple((r, compliance.RULE_TITLES.get(r, r), c[0], c[1], c[3], c[2], good) for r, c, good in rows if r != "all")
    total = next((("All", "", c[0], c[1], c[3], c[2], good) for r, c, good in rows if r == "all"), None)
    caption = f"Follow-ups of the audits of {year}, by rule, as of {long_date(facts.as_of)}"
    if not body:
        return Section("followups", "Actions and follow-ups", (Para((f"No follow-ups of the audits of {year} to "
                                                                      "count yet.",)),))
    blocks = [Para(("Of the follow-ups of the audits of ", year, " whose due date has passed, ",
                    Fig(total[6], "followups", "All", head[6]), " were done on time."))]
    actions = next((r for r in body if r[0] == compliance.R17_ACTIONS), None)
    if actions:
        blocks.append(Para(("SMART actions agreed after an audit graded Requires Improvement (R17): ",
                            Fig(actions[2], "followups", compliance.R17_ACTIONS, "on time"),
                            " were met by their due date; overdue: ",
                            Fig(actions[4], "followups", compliance.R17_ACTIONS, "overdue"), ".")))
    blocks.append(Para(("Follow-ups that are one person's work (the QA officer's and the Head of Service for Quality "
                        "Assurance's) are followed up at the QA meeting, not counted here.",)))
    return Section("followups", "Actions and follow-ups",
                   (*blocks, Grid("followups", caption, head, body, total, numeric_from=2)))


def _reaudits(facts: Facts, year: str) -> Section:
    count, overall, by_domain = facts.figures.outcomes(year)
    if count == 0:
        return Section("reaudits", "Re-audit outcomes", (Para((f"No re-audit (R18) in {year} yet.",)),))
    titles = facts.domain_titles
    grid = Grid("reaudits", f"Re-audits in {year} against the audits before, by domain", ("domain", *OUTCOMES),
                tuple((titles.get(d, d), *cells) for d, cells in by_domain), ("Overall", *overall))
    para = Para((f"Inadequate cases are re-audited by a senior manager 2–3 months on (R18). Of the re-audits of {year}, ",
                 Fig(overall[OUTCOMES.index(IMPROVED)], "reaudits", "Overall", IMPROVED),
                 " improved overall on the audit before."))
    return Section("reaudits", "Re-audit outcomes", (para, grid))
