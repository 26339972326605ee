"""`kmigrate rules KMxxx` leads to the one file that implements the rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kmigrate.reporting import explain
from kmigrate.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("rule_id", [rule.id for rule in all_rules()])
def test_every_rule_names_the_file_that_implements_it(rule_id):
    text = explain(rule_id)
    assert text is not None
    found = re.search(r"^Implemented in: (\S+)$", text, re.MULTILINE)
    assert found, text
    path = ROOT / found.group(1)
    assert path.is_file() and path.suffix == ".py" and path.parts[-2] != "tests", path
