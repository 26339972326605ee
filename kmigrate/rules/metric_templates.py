"""KM605: format templates that name renamed metrics follow the metric's tf.keras log key.

KM330 (training.py) renames ``monitor=`` values, history keys and ``{val_acc}`` in a
ModelCheckpoint path literal.  The same rename is needed where a template reaches the logs
dict by other routes: a ModelCheckpoint path held in a variable, and templates formatted
with ``**logs`` (or ``% logs``) inside a Keras callback's ``on_*`` methods.  Which spelling
the file's ``compile`` uses, and which legacy version is assumed, come from KM330's facts.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Literal

import libcst as cst

from kmigrate import callargs
from kmigrate.context import FileContext
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.training.facts import _UNKNOWN, _FileFacts, _Marker
from kmigrate.rules.training_table import (
    make_string,
    positional_count,
    string_value,
    version_note,
)

RULES = (
    Rule(
        id="KM605",
        name="metric-name-templates",
        summary=(
            "Templates formatted with the logs dict follow the metric's tf.keras name (`{val_acc}` -> "
            "`{val_accuracy}`)."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.callbacks import ModelCheckpoint\n"
            "\n"
            "model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
            "path = 'weights-{epoch:02d}-{val_acc:.2f}.hdf5'\n"
            "checkpoint = ModelCheckpoint(path, monitor='val_loss')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.callbacks import ModelCheckpoint\n"
            "\n"
            "model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
            "path = 'weights-{epoch:02d}-{val_accuracy:.2f}.hdf5'\n"
            "checkpoint = ModelCheckpoint(path, monitor='val_loss')"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "Keras <= 2.2 logged metrics=['accuracy'] as 'acc'; tf.keras logs the spelling given to compile, "
            "so '{val_acc}' raises KeyError when the template is formatted. Renamed when the file's compile "
            "calls show the spelling (as KM330 does), marked otherwise. Only templates that reach the logs "
            "dict are touched: a ModelCheckpoint path in a variable used nowhere else, and literals "
            "formatted with **logs or % logs in a Callback's on_* methods."
        ),
        catalog=("C-T10",),
        details=(
            "CSVLogger needs nothing: its file name is not a template, but the CSV columns it writes carry "
            "the new names (val_accuracy)."
        ),
    ),
)

_CHECKPOINT = "callbacks.ModelCheckpoint"
_PERCENT_KEY = re.compile(r"(?<!%)%\((\w+)\)")


@dataclass
class _Template:
    rule_node: cst.CSTNode  # where findings are reported
    percent: bool = False


class _Scan(cst.CSTVisitor):
    """Checkpoint paths held in variables: (name -> its one string literal, uses of the name)."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.literals: dict[str, list[cst.BaseExpression]] = {}
        self.loads: dict[str, int] = {}
        self.path_names: dict[str, cst.Call] = {}  # name -> the ModelCheckpoint call using it

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.literals.setdefault(target.target.value, []).append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.literals.setdefault(node.target.value, []).append(node.value)
            self.loads[node.target.value] = self.loads.get(node.target.value, 0) + 1

    def visit_Name(self, node: cst.Name) -> None:
        self.loads[node.value] = self.loads.get(node.value, 0) + 1

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):  # a store, not a load
            self.loads[node.target.value] = self.loads.get(node.target.value, 0) - 1

    def visit_Call(self, node: cst.Call) -> None:
        api = self.ctx.api(node.func)
        if api is None or api.path != _CHECKPOINT:
            return
        path = callargs.keyword(node, "filepath") or (node.args[0] if positional_count(node) else None)
        if path is not None and isinstance(path.value, cst.Name):
            self.path_names[path.value.value] = node

    def checkpoint_literals(self) -> dict[int, cst.Call]:
        """id(string literal) -> ModelCheckpoint call, for paths whose variable has no other use."""
        found = {}
        for name, call in self.path_names.items():
            values = self.literals.get(name, [])
            if len(values) == 1 and string_value(values[0]) is not None and self.loads.get(name, 0) == 1:
                found[id(values[0])] = call
        return found


@dataclass
class MetricTemplateFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)

    _facts: _FileFacts | None = None
    _scan: _Scan | None = None
    _logs: dict[int, str] = field(default_factory=dict)  # id(on_* method of a callback) -> its logs parameter
    _templates: dict[int, _Template] = field(default_factory=dict)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._facts = self.ctx.shared_scanner(_FileFacts)  # one scan for the families that read it
        self._scan = _Scan(self.ctx)
        return (self._facts, self._scan)

    def _ensure_scanned(self) -> None:
        if self._facts is None:  # used outside the pipeline
            self._facts = _FileFacts.scanned_alone(self.ctx)
            self._scan = _Scan(self.ctx)
            self.ctx.module.visit(self._scan)

    # -- where the logs dict is --------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._ensure_scanned()
        if self._scan is None:  # not reached: scanned just above
            return
        for key, call in self._scan.checkpoint_literals().items():
            self._templates[key] = _Template(call)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params.params
        if node.name.value.startswith("on_") and len(params) >= 2 and params[-1].name.value == "logs" \
                and self.ctx.in_class_deriving(lambda base: base.path.startswith("callbacks.")):  # fmt: skip
            self._logs[id(node)] = "logs"

    def _logs_name(self) -> str | None:
        """The logs parameter of the callback method the traversal is in (its innermost def)."""
        return self._logs.get(id(self.ctx.scopes.function)) if self._logs else None

    def visit_Call(self, node: cst.Call) -> None:
        logs = self._logs_name()
        func = node.func
        if logs is None or not isinstance(func, cst.Attribute) or func.attr.value != "format":
            return
        if any(a.star == "**" and isinstance(a.value, cst.Name) and a.value.value == logs for a in node.args):
            if string_value(func.value) is not None:
                self._templates[id(func.value)] = _Template(node)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        logs = self._logs_name()
        if logs is None or not isinstance(node.operator, cst.Modulo):
            return
        if isinstance(node.right, cst.Name) and node.right.value == logs and string_value(node.left) is not None:
            self._templates[id(node.left)] = _Template(node, percent=True)

    # -- the rewrite ---------------------------------------------------------------------------
    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.BaseExpression:
        return self._rewrite(original, updated)

    def leave_ConcatenatedString(self, original: cst.ConcatenatedString,
                                 updated: cst.ConcatenatedString) -> cst.BaseExpression:  # fmt: skip
        return self._rewrite(original, updated)

    def _rewrite(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        template = self._templates.pop(id(original), None)
        if template is None or not self.ctx.allows("KM605"):
            return updated
        value = string_value(updated)  # saving may have changed the extension already
        if value is None:
            return updated
        new = _renamed_percent(value, self._key) if template.percent else _renamed_format(value, self._key)
        if new is None:
            return updated
        text, unknown = new
        if unknown:
            self.ctx.flag("KM605", template.rule_node, f"'{unknown}' is logged as '{unknown.replace('acc', 'accuracy')}' "
                          "by tf.keras: rename it, or compile with metrics=['acc']")
            return updated
        if text == value:
            return updated
        self.ctx.fixed("KM605", template.rule_node, f"template keys follow tf.keras metric names{version_note(self.ctx)}")
        return make_string(text, updated)

    def _key(self, key: str) -> str | Literal[_Marker.UNKNOWN] | None:
        # The facts were scanned in visit_Module, before any template is left.
        return self._facts.metric_key(key) if self._facts is not None else None


# A legacy metric key -> its tf.keras key, None (unchanged) or _UNKNOWN (MetricTemplateFixer._key).
KeyFor = Callable[[str], "str | Literal[_Marker.UNKNOWN] | None"]


def _renamed_format(value: str, key_for: KeyFor) -> tuple[str, str] | None:
    """``value`` with renamed str.format field names, or (value, unknown key), or None."""
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError:
        return None
    out = []
    for literal, name, spec, conversion in parts:
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        word = re.match(r"\w*", name)  # always matches, if only the empty string
        root = word.group(0) if word is not None else ""
        new = key_for(root) if root and not root.isdigit() else None
        if new is _UNKNOWN:
            return value, root
        if new is not None:
            name = new + name[len(root):]
        out.append("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out), ""


def _renamed_percent(value: str, key_for: KeyFor) -> tuple[str, str] | None:
    """``value`` with renamed ``%(key)`` mapping keys, or (value, unknown key)."""
    for key in _PERCENT_KEY.findall(value):
        if key_for(key) is _UNKNOWN:
            return value, key

    def replace(match: re.Match[str]) -> str:
        new = key_for(match.group(1))
        return f"%({new})" if isinstance(new, str) else match.group(0)

    return _PERCENT_KEY.sub(replace, value), ""


FIXER = MetricTemplateFixer
