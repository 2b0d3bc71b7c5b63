"""Who may add which follow-up record (``ehqa check-pr``; issue 11).

A record is one act, added once by the person who did it and never changed or deleted afterwards:
a correction is a new record. The pull request's author must be the author its file name gives
(``<date>.<kind>.<by>.yaml``), and one who may write that kind for that case
(``framework/records.py``, answered by ``rules.records.writers``), or a QA officer writing it on
behalf of such a person (``on_behalf_of``). Who is who, the nominations and the allocations, and the
actions already agreed, come from the base branch; actions agreed in the same pull request count too,
so that a team manager's agreement and an owner's first update can land together.
"""

from __future__ import annotations

from typing import Iterable

from ehqa.framework.records import BY_KIND
from ehqa.layout import Known
from ehqa.model import AgreedAction, Allocation, Person, Service
from ehqa.model.wording import a
from ehqa.rules.changes import Change, OwnershipFinding
from ehqa.rules.records import may_write_on_behalf, writers


def agreed_in(changes: Iterable[Change]) -> list[AgreedAction]:
    """The actions agreed by the actions-agreed records a pull request adds (read leniently: a record
    that is not valid is ``ehqa validate``'s to refuse)."""
    found = []
    for change in changes:
        new = change.new
        if not isinstance(new, dict) or new.get("kind") != "actions-agreed" or not isinstance(new.get("actions"), list):
            continue
        for action in new["actions"]:
            if isinstance(action, dict) and isinstance(action.get("id"), str) and isinstance(action.get("owner"), str):
                found.append(AgreedAction(action["id"], "", action["owner"], None, ""))  # type: ignore[arg-type]
    return found


def judge_record(change: Change, actor: Person, place: Known, service: Service,
                 allocations: dict[str, Allocation], more_actions: list[AgreedAction]) -> list[OwnershipFinding]:
    path, name = change.path, place.record
    assert name is not None and place.cycle is not None and place.case is not None
    if change.old is not None:
        done = "deleted" if change.new is None else "changed"
        return [OwnershipFinding("OWN-RECORD-CHANGED", path, f"this record has landed and may not be {done}: a record "
                                 "is never edited; to correct it, add a new record that says what changed")]
    if name.by.casefold() != actor.id.casefold():
        return [OwnershipFinding("OWN-RECORD-AUTHOR", path, f"the file's name says {name.by} wrote it, but "
                                 f"{actor.id} is adding it: a record is added by its author, whose id is in its name")]
    content = change.new if isinstance(change.new, dict) else {}
    action = content.get("action") if isinstance(content.get("action"), str) else None
    allocation = allocations.get(place.cycle)
    pair = allocation.pair_for(place.case) if allocation is not None else None
    allowed = writers(name.kind, place.cycle, place.case, service, auditors=pair[1].auditors if pair else (),
                      action=action, more_actions=more_actions)
    if actor.id in allowed:
        return []
    for_whom = content.get("on_behalf_of")
    kind = BY_KIND.get(name.kind)
    if (isinstance(for_whom, str) and may_write_on_behalf(actor.id, service) and for_whom in allowed
            and (kind is None or kind.on_behalf)):
        return []
    if not allowed and name.kind not in BY_KIND:
        return []  # a kind nobody knows: ehqa validate refuses it (SCHEMA-ENUM)
    whom = ", ".join(sorted(allowed)) or "nobody in staff.yaml yet"
    if kind is not None and not kind.on_behalf:
        return [OwnershipFinding("OWN-RECORD-WRITER", path, f"{actor.id} may not add {a(name.kind)} record for this "
                                 f"case: only {whom} may, their own judgement and nobody else's ({kind.rule})")]
    return [OwnershipFinding("OWN-RECORD-WRITER", path, f"{actor.id} may not add {a(name.kind)} record for this case: "
                             f"{whom} may, or a QA officer on their behalf (on_behalf_of, received)")]

