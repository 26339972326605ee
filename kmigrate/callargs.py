"""Editing call arguments while keeping the user's formatting.

Rules rewrite keyword-exactly: positional arguments are bound to the legacy signature and
turned into keywords *before* anything is renamed, because positional meaning changed
(``Conv2D(32, 3, 3)`` means strides 3 in tf.keras).  These helpers do the mechanics; the
rule tables say what to rename.
"""

from __future__ import annotations

import ast
from typing import Sequence

import libcst as cst

from kmigrate.nodes import code as code_of


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def keywords(call: cst.Call) -> dict[str, cst.Arg]:
    return {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}


def positionals(call: cst.Call) -> list[cst.Arg]:
    """Plain positional arguments, up to the first ``*args``/keyword."""
    found = []
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            break
        found.append(arg)
    return found


def argument(call: cst.Call, name: str, position: int) -> cst.BaseExpression | None:
    """The value passed for the parameter ``name`` at ``position``: by keyword, else the plain
    positional argument at that index (None when not passed, or hidden behind ``*args``)."""
    found = keyword(call, name)
    if found is not None:
        return found.value
    plain = positionals(call)
    return plain[position].value if 0 <= position < len(plain) else None


def has_star_args(call: cst.Call) -> bool:
    """``f(*args)``: which parameter a later positional binds to cannot be known."""
    return any(arg.star == "*" for arg in call.args)


def bind_positionals(call: cst.Call, names: Sequence[str], keep: int = 0) -> cst.Call:
    """Turn positional arguments after the first ``keep`` into keywords named by ``names``.

    ``names`` is the legacy signature's parameter order.  Calls with ``*args`` are returned
    unchanged (the caller should flag them: which parameter gets what is not knowable).
    """
    if has_star_args(call):
        return call
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None or arg.star:
            break
        if index < keep or index >= len(names):
            continue
        args[index] = arg.with_changes(
            keyword=cst.Name(names[index]),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
            ),
        )
    return call.with_changes(args=args)


def rename_keyword(call: cst.Call, old: str, new: str) -> cst.Call:
    args = [
        arg.with_changes(keyword=cst.Name(new))
        if arg.keyword is not None and arg.keyword.value == old
        else arg
        for arg in call.args
    ]
    return call.with_changes(args=args)


def replace_value(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    args = [
        arg.with_changes(value=value) if arg.keyword is not None and arg.keyword.value == name else arg
        for arg in call.args
    ]
    return call.with_changes(args=args)


def remove_keyword(call: cst.Call, name: str) -> cst.Call:
    args = [arg for arg in call.args if not (arg.keyword is not None and arg.keyword.value == name)]
    return call.with_changes(args=_fix_last_comma(args, call.args))


def remove_args(call: cst.Call, doomed: Sequence[cst.Arg]) -> cst.Call:
    ids = {id(arg) for arg in doomed}
    args = [arg for arg in call.args if id(arg) not in ids]
    return call.with_changes(args=_fix_last_comma(args, call.args))


def add_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """Append ``name=value``, matching the spacing of the call's existing arguments."""
    args = list(call.args)
    new = cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if args:
        last = args[-1]
        if isinstance(last.comma, cst.Comma):
            # A trailing comma (often one argument per line): keep the layout going.
            new = new.with_changes(comma=last.comma)
            args.append(new)
        else:
            args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            args.append(new)
    else:
        args.append(new)
    return call.with_changes(args=args)


def _fix_last_comma(args: list[cst.Arg], original: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Removing the last argument must not leave ``f(a, )`` unless the call had a trailing comma."""
    if not args or not original:
        return args
    had_trailing = isinstance(original[-1].comma, cst.Comma)
    if args[-1] is not original[-1] and not had_trailing:
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return args


def literal(node: cst.BaseExpression) -> object:
    """The Python value of a literal (numbers, strings, tuples, lists, dicts, None, bools).

    Raises ValueError for anything that is not a literal, so callers can fall back to a marker.
    """
    code = code_of(node)
    try:
        return ast.literal_eval(code.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ValueError(f"not a literal: {code}") from exc


def expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)
