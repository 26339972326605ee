"""In-place markers for what cannot be rewritten safely, and per-line opt-outs.

A marker is a comment that starts with ``# kmigrate: KMxxx`` and says what to do in at most
``MARKER_LIMIT`` characters; the full explanation is the finding's message in the report and
``kmigrate rules KMxxx``.  A fixer may give the short text itself (``ctx.flag(..., marker=)``);
otherwise ``short_marker`` derives it from the message (see there).  It goes at the end of
the statement's line when the statement is one line without a comment, and on its own line
just above the statement otherwise.  A marker already present for the same rule is never
added twice, so a second run leaves the file as it is.

A marker on a statement that a rule of another family rewrote in the same pass may no longer
apply: it is tagged, and the next pass keeps it only when its rule flags the rewritten
statement again (``MarkerBook``).  The tag never reaches a written file.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

import libcst as cst

from kmigrate.nodes import code

MARKER_PREFIX = "# kmigrate: "
_IGNORE = re.compile(r"#\s*kmigrate:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?")


def ignore_comments(source: str) -> dict[int, frozenset[str] | None]:
    """Lines carrying ``# kmigrate: ignore[...]``: the codes they name, or None for all."""
    found: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        match = _IGNORE.search(line)
        if match:
            codes = match.group("codes")
            found[number] = (
                frozenset(c.strip() for c in codes.split(",") if c.strip())
                if codes is not None
                else None
            )
    return found


def marker_text(rule_id: str, message: str) -> str:
    return f"{MARKER_PREFIX}{rule_id} {short_marker(message)}".rstrip()


# -- short marker text ---------------------------------------------------------------------

MARKER_LIMIT = 80  # characters after "# kmigrate: KMxxx "
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.")


def short_marker(message: str, limit: int = MARKER_LIMIT) -> str:
    """The marker text for a finding's message: the message itself when it fits, else the
    first of these that fits, each step applied to the result of the previous one:

    1. the first clause (up to the first ``; `` or end of sentence outside code and brackets);
    2. without parenthetical asides (`` (because ...)``; a call's own parentheses stay);
    3. calls with their arguments elided (```K.conv2d(x, kernel, ...)``` -> ```K.conv2d(...)```);
    4. only what follows the first ``problem: `` (the instruction);
    5. without trailing alternatives (``, or ...``, `` but ...``) as far as needed;
    6. cut at the last word boundary that fits, ending in `` ...`` (never inside a word).

    Messages are written "what is wrong: what to do; details", so steps 1-4 keep what to do.
    """
    text = " ".join(message.split())
    for step in (_first_clause, _without_asides, _elide_arguments, _instruction):
        if len(text) <= limit:
            return text
        text = step(text)
    if len(text) <= limit:
        return text
    return _without_alternatives(text, limit) or _cut(text, limit)


def _top_level(text: str) -> list[bool]:
    """For each character: is it outside `code` spans and brackets?"""
    flags, depth, code = [], 0, False
    for ch in text:
        if ch == "`":
            code = not code
            flags.append(False)
            continue
        if not code and ch in "([{":
            flags.append(depth == 0)
            depth += 1
            continue
        if not code and ch in ")]}":
            depth = max(0, depth - 1)
        flags.append(depth == 0 and not code)
    return flags


def _first_clause(text: str) -> str:
    top = _top_level(text)
    for i, ch in enumerate(text[:-1]):
        if not top[i] or text[i + 1] != " ":
            continue
        if ch == ";":
            return text[:i]
        if ch == "." and not text[: i + 1].endswith(_ABBREVIATIONS):
            return text[:i]
    return text


def _groups(text: str, opening: Callable[[str, int], bool], inside_code: bool) -> list[tuple[int, int]]:
    """(start, end) of outermost bracket groups whose opening bracket satisfies ``opening``."""
    found, depth, start, code = [], 0, 0, False
    for i, ch in enumerate(text):
        if ch == "`":
            code = not code
        elif code and not inside_code:
            continue
        elif ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and opening(text, start):
                found.append((start, i + 1))
    return found


def _without_asides(text: str) -> str:
    groups = _groups(text, lambda t, i: i > 0 and t[i - 1] == " ", inside_code=False)
    for start, end in reversed(groups):
        if end == len(text) or not text[end].isalnum():  # `(tf.)function` is not an aside
            text = text[: start - 1] + text[end:]
    return text


def _elide_arguments(text: str) -> str:
    groups = _groups(text, lambda t, i: i > 0 and (t[i - 1].isalnum() or t[i - 1] in "_."), inside_code=True)
    for start, end in reversed(groups):
        if end - start > 5:
            text = text[: start + 1] + "..." + text[end - 1 :]
    return text


def _instruction(text: str) -> str:
    top = _top_level(text)
    for i, ch in enumerate(text[:-1]):
        if ch == ":" and top[i] and text[i + 1] == " " and len(text) - i > 12:
            return text[i + 2 :]
    return text


def _without_alternatives(text: str, limit: int) -> str | None:
    top = _top_level(text)
    ends = [
        i for i in range(len(text))
        if top[i] and any(text.startswith(joint, i) for joint in (", or ", " or ", " but ", ", and "))
    ]
    fitting = [i for i in ends if 30 <= i <= limit]
    return text[: fitting[-1]].rstrip(",;: ") if fitting else None


def _cut(text: str, limit: int) -> str:
    top = _top_level(text)
    spaces = [i for i, ch in enumerate(text[: limit - 3]) if ch == " " and top[i]]
    return (text[: spaces[-1]] if spaces else text[: limit - 4].rstrip()) + " ..."


def _comments_near(statement: cst.CSTNode) -> list[str]:
    comments: list[str] = []
    leading = getattr(statement, "leading_lines", ())
    # Only the comment block directly above belongs to this statement.
    for line in reversed(leading):
        if line.comment is None:
            break
        comments.append(line.comment.value)
    trailing = _trailing(statement)
    if trailing is not None and trailing.comment is not None:
        comments.append(trailing.comment.value)
    return comments


def has_marker(statement: cst.CSTNode, rule_id: str) -> bool:
    needle = f"{MARKER_PREFIX}{rule_id}"
    return any(
        needle == c[: len(needle)] and c[len(needle) : len(needle) + 1] in ("", " ")
        for c in _comments_near(statement)
    )


def _trailing(statement: cst.CSTNode) -> cst.TrailingWhitespace | None:
    if isinstance(statement, cst.SimpleStatementLine):
        return statement.trailing_whitespace
    body = getattr(statement, "body", None)
    if isinstance(body, cst.IndentedBlock):
        return body.header
    return None


def _with_trailing(statement: cst.CSTNode, trailing: cst.TrailingWhitespace) -> cst.CSTNode:
    if isinstance(statement, cst.SimpleStatementLine):
        return statement.with_changes(trailing_whitespace=trailing)
    body = getattr(statement, "body", None)
    if isinstance(body, cst.IndentedBlock):  # as _trailing found it
        return statement.with_changes(body=body.with_changes(header=trailing))
    return statement


def add_markers(
    statement: cst.CSTNode, markers: list[tuple[str, str]], module: cst.Module
) -> cst.CSTNode:
    """Return ``statement`` carrying a marker for each (rule id, message) it lacks."""
    missing = []
    for rule_id, message in markers:
        if not has_marker(statement, rule_id) and (rule_id, message) not in missing:
            missing.append((rule_id, message))
    if not missing:
        return statement
    trailing = _trailing(statement)
    if len(missing) == 1 and trailing is not None and trailing.comment is None:
        if _header_is_one_line(statement, module):
            comment = cst.Comment(marker_text(*missing[0]))
            return _with_trailing(
                statement,
                trailing.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment),
            )
    if not hasattr(statement, "leading_lines"):
        return statement
    above = [
        cst.EmptyLine(indent=True, whitespace=cst.SimpleWhitespace(""), comment=cst.Comment(marker_text(r, m)))
        for r, m in missing
    ]
    return statement.with_changes(leading_lines=[*statement.leading_lines, *above])


def _header_is_one_line(statement: cst.CSTNode, module: cst.Module) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        code = module.code_for_node(statement.with_changes(leading_lines=()))
    else:
        # A compound statement: its header is everything before the body.
        body = getattr(statement, "body", None)
        if not isinstance(body, cst.IndentedBlock):  # _trailing found none: never asked
            return False
        stripped = statement.with_changes(
            leading_lines=(), body=body.with_changes(body=(), header=cst.TrailingWhitespace())
        )
        if hasattr(statement, "decorators"):
            stripped = stripped.with_changes(decorators=())
        try:
            code = module.code_for_node(stripped)
        except Exception:  # an empty body does not always render; be conservative
            return False
    return code.rstrip("\r\n").count("\n") == 0


# -- markers that another rule's rewrite may have made stale --------------------------------

# Appended to a marker comment between two passes of one run; `settle` removes it.
RECHECK = "  #kmigrate-recheck"
_MARKER_RULE = re.compile(r"# kmigrate: (KM\d+)\b")


def _marker_rule(comment: str) -> str | None:
    match = _MARKER_RULE.match(comment)
    return match.group(1) if match else None


def _edit_markers(statement: cst.CSTNode, edit: Callable[[str, str], str | None]) -> cst.CSTNode:
    """Apply ``edit(rule, comment) -> new comment or None (remove)`` to the markers near
    ``statement`` (the comment block directly above it and its trailing comment)."""
    changes: dict[str, object] = {}
    leading = list(getattr(statement, "leading_lines", ()))
    index = len(leading)
    while index and leading[index - 1].comment is not None:
        index -= 1
    kept = leading[:index]
    for line in leading[index:]:
        rule = _marker_rule(line.comment.value)
        new = line.comment.value if rule is None else edit(rule, line.comment.value)
        if new is not None:
            kept.append(line if new == line.comment.value else line.with_changes(comment=cst.Comment(new)))
    if len(kept) != len(leading) or any(a is not b for a, b in zip(kept, leading)):
        changes["leading_lines"] = kept
    result = statement.with_changes(**changes) if changes else statement
    trailing = _trailing(result)
    if trailing is not None and trailing.comment is not None:
        rule = _marker_rule(trailing.comment.value)
        new = trailing.comment.value if rule is None else edit(rule, trailing.comment.value)
        if new is None:
            result = _with_trailing(result, trailing.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None))
        elif new != trailing.comment.value:
            result = _with_trailing(result, trailing.with_changes(comment=cst.Comment(new)))
    return result


def marker_rules(statement: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    def collect(rule: str, comment: str) -> str:
        found.add(rule)
        return comment

    _edit_markers(statement, collect)
    return found


def tag_for_recheck(statement: cst.CSTNode, rules: set[str]) -> cst.CSTNode:
    return _edit_markers(
        statement,
        lambda rule, comment: comment + RECHECK if rule in rules and not comment.endswith(RECHECK) else comment,
    )


def tagged_rules(statement: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    def collect_tagged(rule: str, comment: str) -> str:
        if comment.endswith(RECHECK):
            found.add(rule)
        return comment

    _edit_markers(statement, collect_tagged)
    return found


def settle(statement: cst.CSTNode, keep: set[str]) -> tuple[cst.CSTNode, list[tuple[str, str]]]:
    """Untag the tagged markers of rules in ``keep`` and remove the other tagged markers;
    returns the statement and the removed (rule, marker text) pairs."""
    removed: list[tuple[str, str]] = []

    def edit(rule: str, comment: str) -> str | None:
        if not comment.endswith(RECHECK):
            return comment
        if rule in keep:
            return comment[: -len(RECHECK)]
        removed.append((rule, comment[len(MARKER_PREFIX) + len(rule) + 1 : -len(RECHECK)]))
        return None

    return _edit_markers(statement, edit), removed


class MarkerBook:
    """One pass's markers, statement by statement.

    Fixers' findings (``flagged``) become markers when the traversal leaves their statement
    (``leave``).  When a rule flagged a statement that a rule of another family rewrote in the
    same pass (``rewrote``), the marker is tagged; the next pass keeps it only if its rule
    flags the rewritten statement again.  That comparison is a fair test only when the names
    of the file meant the same in both passes (``trust_rechecks``): a rule that reads only
    legacy code cannot see the code again once its imports moved to tf.keras, so after an
    import rewrite tagged markers simply stay.
    """

    def __init__(self, source: str, enabled: Callable[[str], bool], families: Mapping[str, str] | None = None) -> None:
        self._enabled = enabled
        self._families = families or {}  # rule id -> the fixer family that emits it
        self._tags = RECHECK.strip() in source  # a previous pass of this run tagged markers
        self.trust_rechecks = True  # set by the pipeline: same name bindings as the last pass
        self._flags: dict[int, list[tuple[str, str]]] = {}
        self._rewritten: dict[int, set[str]] = {}
        self.messages: dict[tuple[str, str], str] = {}  # (rule, marker text) -> message
        self.withdrawn: list[tuple[str, str]] = []  # (rule, marker text) found stale
        # What each flag was about, as code (`tf.Session` for a call of it): see ``leave``.
        self._witnesses: dict[tuple[int, str, str], str] = {}

    def flagged(
        self, statement: cst.CSTNode, rule_id: str, message: str, marker: str | None, node: cst.CSTNode | None = None
    ) -> None:
        text = short_marker(marker or message)
        self._flags.setdefault(id(statement), []).append((rule_id, text))
        self.messages.setdefault((rule_id, text), message)
        if node is not None:
            self._witnesses[(id(statement), rule_id, text)] = _witness(node)

    def rewrote(self, statement: cst.CSTNode | None, rule_id: str) -> None:
        if statement is not None:
            self._rewritten.setdefault(id(statement), set()).add(self._family(rule_id))

    def leave(self, original: cst.CSTNode, updated: cst.CSTNode, module: cst.Module) -> cst.CSTNode:
        flags = self._flags.pop(id(original), [])
        rewriters = self._rewritten.pop(id(original), set())
        if not flags and not self._tags:
            return updated
        # What each flag was about, taken whether or not it is needed: no entry outlives its statement.
        witnesses = {(rule, text): self._witnesses.pop((id(original), rule, text), None) for rule, text in flags}
        if flags and rewriters and type(updated) is not type(original):
            flags = self._still_there(updated, flags, witnesses, rewriters)
        node = add_markers(updated, flags, module) if flags else updated
        flagged = {rule for rule, _ in flags}
        tagged = tagged_rules(node) if self._tags else set()
        if tagged:
            keep = {r for r in tagged if r in flagged or not self.trust_rechecks}
            node, removed = settle(node, keep)
            self.withdrawn += removed
        disputed = {rule for rule in flagged if rewriters - {self._family(rule)} and self._enabled(rule)}
        if disputed:
            node = tag_for_recheck(node, disputed)
        return node

    def _still_there(
        self, updated: cst.CSTNode, flags: list[tuple[str, str]], witnesses: Mapping[tuple[str, str], str | None],
        rewriters: set[str],
    ) -> list[tuple[str, str]]:
        """A statement another family replaced by another kind of statement: flags whose code
        is gone with it are stale at once (`set_session(tf.Session(config))` became a
        set_memory_growth loop, and a marker about `tf.Session` would sit above code without
        it). A statement edited in place (`fit_generator` -> `fit`) keeps its flags: what they
        are about (the model trained there) is still there."""
        kept = []
        new_code: str | None = None
        for rule, text in flags:
            witness = witnesses.get((rule, text))
            if witness is not None and rewriters - {self._family(rule)}:
                if new_code is None:
                    new_code = code(updated)
                if witness not in new_code:
                    self.withdrawn.append((rule, text))
                    continue
            kept.append((rule, text))
        return kept

    def _family(self, rule_id: str) -> str:
        """The rule family (fixer) that emits ``rule_id``."""
        return self._families.get(rule_id, rule_id)


def _witness(node: cst.CSTNode) -> str:
    """The code that must still be in its statement for a flag on ``node`` to make sense: a
    call's callee (its arguments may be rewritten without settling the finding), else the node."""
    return code(node.func) if isinstance(node, cst.Call) else code(node)
