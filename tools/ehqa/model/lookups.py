"""What the notices' and the meeting pack's facts both look up in the loaded ``Service``:
the settings and staff, and a cycle.

Where the data stops the lookup, the caller's own exception is raised (``NoticeError``,
``MeetingPackError``), with a message that says what to do. Pure functions.
"""

from __future__ import annotations

from ehqa import layout
from ehqa.model import Cycle, Service, Settings, StaffDirectory


def settings_and_staff(service: Service, error: type[Exception]) -> tuple[Settings, StaffDirectory]:
    """qa.yaml's settings and staff.yaml's directory, or ``error`` when either did not load."""
    if service.settings is None:
        raise error("qa.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    if service.staff is None:
        raise error("staff.yaml is missing or could not be read: run `ehqa validate` and fix it first")
    return service.settings, service.staff


def cycle(service: Service, cycle_id: str, error: type[Exception]) -> Cycle:
    """The cycle ``cycle_id``, or ``error`` when its file does not exist or did not load."""
    cycle_file = layout.cycle_path(cycle_id)
    found = service.cycles.get(cycle_id)
    if found is None:
        if cycle_file in service.broken:
            raise error(f"{cycle_file} could not be read: run `ehqa validate` and fix it first")
        raise error(f"there is no cycle {cycle_id}: {cycle_file} does not exist")
    return found
