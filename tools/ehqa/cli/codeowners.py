"""``ehqa codeowners``: .github/CODEOWNERS from staff.yaml, qa.yaml and the allocations."""

from __future__ import annotations

from pathlib import Path

import click

from ehqa.cli.params import repo_option


@click.command()
@repo_option
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when .github/CODEOWNERS is missing or differs from what it should be "
                   "(the CI check).")
def codeowners(repo: Path, check: bool) -> None:
    """Write .github/CODEOWNERS: who must review a change to each file.

    \b
    each allocated audit       its auditors and the QA officers (R4)
    each worker form           the case's practitioner and the QA officers (R7)
    cycles/, audits/           the QA lead: Head of Service for QA and QA officers
    qa.yaml, staff.yaml        the QA lead and the maintainers (either approves)
    .github/, tools/,          the maintainers (github.maintainers in qa.yaml;
      schemas/, pyproject.toml,  the QA lead when there are none)
      requirements/, mkdocs.yml,
      site_templates/, the rest

    People without a GitHub handle in staff.yaml, and people who have left, are
    left out (with a warning for a missing handle). GitHub enforces the file only
    when branch protection requires a review from code owners. Run it after every
    allocation and change of staff, and commit the result.
    """
    from ehqa.atomic import write_atomic
    from ehqa.repo_files.codeowners import PATH
    from ehqa.repo_files.codeowners_file import codeowners_of, committed_codeowners, refuse_stale

    expected = codeowners_of(repo)
    current = committed_codeowners(repo)
    if check:
        refuse_stale(current, expected)
        click.echo(f"{PATH} is up to date ({expected.audit_rules} allocated audits)")
    elif current == expected.text:
        click.echo(f"{PATH} is already up to date ({expected.audit_rules} allocated audits)")
    else:
        write_atomic(repo / PATH, expected.text)
        click.echo(f"wrote {PATH} ({expected.audit_rules} allocated audits); commit it")
