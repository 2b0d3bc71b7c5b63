"""``ehqa demo``: the synthetic demo service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import CYCLE_ID, FOLDER, ISO_DATE


@click.command()
@click.option("--out", type=FOLDER, default=".", show_default=True,
              help="Where to write the demo service.")
@click.option("--seed", type=click.IntRange(min=0), default=2026, show_default=True, help="The random seed.")
@click.option("--end", "end_cycle", type=CYCLE_ID, default="2026-11", show_default=True, help="The last cycle.")
@click.option("--cycles", type=click.IntRange(1, 600), default=24, show_default=True, help="How many monthly cycles.")
@click.option("--teams", type=click.IntRange(1, 500), default=8, show_default=True, help="How many teams.")
@click.option("--staff-per-team", type=click.IntRange(4, 200), default=7, show_default=True, help="Staff in each team.")
@click.option("--cases-per-cycle", type=click.IntRange(2, 5000), default=8, show_default=True,
              help="Cases nominated in each cycle.")
@click.option("--as-of", type=ISO_DATE, default="2026-11-03", show_default=True,
              help="The demo's today: nothing is completed after it.")
@click.option("--force", is_flag=True, help="Overwrite an existing service in --out.")
def demo(out: Path, seed: int, end_cycle: str, cycles: int, teams: int, staff_per_team: int,
         cases_per_cycle: int, as_of: date, force: bool) -> None:
    """Write the synthetic demo service: invented staff, fake 7-digit case references, 24 cycles.

    The scale options make larger services for the benchmarks. The same seed
    always writes the same files.
    """
    from ehqa.demo import DemoOptions, write_demo

    options = DemoOptions(seed=seed, end_cycle=end_cycle, cycles=cycles, teams=teams, staff_per_team=staff_per_team,
                          cases_per_cycle=cases_per_cycle, as_of=as_of)
    counts = write_demo(out, options, force=force)
    click.echo("wrote " + ", ".join(f"{n} {what}" for what, n in counts.items()) + f" to {out}")
