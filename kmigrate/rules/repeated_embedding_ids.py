"""KM618: Keras 3 optimizers do not sum the gradients of repeated Embedding ids first.

An Embedding's gradient is sparse (``tf.IndexedSlices``): one row per id looked up, an id that
occurs twice in a batch giving two rows.  Legacy Keras (and tf.keras 2.x) added those rows up
before the optimizer saw them: the TensorFlow backend's ``K.square(g)`` densified the gradient.
Keras 3's optimizers take the sparse gradient as it is and apply their non-linear steps to each
occurrence (Adam's ``square(g)``: ``g1**2 + g2**2`` instead of ``(g1 + g2)**2``), then scatter-add
the results.  Rows of ids that repeat within a batch (padding, frequent words: nearly every text
model) are therefore trained differently; rows seen once, and every other weight, are not.
Measured with both runtimes on `Embedding -> GlobalAveragePooling1D -> Dense` under Adam: ids
seen once get identical rows, repeated ids differ from the first step.  Plain SGD, with or
without momentum, is linear in the gradient and unaffected.

There is no built-in form that densifies the gradient, so trained models are marked once each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.context import FileContext
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM618",
        name="repeated-embedding-ids",
        summary=(
            "Keras 3 optimizers other than SGD update the rows of Embedding ids that repeat in a batch "
            "differently."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Embedding, GlobalAveragePooling1D, Dense\n"
            "\n"
            "model = Sequential([Embedding(1000, 16, input_length=40), GlobalAveragePooling1D(), Dense(1)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='adam')"
        ),
        after=(
            "model.compile(loss='binary_crossentropy', optimizer='adam')  "
            "# kmigrate: KM618 re-validate training: Keras 3 adam does not sum repeated Embedding ids"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Legacy Keras summed the sparse gradient rows of an id looked up several times in a batch before "
            "the optimizer step; Keras 3 applies Adam, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl... to each "
            "occurrence and adds the results. Ids that repeat within a batch (padding, frequent tokens) get "
            "other updates, so training curves and the trained weights differ. SGD is linear and unaffected. "
            "Marked once per compiled model in files that build a legacy Embedding."
        ),
        catalog=(),
        tf_keras=False,  # tf_keras's optimizers sum duplicate indices (_deduplicate_sparse_grad)
        details=(
            "Found by `kmigrate verify` on the Keras 2.2.4 examples imdb_cnn, imdb_cnn_lstm, "
            "imdb_bidirectional_lstm and imdb_fasttext (loss differences 3e-5 to 1e-2 after one capped epoch) "
            "and their Keras 1.2.2 counterparts. To compare a migration exactly, train with SGD for the check."
        ),
    ),
)

# Optimizers whose update is linear in the gradient: a sum of rows gives the same step.
_LINEAR = frozenset({"sgd"})
_KNOWN = frozenset({"adam", "adamw", "adamax", "nadam", "rmsprop", "adagrad", "adadelta", "ftrl", "lion", "sgd"})


@dataclass
class _Uses(cst.CSTVisitor):
    """Does the file build a legacy Embedding; which names are bound to optimizer constructors."""

    ctx: FileContext
    embedding: bool = False
    optimizers: dict[str, str] = field(default_factory=dict)  # name -> lower-case class name

    def visit_Call(self, node: cst.Call) -> None:
        if not self.embedding:
            api = self.ctx.api(node.func)
            self.embedding = api is not None and api.legacy and api.leaf == "Embedding"

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) and isinstance(node.value, cst.Call):
            name = _constructed(self.ctx, node.value)
            if name is not None:
                self.optimizers[node.targets[0].target.value] = name


def _constructed(ctx: FileContext, call: cst.Call) -> str | None:
    """``adam`` for ``Adam(lr=...)`` / ``optimizers.Adam()`` (a Keras optimizer class)."""
    api = ctx.api(call.func)
    if api is None or not api.path.startswith("optimizers."):
        return None
    leaf = api.leaf.lower()
    return leaf if leaf in _KNOWN else None


@dataclass
class RepeatedEmbeddingIdsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"Embedding",)

    _scan: _Uses | None = None
    _marked: set[str] = field(default_factory=set)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Uses(self.ctx)
        return (self._scan,)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "compile":
            return updated
        if self._scan is None or not self._scan.embedding or not self.ctx.allows("KM618"):
            return updated
        optimizer = self._optimizer(original)
        if optimizer is None or optimizer in _LINEAR:
            return updated
        receiver = code(func.value)
        if receiver in self._marked or not self.ctx.keras_receiver(func.value, "compile", original):
            return updated
        self._marked.add(receiver)
        self.ctx.flag(
            "KM618", original,
            f"{optimizer} in Keras 3 steps each occurrence of an Embedding id in a batch apart instead of "
            "their summed gradient (legacy Keras): rows of repeated ids (padding, frequent tokens) train "
            "differently; SGD does not",
            marker=f"re-validate training: Keras 3 {optimizer} does not sum repeated Embedding ids",
        )  # fmt: skip
        return updated

    def _optimizer(self, call: cst.Call) -> str | None:
        """The optimizer's lower-case class name, when the call shows it."""
        arg = callargs.keyword(call, "optimizer")
        if arg is None and call.args and call.args[0].keyword is None:
            arg = call.args[0]
        if arg is None:
            return None
        value = arg.value
        if isinstance(value, cst.SimpleString):
            name = value.evaluated_value
            return name.lower() if isinstance(name, str) and name.lower() in _KNOWN else None
        if isinstance(value, cst.Call):
            return _constructed(self.ctx, value)
        if isinstance(value, cst.Name) and self._scan is not None:
            return self._scan.optimizers.get(value.value)
        return None


FIXER = RepeatedEmbeddingIdsFixer
