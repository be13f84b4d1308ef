"""The user documentation stays true: its examples load and it explains every message."""

import re
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

from surveyapp.questionnaire import MESSAGES, load_text

DOC = Path(__file__).resolve().parents[3] / "docs" / "questionnaire-format.md"
SKELETON = """\
id: dok
title: Dokumentasjon
modes: [self]
scales:
  grad5:
    options:
      - {value: 1, label: Lite}
      - {value: 5, label: Mye}
    not_applicable: {value: 9, label: Ikke aktuelt}
  score0_10: {from: 0, to: 10}
pages:
  - id: side
    title: Side
    questions:
"""


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def as_file(block: str) -> str:
    if block.lstrip().startswith("- id:"):
        return SKELETON + textwrap.indent(block, "      ")
    return block


def test_the_document_has_examples_of_every_question_type():
    text = "\n".join(yaml_blocks())
    for question_type in (
        "single_choice",
        "multiple_choice",
        "yes_no",
        "scale",
        "matrix",
        "number",
        "short_text",
        "long_text",
        "info",
        "dps",
    ):
        assert f"type: {question_type}\n" in text


@pytest.mark.parametrize("number", range(len(yaml_blocks())))
def test_every_example_that_is_a_file_or_a_list_of_questions_loads(number):
    block = yaml_blocks()[number]
    if not block.lstrip().startswith(("id:", "#", "- id:")):
        pytest.skip("a fragment (scales), shown for its shape only")
    result = load_text(as_file(block), f"eksempel-{number}.yaml")
    assert [str(p) for p in result.problems] == []


def test_every_message_is_listed_with_what_to_do():
    text = DOC.read_text(encoding="utf-8").replace("\\\\", "\\").replace("\\|", "|")
    missing = [
        code
        for code, template in MESSAGES.items()
        if f"| {template % defaultdict(lambda: '…')} |" not in text
    ]
    assert missing == []
