"""Issue 12, item 20: a GitHub Pages site is public outside GitHub Enterprise Cloud, so the site workflow deploys
nothing until qa.yaml says where the site is published and who can see it, and the adoption steps say what to
choose."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, ROOT

SITE_WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def _add_to_qa(root: Path, text: str) -> None:
    with open(root / "qa.yaml", "a", encoding="utf-8") as qa:
        qa.write(text)


def test_item20_site_workflow_builds_with_deploy_before_uploading() -> None:
    doc = yaml.safe_load(SITE_WORKFLOW.read_text(encoding="utf-8"))
    steps = doc["jobs"]["build"]["steps"]
    build = next(s for s in steps if "ehqa build" in s.get("run", ""))
    assert build["run"] == "ehqa build --strict --deploy --out site"
    assert build["id"] == "build"
    upload = steps[-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["if"] == "steps.build.outcome == 'success'"  # no deploy unless that build (and its check) passed


def test_item20_build_for_deploying_refuses_until_qa_yaml_says_where_and_who(ehqa, service_copy: Path) -> None:
    qa = (service_copy / "qa.yaml").read_text(encoding="utf-8")
    assert "site:" not in qa
    result = ehqa("build", "--deploy", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "qa.yaml does not say where the learning site is published and who can see it" in result.output
    assert "public on the internet unless the organisation is on GitHub Enterprise Cloud" in result.output
    assert not (service_copy / "site").exists()


@pytest.mark.parametrize("where", ["nowhere", "elsewhere"])
def test_item20_build_for_deploying_refuses_a_site_not_for_github_pages(ehqa, service_copy: Path, where: str) -> None:
    who = "organisation" if where == "elsewhere" else "nobody"
    site = f"  site:\n    where: {where}\n    who_can_see: {who}\n"
    qa = (service_copy / "qa.yaml").read_text(encoding="utf-8").replace("publication:\n", f"publication:\n{site}", 1)
    (service_copy / "qa.yaml").write_text(qa, encoding="utf-8")
    assert ehqa("validate", "--repo", service_copy, "--as-of", AS_OF).exit_code == 0
    result = ehqa("build", "--deploy", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 1 and f"published {where}" in result.output


def test_item20_github_pages_needs_who_can_see_it(ehqa, service_copy: Path) -> None:
    qa = (service_copy / "qa.yaml").read_text(encoding="utf-8")
    qa = qa.replace("publication:\n", "publication:\n  site:\n    where: github-pages\n", 1)
    (service_copy / "qa.yaml").write_text(qa, encoding="utf-8")
    result = ehqa("validate", "--repo", service_copy, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "error[SCHEMA-REQUIRED]" in result.output and "'who_can_see' is missing" in result.output


def test_item20_deploy_is_allowed_once_qa_yaml_states_github_pages_and_who() -> None:
    from ehqa.load.repository import load_settings
    from ehqa.rules.staff_settings import deploy_refusal

    settings = load_settings(ROOT / "tests" / "fixtures" / "service")
    assert deploy_refusal(settings) is not None
    from dataclasses import replace

    assert deploy_refusal(replace(settings, site_where="github-pages", site_who_can_see="organisation")) is None


def test_item20_adoption_steps_say_what_to_choose() -> None:
    steps = " ".join((ROOT / "docs" / "adopting.md").read_text(encoding="utf-8").split())
    for said in (
        "where: github-pages",
        "who_can_see: organisation",
        "GitHub Enterprise Cloud",
        "a Pages site is public on the internet",
        "who_can_see: anyone",
        "where: elsewhere",
        "where: nowhere",
        "ehqa build --deploy",
    ):
        assert said in steps, said
    assert "publication.site" in (ROOT / "docs" / "reference" / "fields.md").read_text(encoding="utf-8")
