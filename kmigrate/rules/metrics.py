"""KM38x losses and metrics (catalog C-M01..C-M05)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.names import KerasName
from kmigrate.rule_types import CONTEXT, SAFE
from kmigrate.rules.base import Fixer, Rule, rename_imported_names
from kmigrate.rules.training.facts import _FileFacts, scopes_around
from kmigrate.rules.training_table import (
    CROSSENTROPY_LOSSES,
    METRIC_IDS,
    make_string,
    method_name,
    positional_count,
    string_value,
)

RULES = (
    Rule(
        id="KM381",
        name="long-loss-metric-names",
        summary=(
            "`losses.mean_squared_error` and the other long function names become `mse`, `mae`, `mape`, "
            "`msle`."
        ),
        before=(
            "import keras\n"
            "from keras.losses import mean_squared_error\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss=keras.losses.mean_absolute_error, optimizer='sgd', metrics=[mean_squared_error])"
        ),
        after=(
            "from tensorflow import keras\n"
            "from tensorflow.keras.losses import mse as mean_squared_error\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss=keras.losses.mae, optimizer='sgd', metrics=[mean_squared_error])"
        ),
        safety=SAFE,
        safety_note=(
            "TF 2.21's tf.keras.losses/metrics export only the short aliases of the same functions (whose "
            "__name__, and so the history key, is still the long name)."
        ),
        catalog=("C-M01",),
        tf_keras=False,
    ),
    Rule(
        id="KM382",
        name="cosine-proximity",
        summary="`cosine_proximity` becomes `cosine_similarity`.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(8, input_dim=4)])\n"
            "model.compile(loss='cosine_proximity', optimizer='sgd')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(8, input_dim=4)])\n"
            "model.compile(loss='cosine_similarity', optimizer='sgd')"
        ),
        safety=CONTEXT,
        safety_note=(
            "As a loss both are -cos. As a metric Keras 3's CosineSimilarity is +cos: metric uses are marked "
            "(thresholds flip sign)."
        ),
        catalog=("C-M02",),
    ),
    Rule(
        id="KM383",
        name="renamed-loss-ids",
        summary=(
            "Loss ids `logcosh`, `kullback_leibler_divergence`, `huber_loss` become `log_cosh`, "
            "`kl_divergence`, `huber`; `mse`, `mae`, `mape`, `msle`, `kld` are spelled out."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='logcosh', optimizer='sgd')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='log_cosh', optimizer='sgd')"
        ),
        safety=SAFE,
        safety_note=(
            "Same functions under their Keras 3 ids. Keras 3.15 compiles with the short ids but cannot load "
            "a .h5 model saved with them (verified), so they are spelled out."
        ),
        catalog=("C-M03",),
        tf_keras=False,
    ),
    Rule(
        id="KM384",
        name="renamed-metric-ids",
        summary=(
            "Metric ids `kld`, `kullback_leibler_divergence`, `logcosh`, `ce`/`crossentropy` become Keras 3 "
            "ids."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(3, activation='softmax', input_dim=4)])\n"
            "model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['kld', 'crossentropy'])"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(3, activation='softmax', input_dim=4)])\n"
            "model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['kl_divergence', 'categorical_crossentropy'])"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 metrics.get rejects the old ids; 'ce'/'crossentropy' followed the loss, so they are "
            "resolved from a literal loss and marked otherwise."
        ),
        catalog=("C-M04",),
    ),
    Rule(
        id="KM385",
        name="metrics-accuracy-function",
        summary="The `metrics.accuracy` function becomes `metrics.Accuracy()`.",
        before=(
            "from keras.metrics import accuracy\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd', metrics=[accuracy])"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.metrics import Accuracy\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd', metrics=[Accuracy()])"
        ),
        safety=CONTEXT,
        safety_note=(
            "Same exact-match semantics; the 'accuracy' string would pick binary/categorical accuracy "
            "instead."
        ),
        catalog=("C-M05",),
    ),
    Rule(
        id="KM386",
        name="accuracy-follows-the-loss",
        summary=(
            "`metrics=['accuracy']` with `binary_crossentropy` on a multi-unit Dense output becomes "
            "`BinaryAccuracy(name='accuracy')`: Keras 3 would pick categorical accuracy."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "tagger = Sequential([Dense(5, activation='sigmoid', input_dim=8)])\n"
            "tagger.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.metrics import BinaryAccuracy\n"
            "\n"
            "tagger = Sequential([Dense(5, activation='sigmoid', input_dim=8)])\n"
            "tagger.compile(loss='binary_crossentropy', optimizer='adam', metrics=[BinaryAccuracy(name='accuracy')])"
        ),
        safety=SAFE,
        safety_note=(
            "Legacy Keras (1.x to 2.3) chose the accuracy for 'accuracy'/'acc' from the loss: "
            "binary_crossentropy meant binary_accuracy (each output unit right or wrong). Keras 3 chooses "
            "from the output shape only, so a multi-label model (several sigmoid units) reports categorical "
            "accuracy (measured on TF 2.21: 0.59 instead of 0.52), and val_acc monitors pick other epochs. "
            "BinaryAccuracy (threshold 0.5, as K.round) named as the string was keeps the log key. Rewritten "
            "only where the file shows the model ending in a Dense of several units (with one unit both "
            "agree; a model whose width the file does not show is left alone, most are binary classifiers)."
        ),
        catalog=("C-M05",),
        details="Found by review of real multi-label classifiers compiled with binary_crossentropy.",
    ),
)

_SHORT = {
    "mean_squared_error": "mse", "mean_absolute_error": "mae",
    "mean_absolute_percentage_error": "mape", "mean_squared_logarithmic_error": "msle",
    "huber_loss": "huber",
}  # fmt: skip
LOSS_IDS = {"logcosh": "log_cosh", "kullback_leibler_divergence": "kl_divergence", "huber_loss": "huber",
             "cosine_proximity": "cosine_similarity", "cosine": "cosine_similarity"}  # fmt: skip
# Short ids Keras 3.15 accepts in compile but cannot deserialize from a .h5 file ("Could not
# deserialize 'keras.metrics.mse'"): the full ids name the same functions.
H5_SAFE_LOSS_IDS = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
                     "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
                     "kld": "kl_divergence"}  # fmt: skip


def _long_name(path: str) -> tuple[str, str] | None:
    """``losses.mean_squared_error`` -> (``losses``, ``mse``)."""
    module, _, leaf = path.rpartition(".")
    if module in ("losses", "metrics") and leaf in _SHORT:
        return module, _SHORT[leaf]
    if module == "losses" and leaf == "cosine_proximity":
        return module, "cosine_similarity"
    return None


@dataclass
class MetricsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({
        "metrics.accuracy", "metrics.cosine_proximity", "metrics.cosine", "losses.cosine_proximity",
        *(f"{module}.{name}" for module in ("losses", "metrics") for name in _SHORT),
    })  # fmt: skip

    _facts: _FileFacts | None = None

    # -- imports: keep the local name, import the alias that exists ------------------------------
    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        def rename(alias: cst.ImportAlias, keras_name: KerasName) -> tuple[str, str, str] | None:
            api = self.ctx.api(cst.Name(alias.evaluated_alias or alias.evaluated_name))
            found = _long_name(api.path) if api is not None else None
            if found is None:
                return None
            rule = "KM382" if found[1] == "cosine_similarity" else "KM381"
            return rule, found[1], f"`{alias.evaluated_name}` is `{found[1]}` in tf.keras.{found[0]}"

        return rename_imported_names(self.ctx, original, updated, rename)

    # -- dotted uses: keras.losses.mean_squared_error ---------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        api = self.ctx.api(original)
        if api is None:
            return updated
        found = _long_name(api.path)
        if found is None:
            return updated
        rule = "KM382" if found[1] == "cosine_similarity" else "KM381"
        if not self.ctx.allows(rule):
            return updated
        self.ctx.fixed(rule, original, f"`{api.leaf}` -> `{found[0]}.{found[1]}`")
        return self.ctx.imports.reference(f"{found[0]}.{found[1]}")

    # -- calls: compile ids, metrics.accuracy ---------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if method_name(original) != "compile" or not self.ctx.involves_keras:
            return updated
        if not self.ctx.keras_receiver(cst.ensure_type(original.func, cst.Attribute).value, "compile", original):
            return updated
        loss_arg = callargs.keyword(updated, "loss")
        if loss_arg is None and positional_count(updated) >= 2:
            loss_arg = updated.args[1]
        metrics_arg = callargs.keyword(updated, "metrics")
        if metrics_arg is None and positional_count(updated) >= 3:
            metrics_arg = updated.args[2]
        replacements: dict[int, cst.BaseExpression] = {}
        if loss_arg is not None:
            new = self._map_strings(original, loss_arg.value, self._loss_id)
            if new is not None:
                replacements[id(loss_arg)] = new
        if metrics_arg is not None:
            loss_value = string_value(loss_arg.value) if loss_arg is not None else None
            new = self._map_strings(original, metrics_arg.value, lambda o, v, n: self._metric_id(o, v, n, loss_value))
            if new is not None:
                replacements[id(metrics_arg)] = new
            binary = self._binary_accuracy(original, loss_arg, new or metrics_arg.value)
            if binary is not None:
                replacements[id(metrics_arg)] = binary
        if not replacements:
            return updated
        args = [a.with_changes(value=replacements[id(a)]) if id(a) in replacements else a for a in updated.args]
        return updated.with_changes(args=args)

    def _binary_accuracy(self, original: cst.Call, loss_arg: cst.Arg | None,
                         metrics: cst.BaseExpression) -> cst.BaseExpression | None:  # fmt: skip
        """KM386: 'accuracy'/'acc' next to a binary_crossentropy loss meant binary_accuracy in
        legacy Keras, whatever the output width; Keras 3 reads the width only."""
        if loss_arg is None or not isinstance(metrics, (cst.List, cst.Tuple)) or not self.ctx.allows("KM386"):
            return None
        loss = loss_arg.value
        api = self.ctx.api(loss) if isinstance(loss, (cst.Name, cst.Attribute)) else None
        if string_value(loss) != "binary_crossentropy" and (api is None or api.leaf != "binary_crossentropy"):
            return None
        receiver = cst.ensure_type(original.func, cst.Attribute).value
        units = self.facts.output_units(receiver, scopes_around(self.ctx))
        if units is None or units == 1:
            return None  # one unit: both pick binary accuracy; unknown width: most are one unit
        elements = []
        changed = False
        for element in metrics.elements:
            value = string_value(element.value)
            if value in ("accuracy", "acc"):
                metric = cst.Call(
                    func=self.ctx.imports.reference("metrics.BinaryAccuracy"),
                    args=[cst.Arg(keyword=cst.Name("name"), value=make_string(value, element.value),
                                  equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))],
                )
                element = element.with_changes(value=metric)
                changed = True
            elements.append(element)
        if not changed:
            return None
        self.ctx.fixed("KM386", original, "metric 'accuracy' with binary_crossentropy -> BinaryAccuracy "
                       "(legacy Keras chose binary accuracy from the loss; Keras 3 would choose categorical)")
        return metrics.with_changes(elements=elements)

    @property
    def facts(self) -> _FileFacts:
        if self._facts is None:  # used outside the pipeline: scan now
            self._facts = _FileFacts.scanned_alone(self.ctx)
        return self._facts

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._facts = self.ctx.shared_scanner(_FileFacts)  # one scan for the families that read it
        return (self._facts,)

    def _map_strings(self, original: cst.Call, node: cst.BaseExpression,
                     mapper: Callable[[cst.Call, str, cst.BaseExpression], str | None]) -> cst.BaseExpression | None:  # fmt: skip
        """``node`` with every string literal (in lists, tuples, dict values) mapped, or None."""
        if isinstance(node, (cst.List, cst.Tuple)):
            elements = []
            changed = False
            for element in node.elements:
                new = self._map_strings(original, element.value, mapper)
                changed |= new is not None
                elements.append(element.with_changes(value=new) if new is not None else element)
            return node.with_changes(elements=elements) if changed else None
        if isinstance(node, cst.Dict):
            entries = []
            changed = False
            for entry in node.elements:
                new = self._map_strings(original, entry.value, mapper) if isinstance(entry, cst.DictElement) else None
                changed |= new is not None
                entries.append(entry.with_changes(value=new) if new is not None else entry)
            return node.with_changes(elements=entries) if changed else None
        if isinstance(node, (cst.Name, cst.Attribute)):
            api = self.ctx.api(node)
            if api is not None and api.path == "metrics.accuracy" and self.ctx.allows("KM385"):
                self.ctx.fixed("KM385", original, "metrics.accuracy -> metrics.Accuracy()")
                return cst.Call(func=self.ctx.imports.reference("metrics.Accuracy"))
            if api is not None and api.path in ("metrics.cosine_proximity", "metrics.cosine") and self.ctx.allows("KM382"):
                self.ctx.flag("KM382", original, "the cosine proximity metric is gone: "
                              "tf.keras.metrics.CosineSimilarity() reports +cos (legacy: -cos), flip "
                              "any threshold or monitor mode")
            return None
        value = string_value(node)
        if value is None:
            return None
        new_value = mapper(original, value, node)
        if new_value is None or new_value == value:
            return None
        return make_string(new_value, node)

    def _loss_id(self, original: cst.Call, value: str, node: cst.BaseExpression) -> str | None:
        new = LOSS_IDS.get(value)
        if new is None and value in H5_SAFE_LOSS_IDS and self.ctx.allows("KM383"):
            new = H5_SAFE_LOSS_IDS[value]
            self.ctx.fixed("KM383", original, f"loss '{value}' -> '{new}' (same function; Keras 3.15 "
                           "cannot load a .h5 model compiled with the short id)")
            return new
        if new is None:
            return None
        rule = "KM382" if new == "cosine_similarity" else "KM383"
        if not self.ctx.allows(rule):
            return None
        self.ctx.fixed(rule, original, f"loss '{value}' -> '{new}'")
        return new

    def _metric_id(self, original: cst.Call, value: str, node: cst.BaseExpression, loss: str | None) -> str | None:
        if value in ("cosine", "cosine_proximity"):
            if self.ctx.allows("KM382"):
                self.ctx.flag("KM382", original, f"metric '{value}' is gone: 'cosine_similarity' reports "
                              "+cos (legacy: -cos), so flip any threshold or monitor mode, then rename it")
            return None
        if value in ("ce", "crossentropy"):
            if not self.ctx.allows("KM384"):
                return None
            if loss in CROSSENTROPY_LOSSES:
                self.ctx.fixed("KM384", original, f"metric '{value}' -> '{loss}' (it followed the loss)")
                return loss
            self.ctx.flag("KM384", original, f"metric '{value}' followed the loss: use "
                          "'categorical_crossentropy', 'binary_crossentropy' or "
                          "'sparse_categorical_crossentropy' to match it")
            return None
        new = METRIC_IDS.get(value)
        if new is None or not self.ctx.allows("KM384"):
            return None
        self.ctx.fixed("KM384", original, f"metric '{value}' -> '{new}'")
        return new


FIXER = MetricsFixer
