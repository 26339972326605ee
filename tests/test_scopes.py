"""``ctx.scopes``: the one stack of defs, classes and lambdas around the traversal, kept alike by
the rewriting pass and the shared scan pass, and the questions families ask it."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
import libcst.matchers as m

from kmigrate.context import FileContext
from kmigrate.rules.base import Fixer
from kmigrate.scopes import ScopeKind, ScopeStack, scan_alone
from kmigrate.settings import Settings
from kmigrate.transform import MigrationTransformer

CODE = textwrap.dedent(
    """
    from keras.callbacks import Callback

    here("module")

    class Logger(Callback):
        here("class body")

        def on_epoch_end(self, epoch, logs=None):
            here("method")
            report = lambda: here("lambda in method")

            def inner():
                class Local(object):
                    here("class in nested def")
                here("nested def")

    def top(x=here("default of top")):
        yield here("top-level generator")
    """
)


def _answers(ctx: FileContext, scopes: ScopeStack) -> dict[str, Any]:
    function = scopes.function
    current_class = scopes.current_class
    return {
        "kinds": tuple(frame.kind.value for frame in scopes.frames),
        "names": tuple(frame.name for frame in scopes.frames),
        "class": current_class.name.value if current_class is not None else None,
        "function": function.name.value if function is not None else None,
        "in_class": scopes.in_class,
        "in_function": scopes.in_function(),
        "in_function_or_lambda": scopes.in_function(lambdas=True),
        "at_module_level": scopes.at_module_level,
        "top_level": scopes.in_top_level_scope,
        "key_is_function": scopes.function_key == (id(function) if function is not None else 0),
        # A question of the context: about ctx.scopes only.
        "callback": ctx.in_class_deriving(lambda base: base.path == "callbacks.Callback")
        if scopes is ctx.scopes else None,
    }


def _label(node: cst.Call) -> str | None:
    if m.matches(node.func, m.Name("here")) and isinstance(node.args[0].value, cst.SimpleString):
        return str(node.args[0].value.evaluated_value)
    return None


class _ScanRecorder(cst.CSTVisitor):
    def __init__(self, ctx: FileContext, scopes: ScopeStack, seen: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.ctx, self.scopes, self.seen = ctx, scopes, seen

    def visit_Call(self, node: cst.Call) -> None:
        label = _label(node)
        if label is not None:
            self.seen[label] = _answers(self.ctx, self.scopes)


@dataclass
class _Recorder(Fixer):
    rewriting: dict[str, dict[str, Any]] = field(default_factory=dict)
    scanning: dict[str, dict[str, Any]] = field(default_factory=dict)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        return (_ScanRecorder(self.ctx, self.ctx.scopes, self.scanning),)

    def visit_Call(self, node: cst.Call) -> None:
        label = _label(node)
        if label is not None:
            self.rewriting[label] = _answers(self.ctx, self.ctx.scopes)


def _run() -> tuple[FileContext, _Recorder]:
    module = cst.parse_module(CODE)
    ctx = FileContext(module, CODE, Settings())
    transformer = MigrationTransformer(ctx, [_Recorder])
    transformer.scan(module)
    assert ctx.scopes.frames == ()  # the scan left every scope it entered
    module.visit(transformer)
    assert ctx.scopes.frames == ()
    recorder = transformer._fixers[0]
    assert isinstance(recorder, _Recorder)
    return ctx, recorder


def test_the_scan_pass_and_the_rewriting_pass_see_the_same_scopes() -> None:
    _, recorder = _run()
    assert set(recorder.rewriting) == {
        "module", "class body", "method", "lambda in method", "class in nested def", "nested def",
        "default of top", "top-level generator",
    }  # fmt: skip
    assert recorder.scanning == recorder.rewriting


def test_module_level() -> None:
    answers = _run()[1].rewriting["module"]
    assert answers["kinds"] == () and answers["at_module_level"] and not answers["top_level"]
    assert answers["class"] is None and answers["function"] is None and answers["key_is_function"]
    assert not (answers["in_class"] or answers["in_function"] or answers["callback"])


def test_a_class_body_and_its_method_are_in_the_class() -> None:
    found = _run()[1].rewriting
    body, method = found["class body"], found["method"]
    assert body["kinds"] == ("class",) and body["top_level"] and not body["at_module_level"]
    assert body["class"] == "Logger" and body["callback"] and body["function"] is None
    assert method["names"] == ("Logger", "on_epoch_end")
    assert method["class"] == "Logger" and method["function"] == "on_epoch_end" and method["callback"]


def test_a_lambda_counts_only_when_asked() -> None:
    answers = _run()[1].rewriting["lambda in method"]
    assert answers["kinds"] == ("class", "function", "lambda")
    assert answers["function"] == "on_epoch_end"  # the def around the lambda
    assert answers["in_function"] and answers["in_function_or_lambda"]


def test_the_innermost_class_wins_however_deep() -> None:
    found = _run()[1].rewriting
    local = found["class in nested def"]
    assert local["names"] == ("Logger", "on_epoch_end", "inner", "Local")
    assert local["class"] == "Local" and not local["callback"]  # Local(object) is no callback
    assert local["function"] == "inner"
    nested = found["nested def"]
    assert nested["class"] == "Logger" and nested["callback"] and nested["function"] == "inner"


def test_a_defs_own_frame_covers_its_header() -> None:
    found = _run()[1].rewriting
    assert found["default of top"]["names"] == ("top",)  # pushed before any hook of the def runs
    generator = found["top-level generator"]
    assert generator["top_level"] and generator["function"] == "top" and not generator["at_module_level"]


def test_scan_alone_keeps_a_fresh_stack_like_the_shared_scan() -> None:
    ctx, recorder = _run()
    alone: dict[str, dict[str, Any]] = {}
    scopes = ScopeStack()
    ctx.scopes.enter(cst.parse_statement("def somewhere(): pass"))  # wherever the traversal is
    scan_alone(ctx.module, _ScanRecorder(ctx, scopes, alone), scopes)
    assert {label: answers | {"callback": None} for label, answers in recorder.rewriting.items()} == alone
    assert scopes.frames == ()


def test_leaving_a_node_that_is_not_the_innermost_scope_changes_nothing() -> None:
    scopes = ScopeStack()
    outer = cst.parse_statement("class A:\n    pass\n")
    scopes.enter(outer)
    scopes.enter(cst.Name("x"))  # not a scope: ignored
    scopes.leave(cst.parse_statement("def f(): pass"))
    assert [frame.kind for frame in scopes.frames] == [ScopeKind.CLASS]
    scopes.leave(outer)
    assert scopes.frames == ()
