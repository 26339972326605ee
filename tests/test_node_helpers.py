"""The node helpers every family shares: one ``code``, one ``argument``, one ``is_layer_subclass``."""

from __future__ import annotations

import libcst as cst
import pytest

from kmigrate.callargs import argument
from kmigrate.context import FileContext
from kmigrate.nodes import code
from kmigrate.rules.base import is_layer_subclass
from kmigrate.settings import Settings


def _call(text: str) -> cst.Call:
    node = cst.parse_expression(text)
    assert isinstance(node, cst.Call)
    return node


def test_code_writes_a_node_back_as_source() -> None:
    assert code(cst.parse_expression("f( a ,b=1 )")) == "f( a ,b=1 )"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("f(1, 2)", "2"),  # positional
        ("f(1, path=3)", "3"),  # keyword
        ("f(1)", None),  # not passed
        ("f(*args)", None),  # behind *args: unknowable
        ("f(1, *args)", None),
    ],
)
def test_argument_by_keyword_or_position(text: str, expected: str | None) -> None:
    found = argument(_call(text), "path", 1)
    assert (code(found) if found is not None else None) == expected


def test_argument_at_a_negative_position_is_never_a_positional() -> None:
    # A method's first parameter (self) has no argument at the call: position -1.
    assert argument(_call("f(1, 2)"), "x", -1) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from keras.engine.topology import Layer\nclass A(Layer): pass\n", True),
        ("from keras.layers import Layer\nclass A(Layer): pass\n", True),
        ("import tensorflow as tf\nclass A(tf.keras.layers.Layer): pass\n", True),
        ("from keras.layers import Dense\nclass A(Dense): pass\n", False),  # a layer, not Layer itself
        ("class Layer: pass\nclass A(Layer): pass\n", False),  # the file's own Layer
    ],
)
def test_is_layer_subclass_however_layer_is_spelled(source: str, expected: bool) -> None:
    module = cst.parse_module(source)
    ctx = FileContext(module, source, Settings())
    classdef = module.body[-1]
    assert isinstance(classdef, cst.ClassDef)
    assert is_layer_subclass(ctx, classdef) is expected
