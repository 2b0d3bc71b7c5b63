"""``ehqa agreement``: how consistently audits are graded (issue 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ehqa.cli.params import FOLDER, PERIOD, as_of_option, format_option, repo_option


@click.command()
@repo_option
@as_of_option
@click.option(
    "--period",
    type=PERIOD,
    default=None,
    help="Only the audits of this year or quarter's cycles (YYYY or YYYY-Qn); the default is every audit.",
)
@click.option(
    "--ratings",
    "ratings_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Read the ratings from this CSV file (header unit,rater,grade) instead of the repository.",
)
@format_option("text", "json", "markdown", markdown="for a meeting pack or an issue")
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=14,
    show_default=True,
    help="The bootstrap's seed: the same seed gives the same intervals.",
)
@click.option(
    "--resamples",
    type=click.IntRange(100, 100_000),
    default=1000,
    show_default=True,
    help="Bootstrap resamples behind each 95% interval.",
)
@click.option("--calibration", is_flag=True, help="Write each auditor's private calibration sheet into --out instead.")
@click.option(
    "--out",
    type=FOLDER,
    default=None,
    help="With --calibration: the folder to write the sheets into (never the site, docs or data folders).",
)
def agreement(
    repo: Path,
    as_of: date,
    period: str | None,
    ratings_file: Path | None,
    output_format: str,
    seed: int,
    resamples: int,
    calibration: bool,
    out: Path | None,
) -> None:
    """Show how far independent graders agree, overall and per domain, each figure with a 95% interval.

    \b
    From the repository: each auditor's own grades, recorded before the pair
    agreed, and the moderators' blind grades; with drift, how far the auditors'
    agreed grades sit above or below the moderators'.
    With --ratings: a service's double-marking kept in a spreadsheet, saved as
    CSV with the header unit,rater,grade and the grade ids of qa.yaml (blank
    where a grade is missing). A file with any bad row gives no figures.

    \b
    Figures: the share of grades that are the same, or within one grade;
    Krippendorff's alpha (ordinal, nominal); Gwet's AC1 and AC2 (ordinal);
    Cohen's kappa (quadratic) where exactly two people graded. Fewer units
    than agreement.min_units in qa.yaml (10) give a reason, not a number.
    \b
    --calibration --out DIR writes each auditor's own grades beside the
    moderators' of the same audits, one private sheet each, for supervision
    (R22); never into the site.
    See docs/grading-consistency.md.
    """
    from ehqa.reporting import agreement as render

    if calibration or out is not None:
        from ehqa.documents.calibration import write_calibration
        from ehqa.errors import UsageProblem

        if not (calibration and out is not None and ratings_file is None):
            raise UsageProblem("--calibration needs --out DIR (and reads the repository, not --ratings)")
        written = write_calibration(repo, out, period, as_of)
        click.echo(f"wrote {len(written) - 1} calibration sheets and their index into {out}: private, for supervision")
        return
    report = render.agreement_report(repo, ratings_file, period, as_of, resamples, seed)
    shown = {"json": render.report_json, "markdown": render.report_markdown}.get(output_format, render.report_text)
    click.echo(shown(report))
