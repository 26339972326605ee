"""KM36x callbacks (catalog C-CB02..C-CB08; ModelCheckpoint paths, C-CB01, live in saving.py
with the other artefact paths so that writers and readers change together)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rule_types import CONTEXT, FLAG, SAFE
from kmigrate.rules.base import Fixer, Rule
from kmigrate.walk import find_all
from kmigrate.rules.training_table import (
    has_single_star,
    number_value,
    pick,
    positional_count,
    string_value,
)

RULES = (
    Rule(
        id="KM362",
        name="modelcheckpoint-period",
        summary="ModelCheckpoint `period=` is gone.",
        before=(
            "from keras.callbacks import ModelCheckpoint\n"
            "\n"
            "checkpoint = ModelCheckpoint('model.{epoch:02d}.h5', period=1)"
        ),
        after=(
            "from tensorflow.keras.callbacks import ModelCheckpoint\n"
            "\n"
            "checkpoint = ModelCheckpoint('model.{epoch:02d}.h5')"
        ),
        safety=CONTEXT,
        safety_note=(
            "period=1 was the default (save every epoch, like save_freq='epoch'); other periods need "
            "save_freq=N * steps_per_epoch and are marked."
        ),
        catalog=("C-CB02",),
        tf_keras=False,
    ),
    Rule(
        id="KM363",
        name="tensorboard-args",
        summary="TensorBoard arguments Keras 3 rejects are dropped.",
        before=(
            "from keras.callbacks import TensorBoard\n"
            "\n"
            "board = TensorBoard(log_dir='./logs', histogram_freq=1, batch_size=32, write_grads=True)"
        ),
        after=(
            "from tensorflow.keras.callbacks import TensorBoard\n"
            "\n"
            "board = TensorBoard(log_dir='./logs', histogram_freq=1)"
        ),
        safety=SAFE,
        safety_note=(
            "batch_size, write_grads, embeddings_layer_names and embeddings_data raise TypeError on Keras 3; "
            "positionals are bound first (Keras 2's third was batch_size, Keras 3's is write_graph). Logs "
            "only, no effect on training."
        ),
        catalog=("C-CB03",),
        tf_keras=False,
    ),
    Rule(
        id="KM364",
        name="progbarlogger-args",
        summary="ProgbarLogger takes no arguments in Keras 3.",
        before=(
            "from keras.callbacks import ProgbarLogger\n"
            "\n"
            "progress = ProgbarLogger(count_mode='steps')"
        ),
        after=(
            "from tensorflow.keras.callbacks import ProgbarLogger\n"
            "\n"
            "progress = ProgbarLogger()"
        ),
        safety=SAFE,
        safety_note="Display only.",
        catalog=("C-CB04",),
        tf_keras=False,
    ),
    Rule(
        id="KM365",
        name="baselogger",
        summary="`BaseLogger()` in a callbacks list is removed.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.callbacks import BaseLogger, EarlyStopping\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(x, y, epochs=5, callbacks=[BaseLogger(), EarlyStopping(monitor='loss')])"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.callbacks import EarlyStopping\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(x, y, epochs=5, callbacks=[EarlyStopping(monitor='loss')])"
        ),
        safety=SAFE,
        safety_note="Metric averaging is built into Keras 3; BaseLogger does not exist.",
        catalog=("C-CB05",),
        tf_keras=False,
    ),
    Rule(
        id="KM366",
        name="reducelronplateau-epsilon",
        summary="ReduceLROnPlateau `epsilon=` becomes `min_delta=`.",
        before=(
            "from keras.callbacks import ReduceLROnPlateau\n"
            "\n"
            "reduce_lr = ReduceLROnPlateau(monitor='val_loss', epsilon=1e-4)"
        ),
        after=(
            "from tensorflow.keras.callbacks import ReduceLROnPlateau\n"
            "\n"
            "reduce_lr = ReduceLROnPlateau(monitor='val_loss', min_delta=1e-4)"
        ),
        safety=SAFE,
        safety_note="Renamed in Keras 2.1.6; same meaning.",
        catalog=("C-CB06",),
    ),
    Rule(
        id="KM367",
        name="callback-validation-data",
        summary="`self.validation_data` is gone from callbacks.",
        before=(
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Validate(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        x_val, y_val = self.validation_data[0], self.validation_data[1]\n"
            "        print(self.model.evaluate(x_val, y_val))"
        ),
        after="pass the validation data to the callback's constructor",
        safety=FLAG,
        safety_note=(
            "AttributeError on Keras 3 (always None in tf_keras). A callback that sets "
            "`self.validation_data` itself (from its constructor) is not marked: Keras 3 keeps that value. "
            "Legacy fit() overwrote it with fit's own validation list [x, y, sample_weights], which holds "
            "the same arrays when both were given the same data (the usual case)."
        ),
        catalog=("C-CB07",),
    ),
    Rule(
        id="KM368",
        name="callback-params-keys",
        summary="Callback `params` only has 'verbose', 'epochs' and 'steps'.",
        before=(
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Count(Callback):\n"
            "    def on_train_begin(self, logs=None):\n"
            "        print(self.params['samples'])"
        ),
        after="self.params['steps']  # batches, not samples",
        safety=FLAG,
        safety_note="The other keys were removed in TF 2.x tf.keras.",
        catalog=("C-CB08",),
    ),
)

_TENSORBOARD = (
    ((2, 0), ("log_dir", "histogram_freq", "batch_size", "write_graph", "write_grads", "write_images",
              "embeddings_freq", "embeddings_layer_names", "embeddings_metadata", "embeddings_data",
              "update_freq")),
    ((0,), ("log_dir", "histogram_freq", "write_graph", "write_images", "embeddings_freq",
            "embeddings_layer_names", "embeddings_metadata")),
)  # fmt: skip
_TENSORBOARD_GONE = ("batch_size", "write_grads", "embeddings_layer_names", "embeddings_data")
_CHECKPOINT = ("filepath", "monitor", "verbose", "save_best_only", "save_weights_only", "mode", "period")
_GONE_PARAMS = {"samples", "batch_size", "metrics", "do_validation", "nb_sample", "nb_epoch"}


@dataclass
class CallbackFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({"callbacks.BaseLogger"})

    _listed: set[int] = field(default_factory=set)  # BaseLogger() calls inside list displays
    # per class being traversed: it sets self.validation_data itself (its own (x_val, y_val))
    _own_validation_data: list[bool] = field(default_factory=list)
    _validation_statements: set[int] = field(default_factory=set)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._own_validation_data.append(any(
            _is_self_validation_data(target.target)
            for target in find_all(node.body, cst.AssignTarget)
        ))

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self._own_validation_data.pop()
        return updated

    def visit_List(self, node: cst.List) -> None:
        for element in node.elements:
            if isinstance(element.value, cst.Call):
                self._listed.add(id(element.value))

    def _in_callback(self) -> bool:
        return self.ctx.in_class_deriving(lambda base: base.path == "callbacks.Callback")

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if (
            _is_self_validation_data(original) and self._in_callback() and self.ctx.allows("KM367")
            and not (self._own_validation_data and self._own_validation_data[-1])
            and id(self.ctx.current_statement) not in self._validation_statements  # one finding per marker
        ):
            self._validation_statements.add(id(self.ctx.current_statement))
            self.ctx.flag("KM367", original, "callbacks no longer get self.validation_data: pass (x_val, "
                          "y_val) to the callback's __init__ and use that",
                          marker="give the callback (x_val, y_val) in __init__: Keras 3 sets no validation_data")
        return updated

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        value = original.value
        if (
            isinstance(value, cst.Attribute) and value.attr.value == "params"
            and isinstance(value.value, cst.Name) and value.value.value == "self" and self._in_callback()
            and len(original.slice) == 1 and isinstance(original.slice[0].slice, cst.Index)
        ):
            key = string_value(original.slice[0].slice.value)
            if key in _GONE_PARAMS and self.ctx.allows("KM368"):
                self.ctx.flag("KM368", original, f"self.params['{key}'] is gone: only 'verbose', 'epochs' "
                              "and 'steps' (batches per epoch) remain; pass other values to the callback")
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None or not api.path.startswith("callbacks."):
            return updated
        if has_single_star(updated):
            return updated
        leaf = api.leaf
        if leaf == "BaseLogger" and id(original) not in self._listed and self.ctx.allows("KM365"):
            self.ctx.flag("KM365", original, "BaseLogger is gone (Keras 3 averages metrics itself): "
                          "remove it from the callbacks")
            return updated
        if leaf == "ModelCheckpoint":
            return self._checkpoint(original, updated)
        if leaf == "TensorBoard":
            return self._tensorboard(original, updated)
        if leaf == "ProgbarLogger" and updated.args and self.ctx.allows("KM364"):
            self.ctx.fixed("KM364", original, "ProgbarLogger arguments dropped (Keras 3 takes none)")
            return updated.with_changes(args=[])
        if leaf == "ReduceLROnPlateau" and callargs.keyword(updated, "epsilon") is not None:
            if self.ctx.allows("KM366") and callargs.keyword(updated, "min_delta") is None:
                self.ctx.fixed("KM366", original, "`epsilon=` -> `min_delta=`")
                return callargs.rename_keyword(updated, "epsilon", "min_delta")
        return updated

    def _checkpoint(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if positional_count(call) > 6 and self.ctx.allows("KM362"):
            call = callargs.bind_positionals(call, _CHECKPOINT, keep=6)
        period = callargs.keyword(call, "period")
        if period is None or not self.ctx.allows("KM362"):
            return call
        if number_value(period.value) == 1:
            self.ctx.fixed("KM362", original, "`period=1` dropped (the default saves every epoch)")
            return callargs.remove_keyword(call, "period")
        self.ctx.flag("KM362", original, "ModelCheckpoint(period=) is gone: use save_freq=<period> * "
                      "steps_per_epoch (save_freq counts batches), or drop it to save every epoch")
        return call

    def _tensorboard(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if not self.ctx.allows("KM363"):
            return call
        version, _ = self.ctx.settings.legacy_version
        names = pick(_TENSORBOARD, version)
        if positional_count(call) > 2:
            if positional_count(call) > len(names):
                return call
            call = callargs.bind_positionals(call, names, keep=2)
            self.ctx.fixed("KM363", original, "TensorBoard positional arguments passed by keyword")
        gone = [k for k in _TENSORBOARD_GONE if callargs.keyword(call, k) is not None]
        for keyword in gone:
            call = callargs.remove_keyword(call, keyword)
        if gone:
            self.ctx.fixed("KM363", original, f"TensorBoard: {', '.join(gone)} dropped (Keras 3 rejects them)")
        return call

    # -- BaseLogger() inside callbacks lists -----------------------------------------------------
    def leave_List(self, original: cst.List, updated: cst.List) -> cst.BaseExpression:
        doomed = [
            index for index, element in enumerate(original.elements)
            if isinstance(element.value, cst.Call) and self._is_base_logger(element.value.func)
        ]
        if not doomed or not self.ctx.allows("KM365"):
            return updated
        elements = [e for i, e in enumerate(updated.elements) if i not in doomed]
        if elements and len(elements) < len(updated.elements):
            had_trailing = isinstance(updated.elements[-1].comma, cst.Comma)
            if not had_trailing:
                elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self.ctx.fixed("KM365", original, "BaseLogger() removed (Keras 3 averages metrics itself)")
        return updated.with_changes(elements=elements)

    def _is_base_logger(self, func: cst.BaseExpression) -> bool:
        api = self.ctx.api(func)
        return api is not None and api.path == "callbacks.BaseLogger"


FIXER = CallbackFixer


def _is_self_validation_data(node: cst.BaseExpression) -> bool:
    """``self.validation_data``: legacy fit set it on every callback; a callback that assigns it
    itself (``self.validation_data = validation_data`` in __init__) keeps working in Keras 3."""
    return (
        isinstance(node, cst.Attribute) and node.attr.value == "validation_data"
        and isinstance(node.value, cst.Name) and node.value.value == "self"
    )
