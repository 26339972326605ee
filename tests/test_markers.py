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


# -- short markers -------------------------------------------------------------------------

import re  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import libcst as cst  # noqa: E402
import libcst.matchers as m  # noqa: E402
import pytest  # noqa: E402

from kmigrate import markers, pipeline  # noqa: E402
from kmigrate.diagnostics import Status  # noqa: E402
from kmigrate.markers import MARKER_LIMIT, RECHECK, short_marker  # noqa: E402
from kmigrate.rules import all_rules  # noqa: E402
from kmigrate.rules.base import Fixer  # noqa: E402

_MARKER = re.compile(r"# kmigrate: (KM\d+) (.*)$")


def test_short_message_is_the_marker():
    assert short_marker("use layer.output.shape") == "use layer.output.shape"


def test_marker_keeps_the_first_clause():
    message = "use `keras.ops.sum` instead; " + "the legacy function also accepted a list of tensors " * 2
    assert short_marker(message) == "use `keras.ops.sum` instead"


def test_abbreviations_do_not_end_the_clause():
    message = "convert the weights once, e.g. with the legacy setup, and save them; " + "x" * 80
    assert short_marker(message) == "convert the weights once, e.g. with the legacy setup, and save them"


def test_marker_drops_asides_then_elides_call_arguments():
    message = ("`K.deconv2d` is gone: use `K.conv2d_transpose(x, kernel, output_shape, strides, "
               "padding=border_mode, data_format=...)` (kernel transposed)")
    assert short_marker(message) == "`K.deconv2d` is gone: use `K.conv2d_transpose(...)`"


def test_marker_is_never_cut_inside_a_word():
    message = " ".join(["word"] * 40)
    text = short_marker(message)
    assert len(text) <= MARKER_LIMIT and text.endswith(" ...")
    assert all(w == "word" for w in text[: -len(" ...")].split())


def test_marker_text_is_one_line():
    assert "\n" not in short_marker("do this\nand that")


def test_explicit_marker_is_used_and_message_reported():
    code = "from keras_contrib.layers import CRF\n"
    result = run(code)
    line = result.output.splitlines()[0]
    assert line.endswith("# kmigrate: KM918 upgrade, replace or vendor keras_contrib (it imports standalone keras)")
    (finding,) = [d for d in result.diagnostics if d.rule == "KM918"]
    assert "do not mix with tf.keras models" in finding.message  # the full explanation


def _example_outputs():
    for rule in all_rules():
        settings = {"select": (rule.id,)} if rule.opt_in else {}
        result = run(rule.before + "\n", **settings)  # the examples are complete programs
        if result.status is Status.CHANGED:
            yield rule.id, result.output


def test_every_documented_example_gets_short_markers(monkeypatch):
    """No marker written for a documented example is longer than the limit, and none
    needed the last resort (a cut text): each says what to do in full."""

    cut = []
    real_cut = markers._cut
    monkeypatch.setattr(markers, "_cut", lambda text, limit: cut.append(text) or real_cut(text, limit))
    long = []
    for rule_id, output in _example_outputs():
        for line in output.splitlines():
            found = _MARKER.search(line)
            if found and len(found.group(2)) > MARKER_LIMIT:
                long.append((rule_id, found.group(2)))
            assert RECHECK.strip() not in line
    assert not long
    assert not cut, "these findings need an explicit short marker (ctx.flag(..., marker=...)):\n" + "\n".join(cut)


# -- stale markers ---------------------------------------------------------------------------
# Three small fixers of three different families (they borrow rule ids of real families):
# one marks `old_api(...)`, one rewrites it to `new_api(...)` (optionally only once a name
# `ready` exists), one renames `not_ready` to `ready`.


@dataclass
class _Marks(Fixer):
    def leave_Call(self, original, updated):
        if m.matches(original.func, m.Name("old_api")):
            self.ctx.flag("KM919", original, "old_api cannot be rewritten: call new_api by hand")
        return updated


@dataclass
class _Rewrites(Fixer):
    function = "old_api"
    needs_ready = False

    def leave_Call(self, original, updated):
        if not m.matches(original.func, m.Name(self.function)):
            return updated
        if self.needs_ready and not m.findall(self.ctx.module, m.Name("ready")):
            return updated
        self.ctx.fixed("KM301", original, f"{self.function} -> new")
        return updated.with_changes(func=cst.Name("new_api" if self.function == "old_api" else "other2"))


@dataclass
class _RewritesOther(_Rewrites):
    function = "other"


@dataclass
class _RewritesWhenReady(_Rewrites):
    needs_ready = True


@dataclass
class _Renames(Fixer):
    def leave_Name(self, original, updated):
        if original.value == "not_ready":
            self.ctx.fixed("KM361", original, "not_ready -> ready")
            return updated.with_changes(value="ready")
        return updated


def _with_fixers(monkeypatch, *fixer_types):
    monkeypatch.setattr(pipeline, "enabled_fixers", lambda settings: fixer_types)
    monkeypatch.setattr(pipeline, "could_involve_keras", lambda data, settings: True)


def _settled(code):
    result = run(code)
    assert result.status is not Status.ERROR, result.error
    output = result.output if result.status is Status.CHANGED else code
    assert RECHECK.strip() not in output
    assert run(output).status is not Status.CHANGED  # a second run changes nothing
    return result, output


@pytest.mark.parametrize("order", ["marks first", "rewrites first"])
def test_marker_on_a_call_another_rule_rewrote_in_the_same_pass_goes(monkeypatch, order):
    fixers = (_Marks, _Rewrites) if order == "marks first" else (_Rewrites, _Marks)
    _with_fixers(monkeypatch, *fixers)
    result, output = _settled("y = old_api(1)\n")
    assert output == "y = new_api(1)\n"
    assert not [d for d in result.diagnostics if d.rule == "KM919"]


def test_marker_on_a_call_another_rule_rewrote_in_a_later_pass_goes(monkeypatch):
    _with_fixers(monkeypatch, _Marks, _RewritesWhenReady, _Renames)
    result, output = _settled("not_ready = 1\ny = old_api(1)\n")
    assert output == "ready = 1\ny = new_api(1)\n"
    assert not [d for d in result.diagnostics if d.rule == "KM919"]


def test_marker_stays_when_the_rewrite_left_its_construct(monkeypatch):
    _with_fixers(monkeypatch, _Marks, _RewritesOther)
    result, output = _settled("y = old_api(1) + other(2)\n")
    assert output == "y = old_api(1) + other2(2)  # kmigrate: KM919 old_api cannot be rewritten: call new_api by hand\n"
    assert [d.rule for d in result.diagnostics if not d.fixed] == ["KM919"]


def test_marker_stays_when_the_imports_changed_meaning_in_between():
    # KM613 reads legacy code only: once the imports are on tf.keras it cannot look again,
    # so the training family's rewrite of the same statement does not withdraw its marker.
    code = (
        "from keras.models import Sequential\nfrom keras.layers import Dense, BatchNormalization\n"
        "model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(), Dense(1)])\n"
        "model.fit_generator(gen, 10)\n"
    )
    result = run(code, from_version="2.1.6")
    assert "model.fit(gen, steps_per_epoch=10)  # kmigrate: KM613" in result.output
    assert RECHECK.strip() not in result.output


def test_rules_that_never_settle_are_an_internal_error(monkeypatch):
    @dataclass
    class PingPong(Fixer):
        def leave_Name(self, original, updated):
            swap = {"ping": "pong", "pong": "ping"}
            if original.value in swap:
                self.ctx.fixed("KM301", original, "swap")
                return updated.with_changes(value=swap[original.value])
            return updated

    _with_fixers(monkeypatch, PingPong)
    result = run("x = ping\n")
    assert result.status is Status.ERROR
    assert "internal error" in result.error and "settle" in result.error
    assert result.output is None


# -- a flag whose code another family's rewrite took away is stale at once ------------------

SESSION = (
    "import tensorflow as tf\n"
    "from keras import backend as K\n"
    "config = tf.ConfigProto()\n"
    "config.gpu_options.allow_growth = True\n"
    "K.tensorflow_backend.set_session(tf.Session(config=config))\n"
)


def test_km904_marker_on_a_session_the_backend_rewrote_away_goes():
    result = run(SESSION)
    assert "set_memory_growth" in result.output
    assert "KM904" not in result.output
    assert not any(d.rule == "KM904" for d in result.diagnostics)


def test_km904_marker_stays_when_its_own_code_stays():
    # A session that nothing rewrites keeps its marker and its finding.
    result = run("import tensorflow as tf\nfrom keras.models import Sequential\nsess = tf.Session()\n")
    assert "sess = tf.Session()  # kmigrate: KM904" in result.output
    assert any(d.rule == "KM904" for d in result.diagnostics)
