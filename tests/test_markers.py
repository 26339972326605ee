"""Markers: where they go, that they are never doubled, and the opt-out comments."""

from __future__ import annotations

from kmigrate.markers import ignore_comments
from tests.helpers import run

HOMELESS = "from keras.wrappers.scikit_learn import KerasClassifier"
USE = "clf = KerasClassifier(build_fn=make)\n"


def test_single_line_statement_gets_an_inline_marker():
    output = run(HOMELESS + "\n" + USE).output
    assert output.startswith(HOMELESS + "  # kmigrate: KM110 ")


def test_statement_with_a_comment_gets_the_marker_above():
    output = run(HOMELESS + "  # for the grid search\n" + USE).output
    lines = output.splitlines()
    assert lines[0].startswith("# kmigrate: KM110")
    assert lines[1] == HOMELESS + "  # for the grid search"


def test_indented_statement_marker_keeps_indentation():
    output = run(f"def f():\n    {HOMELESS}  # note\n    return KerasClassifier\n").output
    assert "\n    # kmigrate: KM110" in output


def test_marker_is_not_added_twice():
    once = run(HOMELESS + "\n" + USE).output
    assert run(once).status.value == "unchanged"
    assert once.count("# kmigrate: KM110") == 1


def test_ignore_comment_parsing():
    found = ignore_comments("a\nb  # kmigrate: ignore\nc  # kmigrate: ignore[KM101, KM2]\n")
    assert found == {2: None, 3: frozenset({"KM101", "KM2"})}


def test_ignore_suppresses_the_marker_and_the_finding():
    result = run(HOMELESS + "  # kmigrate: ignore[KM110]\n" + USE)
    assert result.status.value == "unchanged"
    assert not result.findings
