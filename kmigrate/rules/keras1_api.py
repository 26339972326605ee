"""KM240-KM254: Keras 1 API leftovers outside the layer constructors (catalog B40..B54).

Initializer, regularizer and constraint names, removed metrics and helpers, dataset and
tokenizer keywords, ``dim_ordering`` in preprocessing and the backend (``image_dim_ordering``
values are mapped, not just the function names), Keras 1 backend keywords, and the Keras 1
custom-layer API.  The mapping knowledge is in the tables at the top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst
import libcst.matchers as m

from kmigrate import callargs
from kmigrate.kinds import Kind
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule

SAFE, CTX, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

RULES = (
    Rule("KM240", "keras1-initializers", "Keras 1 initializer functions called directly are gone.",
         "w = initializations.normal((3, 3), scale=0.05)",
         "w = tf.keras.initializers.RandomNormal(stddev=0.05)((3, 3))",
         FLAG, "Keras 1 initializers returned variables and took scale=/dim_ordering=; tf.keras "
         "initializers are classes called with (shape, dtype). String names ('normal', 'zero') "
         "still resolve and are left alone.", ("B40",)),
    Rule("KM241", "keras1-regularizers", "Keras 1 regularizer names and keywords.",
         "W_regularizer=l1l2(0.01, 0.01), activity_regularizer=activity_l2(0.01), l2(l=0.01)",
         "W_regularizer=l1_l2(l1=0.01, l2=0.01), activity_regularizer=l2(0.01), l2(0.01)",
         SAFE, "activity_* were the same penalties; l1_l2 defaults changed from 0.01 to 0.0 in Keras 3, "
         "so both values are always written; the keyword `l=` is passed positionally.", ("B41",)),
    Rule("KM242", "keras1-constraints", "Keras 1 constraint names and keywords.",
         "maxnorm(m=2), nonneg(), unitnorm()",
         "max_norm(max_value=2), non_neg(), unit_norm()",
         SAFE, "Same constraints under their Keras 2 names.", ("B42",)),
    Rule("KM243", "keras1-metrics", "Keras 1 batch-wise `fmeasure`/`precision`/`recall` metrics are gone.",
         "model.compile(loss='mse', optimizer='sgd', metrics=['fmeasure'])",
         "metrics=[tf.keras.metrics.Precision(), tf.keras.metrics.Recall(), tf.keras.metrics.F1Score()]",
         FLAG, "Keras 1 computed them per batch; the Keras 3 metrics are stateful and global, so the "
         "numbers differ: choose explicitly.", ("B43",)),
    Rule("KM244", "to-categorical-nb-classes", "`to_categorical(nb_classes=)` becomes `num_classes=`.",
         "np_utils.to_categorical(y, nb_classes=10)",
         "np_utils.to_categorical(y, num_classes=10)",
         SAFE, "Renamed parameter.", ("B44",)),
    Rule("KM245", "np-utils-helpers", "Keras 1 `np_utils` helpers are gone.",
         "np_utils.categorical_probas_to_classes(p)",
         "np.argmax(p, axis=1)",
         FLAG, "probas_to_classes/categorical_probas_to_classes have exact NumPy one-liners; the "
         "others (accuracy, convert_kernel) need a choice.", ("B45",)),
    Rule("KM246", "layer-utils-helpers", "`print_summary(model)` becomes `model.summary()`.",
         "print_summary(model, line_length=100)",
         "model.summary(line_length=100)",
         CTX, "Keras 2's print_summary(model, ...) is Model.summary with the same keywords; Keras 1 "
         "forms (a list of layers) and count_total_params are marked.", ("B46",)),
    Rule("KM247", "datasets-nb-words", "`load_data(nb_words=)` becomes `num_words=`.",
         "imdb.load_data(nb_words=5000)",
         "imdb.load_data(num_words=5000)",
         SAFE, "Keras 3's imdb.load_data swallows unknown keywords: nb_words would be silently ignored.",
         ("B47",)),
    Rule("KM248", "tokenizer-nb-words", "`Tokenizer(nb_words=)` becomes `num_words=`.",
         "Tokenizer(nb_words=1000)",
         "Tokenizer(num_words=1000)",
         SAFE, "Renamed parameter.", ("B48",)),
    Rule("KM249", "preprocessing-dim-ordering", "`dim_ordering=` in image preprocessing becomes "
         "`data_format=` with mapped values.",
         "ImageDataGenerator(dim_ordering='th')\ndatagen.flow(X=x, y=y)",
         "ImageDataGenerator(data_format='channels_first')\ndatagen.flow(x=x, y=y)",
         SAFE, "'th' is 'channels_first', 'tf' is 'channels_last', 'default' is the default.", ("B49",)),
    Rule("KM250", "image-dim-ordering", "`K.image_dim_ordering()` and `K.set_image_dim_ordering()` "
         "become the `image_data_format` functions, with the values mapped.",
         "if K.image_dim_ordering() == 'th': ...\nK.set_image_dim_ordering('tf')",
         "if K.image_data_format() == 'channels_first': ...\nK.set_image_data_format('channels_last')",
         SAFE, "Compared and passed literals are mapped ('th' <-> 'channels_first', 'tf' <-> "
         "'channels_last'); a value that flows elsewhere is converted back to 'th'/'tf' in place.",
         ("B50", "B29")),
    Rule("KM251", "backend-keras1-keywords", "Keras 1 backend keywords (`nb_classes`, `dim`, `std`, "
         "`border_mode`, `dim_ordering`, ...).",
         "K.expand_dims(x, dim=-1)\nK.random_normal(shape, std=0.1)",
         "K.expand_dims(x, axis=-1)\nK.random_normal(shape, stddev=0.1)",
         SAFE, "Renamed parameters; Theano-only shape hints are dropped; symmetric Keras 1 padding "
         "is written out.", ("B51",)),
    Rule("KM252", "backend-crossentropy-order", "Backend crossentropies took (output, target) "
         "before Keras 2.0.7.",
         "K.categorical_crossentropy(y_pred, y_true)   # Keras <= 2.0.6",
         "K.categorical_crossentropy(y_true, y_pred)",
         CTX, "Swapped only when --from-version says the code predates 2.0.7.", ("B52", "D17")),
    Rule("KM253", "custom-layer-keras1-api", "Keras 1 custom layers: `get_output_shape_for` and "
         "weights created with `K.variable`.",
         "def get_output_shape_for(self, input_shape): ...\nself.W = K.variable(init((n, m)))",
         "def compute_output_shape(self, input_shape): ...\n"
         "self.W = self.add_weight(shape=(n, m), initializer=..., name='W')",
         CTX, "The method was renamed in Keras 2. Keras 3 does not track bare variables and "
         "trainable_weights has no setter: those lines are marked.", ("B53", "D07")),
    Rule("KM254", "layer-weight-attrs", "Keras 1 layer weight attributes `.W`/`.b` are "
         "`.kernel`/`.bias`.",
         "model.layers[0].W",
         "model.layers[0].kernel",
         CTX, "Rewritten where the receiver is visibly a layer (model.layers[i], "
         "model.get_layer(...)); recurrent .U and others are marked.", ("B54",)),
)

# -- tables -----------------------------------------------------------------------------------------
# B41: legacy regularizer name -> (tf.keras name, explicit (l1, l2) defaults or None).
REGULARIZERS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "regularizers.l1l2": ("regularizers.l1_l2", ("0.01", "0.01")),
    "regularizers.l1_l2": ("regularizers.l1_l2", ("0.01", "0.01")),
    "regularizers.activity_l1l2": ("regularizers.l1_l2", ("0.01", "0.01")),
    "regularizers.activity_l1": ("regularizers.l1", None),
    "regularizers.activity_l2": ("regularizers.l2", None),
    "regularizers.WeightRegularizer": ("regularizers.L1L2", ("0.0", "0.0")),
    "regularizers.L1L2Regularizer": ("regularizers.L1L2", ("0.0", "0.0")),
    "regularizers.l1": ("regularizers.l1", None),
    "regularizers.l2": ("regularizers.l2", None),
}
# B42: legacy constraint -> (tf.keras name, keyword renames).
CONSTRAINTS: dict[str, tuple[str, dict[str, str]]] = {
    "constraints.maxnorm": ("constraints.max_norm", {"m": "max_value"}),
    "constraints.MaxNorm": ("constraints.MaxNorm", {"m": "max_value"}),
    "constraints.max_norm": ("constraints.max_norm", {"m": "max_value"}),
    "constraints.nonneg": ("constraints.non_neg", {}),
    "constraints.unitnorm": ("constraints.unit_norm", {}),
    "constraints.MinMaxNorm": ("constraints.MinMaxNorm", {"low": "min_value", "high": "max_value"}),
    "constraints.min_max_norm": ("constraints.min_max_norm", {"low": "min_value", "high": "max_value"}),
}
_KERAS1_METRICS = frozenset({"fmeasure", "precision", "recall", "fbeta_score", "fscore", "f1score",
                             "matthews_correlation"})  # fmt: skip
_NP_UTILS = {
    "utils.probas_to_classes": "np.argmax(p, axis=-1) if p.shape[-1] > 1 else (p > 0.5).astype('int32')",
    "utils.categorical_probas_to_classes": "np.argmax(p, axis=1)",
    "utils.accuracy": "sklearn.metrics.accuracy_score(y_true, y_pred)",
    "utils.binary_logloss": "sklearn.metrics.log_loss(y_true, p)",
    "utils.multiclass_logloss": "sklearn.metrics.log_loss(y_true, p)",
    "utils.convert_kernel": "np.copy(w[::-1, ::-1, :, :]) (a Theano kernel flip, see D03)",
    "utils.conv_output_length": "a local copy of the formula (internal helper)",
}
# B47/B48, B44: keyword renames of single calls (any import path, legacy only).
KEYWORD_RENAMES: dict[str, tuple[str, dict[str, str]]] = {
    "utils.to_categorical": ("KM244", {"nb_classes": "num_classes"}),
    "datasets.imdb.load_data": ("KM247", {"nb_words": "num_words"}),
    "datasets.reuters.load_data": ("KM247", {"nb_words": "num_words"}),
    "preprocessing.text.Tokenizer": ("KM248", {"nb_words": "num_words"}),
}
DIM_ORDERING = {"th": "channels_first", "tf": "channels_last"}
# B49: calls that took dim_ordering=.
_PREPROCESSING_DIM_ORDERING = frozenset({
    "preprocessing.image.ImageDataGenerator", "preprocessing.image.img_to_array",
    "preprocessing.image.array_to_img", "utils.img_to_array", "utils.array_to_img",
})  # fmt: skip


@dataclass(frozen=True)
class _BackendCall:
    params: tuple[str, ...]  # Keras 1 positional order
    renames: dict[str, str]
    drops: tuple[str, ...] = ()
    pad: str = ""  # "2d" / "1d": symmetric Keras 1 padding written out


# B51: Keras 1 backend signatures.
BACKEND: dict[str, _BackendCall] = {
    "backend.one_hot": _BackendCall(("indices", "nb_classes"), {"nb_classes": "num_classes"}),
    "backend.expand_dims": _BackendCall(("x", "dim"), {"dim": "axis"}),
    "backend.random_normal": _BackendCall(("shape", "mean", "std"), {"std": "stddev"}),
    "backend.random_uniform": _BackendCall(("shape", "low", "high"), {"low": "minval", "high": "maxval"}),
    "backend.conv2d": _BackendCall(
        ("x", "kernel", "strides", "border_mode", "dim_ordering", "image_shape", "filter_shape", "filter_dilation"),
        {"border_mode": "padding", "dim_ordering": "data_format", "filter_dilation": "dilation_rate"},
        ("image_shape", "filter_shape")),
    "backend.conv1d": _BackendCall(
        ("x", "kernel", "stride", "border_mode", "image_shape", "filter_shape"),
        {"stride": "strides", "border_mode": "padding"}, ("image_shape", "filter_shape")),
    "backend.pool2d": _BackendCall(
        ("x", "pool_size", "strides", "border_mode", "dim_ordering", "pool_mode"),
        {"border_mode": "padding", "dim_ordering": "data_format"}),
    "backend.resize_images": _BackendCall(("x", "height_factor", "width_factor", "dim_ordering"),
                                          {"dim_ordering": "data_format", "X": "x"}),
    "backend.spatial_2d_padding": _BackendCall(("x", "padding", "dim_ordering"),
                                               {"dim_ordering": "data_format"}, pad="2d"),
    "backend.temporal_padding": _BackendCall(("x", "padding"), {}, pad="1d"),
    "backend.set_floatx": _BackendCall(("floatx",), {}),
    "backend.set_epsilon": _BackendCall(("e",), {}),
}
_POSITIONAL_ONLY = {"backend.set_floatx": "floatx", "backend.set_epsilon": "e"}
_CROSSENTROPIES = frozenset({"backend.categorical_crossentropy", "backend.sparse_categorical_crossentropy",
                             "backend.binary_crossentropy"})  # fmt: skip
_LAYER_ATTRS = {"W": "kernel", "b": "bias", "W_regularizer": "kernel_regularizer",
                "b_regularizer": "bias_regularizer", "W_constraint": "kernel_constraint",
                "b_constraint": "bias_constraint"}  # fmt: skip
_LAYER_ATTRS_FLAGGED = {"U": "the recurrent kernel: layer.cell.recurrent_kernel (LSTM/GRU/SimpleRNN)",
                        "U_regularizer": "layer.cell.recurrent_regularizer"}


@dataclass
class Keras1ApiFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({
        "regularizers.l1l2", "regularizers.activity_l1", "regularizers.activity_l2",
        "regularizers.activity_l1l2", "regularizers.WeightRegularizer", "regularizers.L1L2Regularizer",
        "constraints.maxnorm", "constraints.nonneg", "constraints.unitnorm",
        "backend.image_dim_ordering", "backend.set_image_dim_ordering",
        "utils.print_summary", "utils.count_total_params", *_NP_UTILS,
    })  # fmt: skip

    _compared: set[int] = field(default_factory=set)
    _layer_classes: list[bool] = field(default_factory=list)

    # -- calls ------------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None:
            return self._methods(original, updated)
        path = api.path
        if path in REGULARIZERS and api.legacy:
            return self._regularizer(original, updated, api)
        if path == "regularizers.l1_l2":
            return self._regularizer(original, updated, api)
        if path in CONSTRAINTS and api.legacy:
            return self._constraint(original, updated, path)
        if path in KEYWORD_RENAMES and api.legacy:
            rule, renames = KEYWORD_RENAMES[path]
            return self._renames(original, updated, rule, renames)
        if path in _NP_UTILS and api.legacy:
            if self.ctx.allows("KM245"):
                self.ctx.flag("KM245", original, f"{api.leaf} is gone: use {_NP_UTILS[path]}")
            return updated
        if path.startswith("initializers.") and api.name.qualified.startswith("keras.initializations"):
            if self.ctx.allows("KM240"):
                self.ctx.flag("KM240", original, f"Keras 1 initializer function {api.leaf}(shape, ...) is "
                              "gone: call an initializer object, e.g. tf.keras.initializers.RandomNormal("
                              "stddev=0.05)(shape), and create weights with self.add_weight(initializer=...)")
            return updated
        if path in ("utils.print_summary", "utils.count_total_params") and api.legacy:
            return self._print_summary(original, updated, api)
        if path in _PREPROCESSING_DIM_ORDERING or (
            path.startswith("applications.") and path.endswith(".preprocess_input")
        ):
            if api.legacy:
                return self._dim_ordering_keyword(original, updated, "KM249")
            return updated
        if path in ("backend.image_dim_ordering", "backend.set_image_dim_ordering"):
            return self._image_dim_ordering(original, updated, api)
        if path in BACKEND and api.legacy:
            return self._backend(original, updated, path)
        if path == "backend.batch_normalization" and api.legacy:
            return self._batch_normalization(original, updated)
        if path in _CROSSENTROPIES and api.legacy:
            return self._crossentropy(original, updated)
        return updated

    def _renames(self, original: cst.Call, call: cst.Call, rule: str, renames: dict[str, str]) -> cst.Call:
        present = [old for old in renames if callargs.keyword(call, old) is not None
                   and callargs.keyword(call, renames[old]) is None]
        if not present or not self.ctx.allows(rule):
            return call
        for old in present:
            call = callargs.rename_keyword(call, old, renames[old])
        self.ctx.fixed(rule, original, ", ".join(f"{o}= -> {renames[o]}=" for o in present))
        return call

    def _regularizer(self, original: cst.Call, call: cst.Call, api) -> cst.BaseExpression:  # type: ignore[no-untyped-def]
        new_path, defaults = REGULARIZERS[api.path]
        if not self.ctx.allows("KM241") or callargs.has_star_args(call) or any(a.star for a in call.args):
            return call
        result = call
        notes = []
        if new_path != api.path or api.leaf != new_path.rpartition(".")[2]:
            result = result.with_changes(func=self.ctx.imports.reference(new_path))
            notes.append(f"{api.leaf} -> {new_path.rpartition('.')[2]}")
        if defaults is not None:
            bound = callargs.bind_positionals(result, ("l1", "l2"))
            if callargs.positionals(result):
                notes.append("arguments bound by keyword")
            for name, value in zip(("l1", "l2"), defaults):
                if callargs.keyword(bound, name) is None:
                    bound = callargs.add_keyword(bound, name, cst.parse_expression(value))
                    notes.append(f"{name}={value} made explicit")
            result = bound
        else:
            # l1(l=0.01) / l2(l=0.01): Keras 3 names the parameter l1/l2; pass it positionally.
            keyword = callargs.keyword(result, "l")
            if keyword is not None:
                args = [a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if a is keyword else a
                        for a in result.args]
                result = result.with_changes(args=args)
                notes.append("l= passed positionally")
        if not notes:
            return call
        self.ctx.fixed("KM241", original, "; ".join(notes))
        return result

    def _constraint(self, original: cst.Call, call: cst.Call, path: str) -> cst.BaseExpression:
        new_path, renames = CONSTRAINTS[path]
        if not self.ctx.allows("KM242"):
            return call
        result = call
        notes = []
        leaf = path.rpartition(".")[2]
        new_leaf = new_path.rpartition(".")[2]
        if leaf != new_leaf:
            result = result.with_changes(func=self.ctx.imports.reference(new_path))
            notes.append(f"{leaf} -> {new_leaf}")
        for old, new in renames.items():
            if callargs.keyword(result, old) is not None:
                result = callargs.rename_keyword(result, old, new)
                notes.append(f"{old}= -> {new}=")
        if not notes:
            return call
        self.ctx.fixed("KM242", original, "; ".join(notes))
        return result

    def _print_summary(self, original: cst.Call, call: cst.Call, api) -> cst.BaseExpression:  # type: ignore[no-untyped-def]
        if not self.ctx.allows("KM246"):
            return call
        positional = callargs.positionals(call)
        keywords = callargs.keywords(call)
        ok = (
            api.leaf == "print_summary"
            and len(positional) == 1
            and not m.matches(positional[0].value, m.Attribute(attr=m.Name("layers")) | m.List())
            and set(keywords) <= {"line_length", "positions", "print_fn"}
            and len(call.args) == len(positional) + len(keywords)
        )
        if not ok:
            self.ctx.flag("KM246", original, f"{api.leaf} is gone: use model.summary(line_length=..., "
                          "positions=...) or model.count_params()")
            return call
        receiver = positional[0].value
        if not isinstance(receiver, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            receiver = receiver.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        self.ctx.fixed("KM246", original, "print_summary(model) -> model.summary()")
        rest = [a for a in call.args if a is not positional[0]]
        if rest:
            rest[-1] = rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return cst.Call(func=cst.Attribute(value=receiver, attr=cst.Name("summary")), args=rest,
                        lpar=call.lpar, rpar=call.rpar)

    # -- dim_ordering values ------------------------------------------------------------------------
    def _dim_ordering_keyword(self, original: cst.Call, call: cst.Call, rule: str) -> cst.Call:
        arg = callargs.keyword(call, "dim_ordering")
        if arg is None or callargs.keyword(call, "data_format") is not None:
            return call
        if not self.ctx.allows(rule):
            return call
        value = arg.value
        if isinstance(value, cst.SimpleString) and value.evaluated_value == "default":
            self.ctx.fixed(rule, original, "dropped dim_ordering='default'")
            return callargs.remove_keyword(call, "dim_ordering")
        mapped = _map_ordering(value)
        if mapped is None:
            mapped = _mapping_expression(value)
        call = callargs.rename_keyword(callargs.replace_value(call, "dim_ordering", mapped), "dim_ordering", "data_format")
        self.ctx.fixed(rule, original, f"dim_ordering= -> data_format={code(mapped)}")
        return call

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left, *(c.comparator for c in node.comparisons)]
        if any(_ordering_literal(o) for o in operands) or any(
            isinstance(o, (cst.Tuple, cst.List, cst.Set)) and o.elements and all(_ordering_literal(e.value) for e in o.elements)
            for o in operands
        ):
            for operand in operands:
                if isinstance(operand, cst.Call):
                    self._compared.add(id(operand))

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        operands = [original.left, *(c.comparator for c in original.comparisons)]
        if not any(isinstance(o, cst.Call) and id(o) in self._compared and self._is_dim_ordering_call(o)
                   for o in operands):
            return updated
        left = _map_ordering(updated.left) or updated.left
        comparisons = []
        for comparison in updated.comparisons:
            comparator = comparison.comparator
            if isinstance(comparator, (cst.Tuple, cst.List, cst.Set)):
                elements = [e.with_changes(value=_map_ordering(e.value) or e.value) for e in comparator.elements]
                comparator = comparator.with_changes(elements=elements)
            else:
                comparator = _map_ordering(comparator) or comparator
            comparisons.append(comparison.with_changes(comparator=comparator))
        return updated.with_changes(left=left, comparisons=comparisons)

    def _is_dim_ordering_call(self, node: cst.Call) -> bool:
        api = self.ctx.api(node.func)
        return api is not None and api.path == "backend.image_dim_ordering"

    def _image_dim_ordering(self, original: cst.Call, call: cst.Call, api) -> cst.BaseExpression:  # type: ignore[no-untyped-def]
        if not self.ctx.allows("KM250") or _leaf(call.func) != api.leaf:
            return call  # already rewritten (the backend family handles these names too)
        getter = api.leaf == "image_dim_ordering"
        new_leaf = "image_data_format" if getter else "set_image_data_format"
        func = call.func
        if isinstance(func, cst.Attribute):
            new_func: cst.BaseExpression = func.with_changes(attr=cst.Name(new_leaf))
        else:
            new_func = self.ctx.imports.reference(f"backend.{new_leaf}")
        if getter:
            new_call = call.with_changes(func=new_func)
            if id(original) in self._compared:
                self.ctx.fixed("KM250", original, "image_dim_ordering() -> image_data_format(), "
                               "compared values mapped")
                return new_call
            self.ctx.fixed("KM250", original, "image_dim_ordering() -> the same 'th'/'tf' value "
                           "computed from image_data_format()")
            plain = new_call.with_changes(lpar=(), rpar=())
            return cst.parse_expression(
                f"('th' if {code(plain)} == 'channels_first' else 'tf')"
            )
        if len(call.args) != 1 or call.args[0].star:
            self.ctx.flag("KM250", original, "use K.set_image_data_format('channels_first' | "
                          "'channels_last') ('th' is channels_first, 'tf' channels_last)")
            return call
        arg = call.args[0]
        mapped = _map_ordering(arg.value) or _mapping_expression(arg.value)
        self.ctx.fixed("KM250", original, f"set_image_dim_ordering -> set_image_data_format({code(mapped)})")
        return call.with_changes(func=new_func, args=[arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT, value=mapped)])

    # -- backend keywords -------------------------------------------------------------------------
    def _backend(self, original: cst.Call, call: cst.Call, path: str) -> cst.Call:
        spec = BACKEND[path]
        if callargs.has_star_args(call) or not self.ctx.allows("KM251"):
            return call
        keywords = callargs.keywords(call)
        notes: list[str] = []
        if path in _POSITIONAL_ONLY:
            keyword = keywords.get(_POSITIONAL_ONLY[path])
            if keyword is None:
                return call
            args = [a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if a is keyword else a
                    for a in call.args]
            self.ctx.fixed("KM251", original, f"{_POSITIONAL_ONLY[path]}= passed positionally")
            return call.with_changes(args=args)
        touched = set(spec.renames) | set(spec.drops)
        positional = callargs.positionals(call)
        needs_binding = any(spec.params[i] in touched for i in range(min(len(positional), len(spec.params))))
        if not (set(keywords) & touched) and not needs_binding and not spec.pad:
            return call
        result = call
        if needs_binding or set(keywords) & touched:
            result = callargs.bind_positionals(call, spec.params, keep=_leading_kept(spec, touched))
        for name in spec.drops:
            if callargs.keyword(result, name) is not None:
                result = callargs.remove_keyword(result, name)
                notes.append(f"dropped {name}=")
        for old, new in spec.renames.items():
            arg = callargs.keyword(result, old)
            if arg is None:
                continue
            if old == "dim_ordering":
                value = arg.value
                if isinstance(value, cst.SimpleString) and value.evaluated_value == "default":
                    result = callargs.remove_keyword(result, old)
                    notes.append("dropped dim_ordering='default'")
                    continue
                result = callargs.replace_value(result, old, _map_ordering(value) or _mapping_expression(value))
            result = callargs.rename_keyword(result, old, new)
            notes.append(f"{old}= -> {new}=")
        if spec.pad:
            result = self._padding(result, spec.pad, notes)
        if not notes:
            return call
        self.ctx.fixed("KM251", original, "; ".join(notes))
        return result

    def _padding(self, call: cst.Call, kind: str, notes: list[str]) -> cst.Call:
        positional = callargs.positionals(call)
        arg = callargs.keyword(call, "padding") or (positional[1] if len(positional) > 1 else None)
        if arg is None:
            return call
        try:
            value = callargs.literal(arg.value)
        except ValueError:
            return call
        if kind == "1d" and isinstance(value, int) and not isinstance(value, bool):
            new = f"({value}, {value})"
        elif kind == "2d" and isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, int) for v in value
        ):
            new = f"(({value[0]}, {value[0]}), ({value[1]}, {value[1]}))"
        else:
            return call
        args = [a.with_changes(value=cst.parse_expression(new)) if a is arg else a for a in call.args]
        notes.append(f"padding={new}")
        return call.with_changes(args=args)

    def _batch_normalization(self, original: cst.Call, call: cst.Call) -> cst.Call:
        positional = callargs.positionals(call)
        if len(positional) < 6 or not self.ctx.allows("KM251"):
            return call
        version, assumed = self.ctx.settings.legacy_version
        if assumed:
            self.ctx.flag("KM251", original, "the 6th argument of K.batch_normalization is epsilon in "
                          "Keras < 2.1 and axis since: pass it by keyword (epsilon=... or axis=...)")
            return call
        if version >= (2, 1):
            return call
        names = ("x", "mean", "var", "beta", "gamma", "epsilon")
        self.ctx.fixed("KM251", original, "6th argument bound as epsilon= (Keras < 2.1 signature)")
        return callargs.bind_positionals(call, names, keep=5)

    def _crossentropy(self, original: cst.Call, call: cst.Call) -> cst.Call:
        version, assumed = self.ctx.settings.legacy_version
        if assumed or version >= (2, 0, 7):
            return call
        positional = callargs.positionals(call)
        if len(positional) < 2 or not self.ctx.allows("KM252"):
            return call
        args = list(call.args)
        args[0] = args[0].with_changes(value=positional[1].value)
        args[1] = args[1].with_changes(value=positional[0].value)
        self.ctx.fixed("KM252", original, "swapped to (target, output): the order since Keras 2.0.7")
        return call.with_changes(args=args)

    # -- method calls: compile(metrics=), flow(X=) --------------------------------------------------
    def _methods(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or not self.ctx.involves_keras:
            return call
        name = func.attr.value
        if not self.ctx.keras_receiver(func.value, name, original):
            return call
        if name == "compile":
            metrics = callargs.keyword(call, "metrics")
            if metrics is not None and isinstance(metrics.value, (cst.List, cst.Tuple)):
                found = [e.value.evaluated_value for e in metrics.value.elements
                         if isinstance(e.value, cst.SimpleString) and e.value.evaluated_value in _KERAS1_METRICS]
                if found and self.ctx.allows("KM243"):
                    self.ctx.flag("KM243", original, f"Keras 1 batch-wise metrics {', '.join(found)} are "
                                  "gone or mean stateful global metrics now: use tf.keras.metrics.Precision(), "
                                  "Recall() or F1Score(), or keep a local copy of the Keras 1 function")
        elif name in ("flow",) and callargs.keyword(call, "X") is not None and self._imports_image_preprocessing():
            if self.ctx.allows("KM249"):
                self.ctx.fixed("KM249", original, "flow(X=) -> flow(x=)")
                return callargs.rename_keyword(call, "X", "x")
        elif name == "get_output_shape_for" and self._layer_classes and self._layer_classes[-1]:
            if self.ctx.allows("KM253"):
                self.ctx.fixed("KM253", original, "get_output_shape_for -> compute_output_shape")
                return call.with_changes(func=call.func.with_changes(attr=cst.Name("compute_output_shape")))  # type: ignore[attr-defined]
        return call

    def _imports_image_preprocessing(self) -> bool:
        return any("preprocessing" in b[0].qualified for b in self.ctx.resolver.bindings.values()) or bool(
            self.ctx.resolver.star_modules
        )

    # -- custom layers (B53) ----------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        is_layer = False
        for base in node.bases:
            api = self.ctx.api(base.value)
            if api is not None and api.path in ("layers.Layer", "engine.Layer", "engine.topology.Layer"):
                is_layer = True
        self._layer_classes.append(is_layer)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self._layer_classes.pop()
        return updated

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        if not self._layer_classes or not self._layer_classes[-1]:
            return updated
        if original.name.value != "get_output_shape_for" or not self.ctx.allows("KM253"):
            return updated
        self.ctx.fixed("KM253", original, "get_output_shape_for -> compute_output_shape")
        return updated.with_changes(name=cst.Name("compute_output_shape"))

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if not self._layer_classes or not self._layer_classes[-1]:
            return updated
        for target in original.targets:
            t = target.target
            if not m.matches(t, m.Attribute(value=m.Name("self"))):
                continue
            attr = t.attr.value  # type: ignore[attr-defined]
            if attr in ("regularizers", "constraints"):  # weight lists: KM609 (keras1_internals)
                if self.ctx.allows("KM253"):
                    self.ctx.flag("KM253", original, f"self.{attr} cannot be assigned in Keras 3: create "
                                  "each weight with self.add_weight(name=..., shape=..., initializer=..., "
                                  "regularizer=..., constraint=..., trainable=...) and drop this list")
                return updated
        return updated

    # -- layer weight attributes (B54) --------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = original.attr.value
        if attr not in _LAYER_ATTRS and attr not in _LAYER_ATTRS_FLAGGED:
            return updated
        kind = self.ctx.kind_of(original.value)
        if kind is not Kind.LAYER and (not _visibly_a_layer(original.value) or kind.is_not_keras):
            return updated
        if not self.ctx.involves_keras:
            return updated
        if not self.ctx.allows("KM254"):
            return updated
        if attr in _LAYER_ATTRS:
            self.ctx.fixed("KM254", original, f".{attr} -> .{_LAYER_ATTRS[attr]}")
            return updated.with_changes(attr=cst.Name(_LAYER_ATTRS[attr]))
        self.ctx.flag("KM254", original, f".{attr} is gone: use {_LAYER_ATTRS_FLAGGED[attr]}, or "
                      "layer.get_weights()/set_weights()")
        return updated


def _leaf(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    return None


def _visibly_a_layer(node: cst.BaseExpression) -> bool:
    """``x.layers[i]`` or ``x.get_layer(...)``."""
    return m.matches(node, m.Subscript(value=m.Attribute(attr=m.Name("layers")))) or m.matches(
        node, m.Call(func=m.Attribute(attr=m.Name("get_layer")))
    )


def _leading_kept(spec: _BackendCall, touched: set[str]) -> int:
    keep = 0
    for name in spec.params:
        if name in touched:
            break
        keep += 1
    return keep


def _ordering_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value in DIM_ORDERING


def _map_ordering(node: cst.BaseExpression) -> cst.BaseExpression | None:
    if not _ordering_literal(node):
        return None
    quote = node.quote  # type: ignore[attr-defined]
    return node.with_changes(value=f"{quote}{DIM_ORDERING[node.evaluated_value]}{quote}")  # type: ignore[attr-defined]


def _mapping_expression(node: cst.BaseExpression) -> cst.BaseExpression:
    return cst.parse_expression(
        f"{{'th': 'channels_first', 'tf': 'channels_last'}}.get({code(node)}, {code(node)})"
    )




FIXER = Keras1ApiFixer
