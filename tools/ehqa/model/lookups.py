"""What the notices' and the meeting pack's facts both look up in the loaded ``Service``:
the settings and staff, a cycle, and a practitioner's team manager.

Where the data stops the lookup, the caller's own exception is raised (``NoticeError``,
``MeetingPackError``), with a message that says what to do. Pure functions.
"""

from __future__ import annotations

from ehqa.model import Cycle, Person, Role, Service, Settings, StaffDirectory


def settings_and_staff(service: Service, error: type[Exception]) -> tuple[Settings, StaffDirectory]:
    """qa.yaml's settings and staff.yaml's directory, or ``error`` when either did not load."""
    if service.settings is None:
        raise error("qa.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    if service.staff is None:
        raise error("staff.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    return service.settings, service.staff


def cycle(service: Service, cycle_id: str, error: type[Exception]) -> Cycle:
    """The cycle ``cycle_id``, or ``error`` when its file does not exist or did not load."""
    cycle_file = f"cycles/{cycle_id}.yaml"
    found = service.cycles.get(cycle_id)
    if found is None:
        if cycle_file in service.broken:
            raise error(f"{cycle_file} could not be read: run `ehqa validate` and fix it first")
        raise error(f"there is no cycle {cycle_id}: {cycle_file} does not exist")
    return found


def team_manager(staff: StaffDirectory, practitioner: str | None) -> Person | None:
    """The first team manager up the practitioner's line-management chain."""
    if not practitioner:
        return None
    for manager_id in staff.management_chain(practitioner):
        manager = staff.get(manager_id)
        if manager is not None and manager.role is Role.TEAM_MANAGER:
            return manager
    return None
