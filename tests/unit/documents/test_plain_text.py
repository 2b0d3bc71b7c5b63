"""The plain-text part of the notices' messages (issue 12 item 8): Markdown read as text."""

from __future__ import annotations

from ehqa.documents.plain_text import plain_text


def test_plain_text_turns_the_notices_markdown_into_text() -> None:
    markdown = (
        "# QA audit allocation — cycle 2026-11\n\n"
        "**Theme:** Young carers\n\n"
        "## With Fiona Green\n\n"
        "- Your audit: `audits/2026-11/9183570.yaml`\n"
        "- *In your own words?* An answer\n"
        "- Form: [https://qa.example/forms/worker.html](https://qa.example/forms/worker.html)\n"
        "- See [the handbook](https://qa.example/)\n\n"
        "```yaml\ncase: \"9183570\"\nanswers:\n  worker-view: \"\"\n```\n"
    )
    assert plain_text(markdown) == (
        "QA audit allocation — cycle 2026-11\n"
        "===================================\n\n"
        "Theme: Young carers\n\n"
        "With Fiona Green\n"
        "----------------\n\n"
        "- Your audit: audits/2026-11/9183570.yaml\n"
        "- In your own words? An answer\n"
        "- Form: https://qa.example/forms/worker.html\n"
        "- See the handbook <https://qa.example/>\n\n"
        "    case: \"9183570\"\n"
        "    answers:\n"
        "      worker-view: \"\"\n"
    )


def test_plain_text_leaves_a_lone_asterisk_and_arithmetic_alone() -> None:
    assert plain_text("2 * 3 is 6; a * b\n") == "2 * 3 is 6; a * b\n"
