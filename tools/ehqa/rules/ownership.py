"""Who may change which audit file, and how a closed audit may change (``ehqa check-pr``).

Pure decisions over a pull request's changed files (their old and new parsed content), the
actor's GitHub handle and, from the branch the pull request merges into, the staff directory,
the cycles and the allocations. Git is read elsewhere (``load.git_history``).

* An audit (audits/YYYY-MM/<case>.yaml) is added or changed only by one of the auditors the
  cycle's allocation gives the case (R4), by their ``github`` handle in staff.yaml, compared
  without regard to case; or by the QA officer or the Head of Service for QA, who run the cycle.
* A Perspective of Worker form (<case>.worker.yaml) only by the case's practitioner, as
  nominated (R7), or by the QA officer or the Head of Service for QA.
* A follow-up record (<case>.records/<date>.<kind>.<by>.yaml) is added once, by the author its name
  gives, who may write that kind for the case (``rules.record_ownership``), and never changed.
* After its cycle's QA meeting (the meeting is before ``as_of``) an audit is closed: the
  meeting has discussed it (R14) and the original report goes to the manager (R15). It then
  changes only by appending amendments (who, when, why), each signed by the person making
  the change; nothing earlier is deleted or rewritten, and the file is never deleted. The one
  exception is the follow-up record the framework asks for *after* the meeting
  (``FOLLOW_UP_RECORD``): a value there that is still empty may be filled in without an
  amendment; once recorded it is never changed.

* Before any of that, every path the pull request leaves in place under audits/ or cycles/ must be
  one ``layout`` knows, a regular file, and not differ only by case from another: a symbolic link,
  a case variant, a stray folder or a file nothing reads is refused with the same rule id
  ``ehqa validate`` gives it (issue 9: ``X.yaml`` linked to ``X.YAML``, which nobody judged, let
  an unallocated user regrade an audit). Deleting such a path is always allowed.

The OWN- ids judge a change between two versions, not a file, so ``ehqa validate`` never reports
them; ``framework.checks.OWNERSHIP_RULES`` gives each its R-number and meaning, beside every other check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from ehqa import layout
from ehqa.layout import Known
from ehqa.model import Allocation, Cycle, Moderation, Person, Record, Role, Service, Settings, StaffDirectory
from ehqa.rules.changes import Change, OwnershipFinding, Unreadable
from ehqa.rules.grades_ownership import judge_grades
from ehqa.rules.record_ownership import agreed_in, judge_record

QA_ROLES = frozenset({Role.QA_OFFICER, Role.HEAD_OF_SERVICE_QA})


# The follow-up record, filled in after the QA meeting (R10, R11, R12, R15–R20): where the
# value was empty, it may be recorded in a closed audit without an amendment. A path is a list
# of keys; "*" is every item of a list. smart_actions[].status may move on from "open" only.
FOLLOW_UP_RECORD: tuple[tuple[str, ...], ...] = (
    ("followup", "*"),
    ("smart_actions", "*", "status"),
    ("smart_actions", "*", "done"),
    ("previous_work_feedback", "*", "fed_back"),
    ("assessment", "feedback_returned"),
    ("assessment", "manager_informed"),
    ("safety_concern", "action_taken"),
    ("disagreement", "review"),
)
_OPEN = {("smart_actions", "*", "status"): "open"}  # a value that counts as not yet recorded



@dataclass(frozen=True, slots=True)
class Verdict:
    findings: tuple[OwnershipFinding, ...]
    judged: tuple[str, ...]  # the audit, worker-form and record files judged, and the paths refused by their layout
    skipped: tuple[str, ...]  # other data files (cycles, allocations, settings, staff): CODEOWNERS reviews them
    actor: Person | None


def find_actor(staff: StaffDirectory, handle: str) -> Person | None:
    """The person whose ``github`` handle is ``handle``, compared without regard to case (and a leading @)."""
    wanted = handle.strip().removeprefix("@").casefold()
    for person in staff.listed:
        if person.github and person.github.strip().removeprefix("@").casefold() == wanted:
            return person
    return None


def check_changes(
    changes: Iterable[Change],
    actor_handle: str,
    staff: StaffDirectory,
    cycles: dict[str, Cycle],
    allocations: dict[str, Allocation],
    as_of: date,
    clashes: Mapping[str, Sequence[str]] | None = None,
    records: Sequence[Record] = (),
    moderations: Mapping[str, Moderation] | None = None,
    settings: Settings | None = None,
    landed: frozenset[str] = frozenset(),
) -> Verdict:
    """Judge every changed path: its place in the layout, then, for audits and worker forms, who
    may make the change. ``clashes`` gives, for a changed path, the other paths at the head that
    differ from it only by case (``layout.case_clashes``); ``records`` are the base branch's records
    of the audits whose records change (the actions already agreed); ``moderations`` the moderation samples (who
    moderates which case, issue 14); ``settings`` the base branch's qa.yaml and ``landed`` its audit files of the
    audits whose own grades or whose audit the pull request adds (``rules.grades_ownership``)."""
    changes = list(changes)
    base = Service(settings=None, staff=staff, cycles=cycles, allocations=allocations, records=list(records),
                   moderations=dict(moderations or {}))
    agreed_here = agreed_in(changes)
    actor = find_actor(staff, actor_handle)
    findings: list[OwnershipFinding] = []
    judged: list[str] = []
    skipped: list[str] = []
    for change in sorted(changes, key=lambda c: c.path):
        place = _place(change, (clashes or {}).get(change.path))
        if isinstance(place, layout.Problem):
            judged.append(change.path)
            findings.append(OwnershipFinding(place.rule, change.path, place.message))
            continue
        if place is None or place.kind not in ("audit", "worker", "record"):
            skipped.append(change.path)
            continue
        judged.append(change.path)
        problem = _actor_problem(actor, actor_handle, change.path, as_of)
        if problem is not None:
            findings.append(problem)
        elif place.kind == "worker":
            findings.extend(_worker_form(change, actor, place.cycle, place.case, cycles))
        elif place.kind == "record":
            findings.extend(judge_record(change, actor, place, base, allocations, agreed_here))
        else:
            findings.extend(_audit(change, actor, place.cycle, place.case, cycles, allocations, as_of))
    if actor is not None and actor.in_service_on(as_of):
        findings.extend(judge_grades(changes, base, settings, landed, allocations))
    return Verdict(tuple(findings), tuple(judged), tuple(skipped), actor)


def _place(change: Change, clashing: Sequence[str] | None) -> Known | layout.Problem | None:
    """Where the changed path sits in the layout. A deletion is judged by the name alone: removing
    a link or a stray file is how the problem is put right."""
    if change.new is None:
        found = layout.classify(change.path)
        return found if isinstance(found, Known) else None
    found = layout.classify(change.path, change.new_entry)
    if isinstance(found, Known) and clashing:
        return layout.clash_problem(change.path, list(clashing))
    return found


# --- who ----------------------------------------------------------------------------------


def _actor_problem(actor: Person | None, handle: str, path: str, as_of: date) -> OwnershipFinding | None:
    if actor is None:
        return OwnershipFinding("OWN-UNKNOWN-ACTOR", path, f"the GitHub user {handle!r} is not in staff.yaml, so "
                                "ehqa cannot tell whether they may change this file: the QA officer adds their "
                                "handle (github:) to their entry in staff.yaml")
    if not actor.in_service_on(as_of):
        return OwnershipFinding("OWN-ACTOR-LEFT", path, f"{handle} is {actor.id}, who left the service on "
                                f"{actor.left.isoformat()}; ask the QA officer to make the change")
    return None


def _is_qa(person: Person) -> bool:
    return person.role in QA_ROLES


def _worker_form(change: Change, actor: Person, cycle_id: str, case: str,
                 cycles: dict[str, Cycle]) -> list[OwnershipFinding]:
    if _is_qa(actor):
        return []
    cycle = cycles.get(cycle_id)
    nomination = cycle.nomination(case) if cycle is not None else None
    if nomination is not None and nomination.practitioner == actor.id:
        return []
    whose = (f"the case's practitioner, {nomination.practitioner}," if nomination is not None
             else f"the practitioner of a case nominated in cycle {cycle_id} (case {case} is not),")
    return [OwnershipFinding("OWN-NOT-PRACTITIONER", change.path,
                             f"{actor.id} may not {_verb(change)} this Perspective of Worker form: only {whose} "
                             "or a QA officer may")]


def _audit(change: Change, actor: Person, cycle_id: str, case: str, cycles: dict[str, Cycle],
           allocations: dict[str, Allocation], as_of: date) -> list[OwnershipFinding]:
    allocation = allocations.get(cycle_id)
    found = allocation.pair_for(case) if allocation is not None else None
    auditors = found[1].auditors if found is not None else ()
    if not _is_qa(actor) and actor.id not in auditors:
        if auditors:
            who = f"its allocated auditors ({', '.join(auditors)})"
        elif allocation is None:
            who = f"the auditors allocated to it, and cycle {cycle_id} has no allocation yet,"
        else:
            who = f"the auditors allocated to it, and case {case} is not allocated in cycle {cycle_id},"
        return [OwnershipFinding("OWN-NOT-ALLOCATED", change.path,
                                 f"{actor.id} may not {_verb(change)} this audit: only {who} or a QA officer may")]
    cycle = cycles.get(cycle_id)
    if cycle is None or change.old is None or not cycle.meeting < as_of:
        return []  # open, or a new audit (late audits are R13's business, not a rewrite)
    return _closed(change, actor, cycle)


# --- closed audits --------------------------------------------------------------------------


def _closed(change: Change, actor: Person, cycle: Cycle) -> list[OwnershipFinding]:
    closed = f"this audit closed at its QA meeting on {cycle.meeting.isoformat()}"
    path = change.path
    if change.new is None:
        return [OwnershipFinding("OWN-CLOSED-DELETE", path, f"{closed} and may not be deleted; to correct it, "
                                 "append an amendment saying what is wrong and why")]
    for side, content in (("the earlier version", change.old), ("the new version", change.new)):
        if isinstance(content, Unreadable):
            return [OwnershipFinding("OWN-CLOSED-REWRITE", path, f"{closed}; {side} cannot be read "
                                     f"({content.problem}), so the change cannot be shown to be an amendment")]
        if not isinstance(content, dict):
            return [OwnershipFinding("OWN-CLOSED-REWRITE", path, f"{closed}; {side} is not a mapping of fields")]
    old, new = change.old, change.new
    old_amendments, new_amendments = old.get("amendments") or [], new.get("amendments") or []
    if not isinstance(old_amendments, list) or not isinstance(new_amendments, list):
        return [OwnershipFinding("OWN-CLOSED-REWRITE", path, f"{closed}; amendments must stay a list")]

    findings: list[OwnershipFinding] = []
    kept = new_amendments[: len(old_amendments)]
    for number, (before, after) in enumerate(zip(old_amendments, kept), start=1):
        if before != after:
            findings.append(OwnershipFinding("OWN-CLOSED-REWRITE", path,
                                             f"{closed}; amendment {number} was rewritten: amendments are never "
                                             "changed once made"))
    if len(new_amendments) < len(old_amendments):
        findings.append(OwnershipFinding("OWN-CLOSED-REWRITE", path,
                                         f"{closed}; {len(old_amendments) - len(new_amendments)} amendment(s) "
                                         "were removed: amendments are never deleted"))

    rewritten, filled = _compare(old, new)
    if rewritten:
        findings.append(OwnershipFinding("OWN-CLOSED-REWRITE", path,
                                         f"{closed}; {_list(rewritten)} {'was' if len(rewritten) == 1 else 'were'} "
                                         "rewritten or deleted. Nothing recorded before the meeting changes: put "
                                         "the correction in an amendment (by, date, why) appended to amendments"))

    appended = new_amendments[len(old_amendments):]
    for number, entry in enumerate(appended, start=len(old_amendments) + 1):
        by = entry.get("by") if isinstance(entry, dict) else None
        if by != actor.id:
            signed = f"is signed by {by}" if isinstance(by, str) and by else "has no by:"
            findings.append(OwnershipFinding("OWN-AMENDMENT-BY", path,
                                             f"amendment {number} {signed}, but the change is made by {actor.id}: "
                                             f"each person appends and signs their own amendment (by: {actor.id})"))
    if not appended and not findings and not filled:
        findings.append(OwnershipFinding("OWN-AMENDMENT-MISSING", path,
                                         f"{closed}; a change to it appends an amendment (by: {actor.id}, date, "
                                         "why) to amendments, and this change appends none"))
    return findings


def _compare(old: dict, new: dict) -> tuple[list[str], list[str]]:
    """The fields of a closed audit rewritten or deleted, and the follow-up record filled in.
    ``amendments`` is compared elsewhere."""
    old_rest = {k: v for k, v in old.items() if k != "amendments"}
    new_rest = {k: v for k, v in new.items() if k != "amendments"}
    old_core, old_record = _split(old_rest)
    new_core, new_record = _split(new_rest)
    rewritten = _differences(old_core, new_core)
    filled: list[str] = []
    for where, before in old_record.items():
        after = new_record.get(where)
        if before != after and not _is_empty(before, _OPEN.get(_pattern(where))):
            rewritten.append(_name(where))
    for where, after in new_record.items():
        before = old_record.get(where)
        if before != after and _is_empty(before, _OPEN.get(_pattern(where))):
            if where in old_record or _container_exists(old_rest, where):
                filled.append(_name(where))
            else:
                rewritten.append(_name(where))
    return sorted(set(rewritten)), filled


def _split(doc: dict) -> tuple[Any, dict[tuple, Any]]:
    """The document without the follow-up record, and the follow-up record's values by path.
    A mapping left empty by taking the record out goes too, so that ``followup: {}`` and no
    ``followup`` read the same."""
    record: dict[tuple, Any] = {}

    def strip(node: Any, here: tuple, patterns: list[tuple[str, ...]]) -> Any:
        depth = len(here)
        if isinstance(node, dict):
            kept = {}
            for key, value in node.items():
                step = here + (key,)
                matching = [p for p in patterns if p[depth] in (key, "*")]
                if any(len(p) == depth + 1 for p in matching):
                    record[step] = value
                    continue
                inner = strip(value, step, [p for p in matching if len(p) > depth + 1])
                if not (matching and inner == {}):
                    kept[key] = inner
            return kept
        if isinstance(node, list):
            matching = [p for p in patterns if p[depth] == "*"]
            out = []
            for index, value in enumerate(node):
                if any(len(p) == depth + 1 for p in matching):
                    record[here + (index,)] = value
                else:
                    out.append(strip(value, here + (index,), [p for p in matching if len(p) > depth + 1]))
            return out
        return node

    return strip(doc, (), list(FOLLOW_UP_RECORD)), record


def _differences(old: Any, new: Any, here: tuple = ()) -> list[str]:
    """The places where two documents differ, named as far down as two levels (domains.planning)."""
    if old == new:
        return []
    if len(here) < 2 and isinstance(old, dict) and isinstance(new, dict):
        found: list[str] = []
        for key in list(old) + [k for k in new if k not in old]:
            found.extend(_differences(old.get(key), new.get(key), here + (key,)))
        return found
    return [_name(here) if here else "the audit"]


def _container_exists(doc: dict, where: tuple) -> bool:
    """Whether what holds ``where`` existed before: the audit's assessment, a SMART action, a
    feedback item. Filling in a new item's value is adding the item, which is a rewrite. The
    followup mapping itself is the record, so it need not have existed."""
    if where[0] == "followup":
        return True
    node: Any = doc
    for step in where[:-1]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return False
    return isinstance(node, dict)


def _pattern(where: tuple) -> tuple[str, ...]:
    return tuple("*" if isinstance(step, int) else step for step in where)


def _is_empty(value: Any, open_value: str | None) -> bool:
    return value is None or value == "" or (open_value is not None and value == open_value)


def _name(where: tuple) -> str:
    text = ""
    for step in where:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _list(names: list[str]) -> str:
    names = [f"'{n}'" for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _verb(change: Change) -> str:
    return "add" if change.old is None else "delete" if change.new is None else "change"
