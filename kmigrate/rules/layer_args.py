"""KM2xx: Keras 1 -> 2 layer constructor arguments and removed layer classes (catalog group B).

Keras 2.0-2.3 accepted Keras 1 arguments through ``keras/legacy/interfaces.py``; tf.keras has
no such shim, so each call to a legacy layer is converted the way the shim did it, from the
table in ``layer_args_table``: first the positional arguments (extra ones are Keras 1 code and
are bound to the Keras 1 signature; ``Convolution2D(32, 3, 3)`` folds the kernel into a tuple,
because in tf.keras it silently means strides 3), then the preprocessors that need code, then
the keyword renames and value maps.  Only names that resolve to standalone Keras are touched;
the positional meanings apply to standalone Keras only (TensorFlow's own Keras copy never had
the shim).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import ClassVar, Sequence

import libcst as cst

from kmigrate import callargs
from kmigrate.context import Api
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.layer_args_table import (
    ADD_WEIGHT_NAME_FIRST,
    ADD_WEIGHT_SHAPE_FIRST,
    CONSUME_LESS,
    DIM_ORDERING,
    HANDLED,
    LAYERS,
    MODEL_PATHS,
    MODEL_SPEC,
    REMOVED,
    TDD_KERAS1,
    TIME_DISTRIBUTED_DENSE,
    WRAPPER_KEYWORDS,
    LayerSpec,
)

SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG
_SHIM = "Keras 2.0-2.3 converted this at run time (keras/legacy/interfaces.py); tf.keras has no shim."

RULES = (
    Rule("KM201", "dense-args", "Keras 1 `Dense` arguments become their Keras 2 names.",
         "Dense(output_dim=64, init='he_normal', W_regularizer=l2(1e-4), bias=False)",
         "Dense(units=64, kernel_initializer='he_normal', kernel_regularizer=l2(1e-4), use_bias=False)",
         SAFE, _SHIM, ("B01",)),
    Rule("KM202", "dropout-rate", "`p=` of Dropout, GaussianDropout and SpatialDropout* is `rate=`.",
         "Dropout(p=0.5)\nSpatialDropout2D(p=0.2, dim_ordering='th')",
         "Dropout(rate=0.5)\nSpatialDropout2D(rate=0.2, data_format='channels_first')",
         SAFE, _SHIM, ("B02",)),
    Rule("KM203", "embedding-args", "Keras 1 `Embedding` arguments become their Keras 2 names; "
         "`dropout=` is dropped.",
         "Embedding(1000, 64, init='uniform', W_regularizer=r, dropout=0.2)",
         "Embedding(1000, 64, embeddings_initializer='uniform', embeddings_regularizer=r)",
         CONTEXT, "Keras 2 ignored `dropout` (with a warning), so dropping it keeps Keras 2 "
         "behaviour; Keras 1 dropped whole words, so unless the code is known to run on Keras 2 "
         "the line is also marked: add SpatialDropout1D after the layer to get dropout back.",
         ("B03",)),
    Rule("KM204", "pooling1d-args", "`pool_length=`, `stride=`, `border_mode=` of 1D pooling "
         "become `pool_size=`, `strides=`, `padding=`.",
         "MaxPooling1D(pool_length=2, stride=None, border_mode='valid')",
         "MaxPooling1D(pool_size=2, strides=None, padding='valid')", SAFE, _SHIM, ("B04",)),
    Rule("KM205", "prelu-init", "`PReLU(init=)` is `alpha_initializer=`.",
         "PReLU(init='zero')", "PReLU(alpha_initializer='zero')", SAFE, _SHIM, ("B05",)),
    Rule("KM206", "gaussiannoise-sigma", "`GaussianNoise(sigma=)` is `stddev=`.",
         "GaussianNoise(sigma=0.1)", "GaussianNoise(stddev=0.1)", SAFE, _SHIM, ("B06",)),
    Rule("KM207", "recurrent-args", "Keras 1 `LSTM`/`GRU`/`SimpleRNN` arguments become their "
         "Keras 2 names; `consume_less=` is dropped.",
         "LSTM(output_dim=64, inner_init='orthogonal', inner_activation='hard_sigmoid', "
         "dropout_W=0.2, dropout_U=0.2, consume_less='gpu')",
         "LSTM(units=64, recurrent_initializer='orthogonal', recurrent_activation='hard_sigmoid', "
         "dropout=0.2, recurrent_dropout=0.2)",
         SAFE, "consume_less only picked an implementation (same numbers); Keras 3 ignores "
         "`implementation` and rejects consume_less. Under --target tf_keras it becomes "
         "`implementation=` as Keras 2 did.", ("B07",)),
    Rule("KM208", "recurrent-preprocessor", "`forget_bias_init='one'` is `unit_forget_bias=True`; "
         "`input_dim=`/`input_length=` of recurrent layers become `input_shape=`.",
         "LSTM(32, forget_bias_init='one', input_dim=8, input_length=10)",
         "LSTM(32, unit_forget_bias=True, input_shape=(10, 8))",
         SAFE, "As Keras 2's recurrent_args_preprocessor did. Keras 3 reads a bare input_dim as "
         "input_shape=(input_dim,), the wrong rank for a sequence layer. Other forget_bias_init "
         "values were ignored by Keras 2 and are dropped (marked when the code may be Keras 1).",
         ("B08",)),
    Rule("KM209", "pooling2d3d-args", "`border_mode=` and `dim_ordering=` of 2D/3D pooling "
         "become `padding=` and `data_format=`.",
         "MaxPooling2D(pool_size=(2, 2), border_mode='same', dim_ordering='th')",
         "MaxPooling2D(pool_size=(2, 2), padding='same', data_format='channels_first')",
         SAFE, _SHIM, ("B09",)),
    Rule("KM210", "global-pooling-dim-ordering", "`dim_ordering=` of global pooling is "
         "`data_format=` (the rewrite is reported as KM229).",
         "GlobalAveragePooling2D(dim_ordering='tf')",
         "GlobalAveragePooling2D(data_format='channels_last')", SAFE, _SHIM + " Global pooling's only "
         "legacy argument is dim_ordering, whose conversion every layer shares: KM229.", ("B10",)),
    Rule("KM211", "upsampling-args", "`UpSampling1D(length=)` is `size=`; `dim_ordering=` is "
         "`data_format=`.",
         "UpSampling1D(length=2)\nUpSampling2D(size=(2, 2), dim_ordering='th')",
         "UpSampling1D(size=2)\nUpSampling2D(size=(2, 2), data_format='channels_first')",
         SAFE, _SHIM, ("B11",)),
    Rule("KM212", "conv1d-args", "Keras 1 `Convolution1D` arguments become their Keras 2 names; "
         "`input_dim=`/`input_length=` become `input_shape=`.",
         "Convolution1D(nb_filter=64, filter_length=3, subsample_length=1, border_mode='same', "
         "input_dim=100, input_length=50)",
         "Convolution1D(filters=64, kernel_size=3, strides=1, padding='same', input_shape=(50, 100))",
         SAFE, _SHIM, ("B12",)),
    Rule("KM213", "conv2d-kwargs", "Keras 1 `Convolution2D` keyword arguments become their "
         "Keras 2 names.",
         "Convolution2D(64, (3, 3), subsample=(2, 2), border_mode='same', init='he_normal', bias=False)",
         "Convolution2D(64, (3, 3), strides=(2, 2), padding='same', kernel_initializer='he_normal', "
         "use_bias=False)", SAFE, _SHIM, ("B13",)),
    Rule("KM214", "conv2d-positional-kernel", "The Keras 1 kernel `Convolution2D(32, 3, 3)` "
         "(or `nb_row=`/`nb_col=`) becomes the tuple `(3, 3)`.",
         "Convolution2D(32, 3, 3)\nConv2D(32, nb_row=3, nb_col=3)",
         "Convolution2D(32, (3, 3))\nConv2D(32, kernel_size=(3, 3))",
         SAFE, "In tf.keras `Conv2D(32, 3, 3)` is valid and means kernel 3 with strides 3: the "
         "fold must happen. Also for Deconvolution2D, SeparableConvolution2D, "
         "AtrousConvolution2D, LocallyConnected2D and ConvLSTM2D.", ("B14",)),
    Rule("KM215", "separable-conv2d-args", "Keras 1 `SeparableConvolution2D` arguments; `init=` "
         "sets both the depthwise and the pointwise initializer.",
         "SeparableConvolution2D(64, 3, 3, init='he_normal', border_mode='same')",
         "SeparableConvolution2D(64, (3, 3), depthwise_initializer='he_normal', "
         "pointwise_initializer='he_normal', padding='same')", SAFE, _SHIM, ("B15",)),
    Rule("KM216", "deconv2d-args", "Keras 1 `Deconvolution2D` arguments; `output_shape` is "
         "dropped.",
         "Conv2DTranspose(64, 3, 3, output_shape=(None, 14, 14, 64), subsample=(2, 2))",
         "Conv2DTranspose(64, (3, 3), strides=(2, 2))",
         SAFE, "Keras 2 dropped output_shape too and inferred the size; if the old shape was not "
         "the inferred one, add output_padding=.", ("B16",)),
    Rule("KM217", "conv3d-args", "Keras 1 `Convolution3D` arguments; `(32, 3, 3, 3)` and "
         "`kernel_dim1..3` become a kernel tuple.",
         "Convolution3D(32, 3, 3, 3, border_mode='same')",
         "Convolution3D(32, (3, 3, 3), padding='same')", SAFE,
         "Same silent-strides hazard as KM214.", ("B17",)),
    Rule("KM218", "convlstm2d-args", "Keras 1 `ConvLSTM2D` arguments become their Keras 2 names.",
         "ConvLSTM2D(nb_filter=40, nb_row=3, nb_col=3, inner_init='orthogonal', forget_bias_init='one')",
         "ConvLSTM2D(filters=40, kernel_size=(3, 3), recurrent_initializer='orthogonal', "
         "unit_forget_bias=True)", SAFE, _SHIM, ("B18",)),
    Rule("KM219", "batchnorm-args", "`BatchNormalization(mode=0, beta_init=, gamma_init=)` "
         "loses `mode` and renames the initializers; other modes are marked.",
         "BatchNormalization(mode=0, axis=1, beta_init='zero', gamma_init='one')",
         "BatchNormalization(axis=1, beta_initializer='zero', gamma_initializer='one')",
         CONTEXT, "mode=0 is the only mode Keras 2 kept; mode=1/2 have no equivalent and are "
         "marked.", ("B19",)),
    Rule("KM220", "zeropadding2d-padding", "Keras 1 `ZeroPadding2D` padding dicts and 4-tuples "
         "become `((top, bottom), (left, right))`.",
         "ZeroPadding2D(padding=(1, 2, 0, 1))",
         "ZeroPadding2D(padding=((1, 2), (0, 1)))", SAFE,
         "Keras 1 read a 4-tuple as (top, bottom, left, right); tf.keras rejects it.", ("B20",)),
    Rule("KM221", "padding-cropping-dim-ordering", "`dim_ordering=` of ZeroPadding3D and "
         "Cropping2D/3D is `data_format=`.",
         "Cropping2D(cropping=((1, 1), (2, 2)), dim_ordering='tf')",
         "Cropping2D(cropping=((1, 1), (2, 2)), data_format='channels_last')", SAFE, _SHIM, ("B21",)),
    Rule("KM222", "lambda-positional-arguments", "A third positional argument of `Lambda` is "
         "Keras 1 `arguments=`.",
         "Lambda(fn, out_shape, {'k': 2})",
         "Lambda(fn, out_shape, arguments={'k': 2})", SAFE,
         "Keras 2 inserted `mask` as the third parameter.", ("B22",)),
    Rule("KM224", "model-inputs-outputs", "`Model(input=, output=)` is `Model(inputs=, outputs=)`.",
         "Model(input=x, output=y)", "Model(inputs=x, outputs=y)", SAFE, _SHIM, ("B24",)),
    Rule("KM225", "inputlayer-input-dtype", "`InputLayer(input_dtype=)` is `dtype=`.",
         "InputLayer(input_shape=(8,), input_dtype='int32')",
         "InputLayer(input_shape=(8,), dtype='int32')", SAFE, _SHIM, ("B25",)),
    Rule("KM226", "add-weight-positional", "Positional `self.add_weight(...)` arguments of custom "
         "layers become keywords.",
         "self.W = self.add_weight('W', (input_dim, self.units), initializer='glorot_uniform')",
         "self.W = self.add_weight(name='W', shape=(input_dim, self.units), initializer='glorot_uniform')",
         CONTEXT, "Keras 1/2.0.0 took (shape, initializer, name, ...), 2.0.9+ (name, shape, ...), "
         "Keras 3 only keywords. A string first argument is the name, a shape tuple the shape; "
         "anything else is marked.", ("B26",)),
    Rule("KM228", "keras1-extra-positionals", "Positional arguments Keras 2 did not accept are "
         "Keras 1 code and become keywords of the Keras 1 signature.",
         "Dense(64, 'he_normal')\nLSTM(32, 'glorot_uniform', 'orthogonal')",
         "Dense(64, kernel_initializer='he_normal')\n"
         "LSTM(32, kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal')",
         SAFE, "Keras 2 raised for these; tf.keras accepts them with another meaning "
         "(LSTM's second positional is activation).", ("B28",)),
    Rule("KM229", "dim-ordering-values", "`dim_ordering='th'|'tf'|'default'` is "
         "`data_format='channels_first'|'channels_last'|(default)`.",
         "Convolution2D(32, (3, 3), dim_ordering='th')",
         "Convolution2D(32, (3, 3), data_format='channels_first')", CONTEXT,
         "Literal values are mapped; `K.image_dim_ordering()` becomes `K.image_data_format()`; "
         "other values are renamed and marked.", ("B29",)),
    Rule("KM234", "atrous-convolution", "`AtrousConvolution1D/2D` are `Conv1D`/`Conv2D` with "
         "`dilation_rate=`.",
         "AtrousConvolution2D(64, 3, 3, atrous_rate=(2, 2), border_mode='same')",
         "Conv2D(64, (3, 3), dilation_rate=(2, 2), padding='same')", SAFE,
         "Keras 2's AtrousConvolution factories did exactly this.", ("B34",)),
    Rule("KM235", "timedistributeddense", "`TimeDistributedDense` is `TimeDistributed(Dense(...))`.",
         "TimeDistributedDense(64, input_dim=16, input_length=10, activation='relu')",
         "TimeDistributed(Dense(64, activation='relu'), input_shape=(10, 16))", SAFE,
         "Same computation and the same (kernel, bias) weights per time step.", ("B35",)),
    Rule("KM236", "highway-maxoutdense", "`Highway` and `MaxoutDense` have no tf.keras equivalent.",
         "Highway(activation='relu')",
         "# kmigrate: KM236 ... (a small custom layer)", FLAG,
         "Removed in Keras 2.0 (kept in keras.legacy until 2.3); the weight layout of a "
         "replacement differs.", ("B36",)),
    Rule("KM237", "srelu-parametricsoftplus", "`SReLU` and `ParametricSoftplus` have no tf.keras "
         "equivalent.",
         "SReLU()", "# kmigrate: KM237 ... (port as a custom layer)", FLAG,
         "Removed in Keras 2.0 (moved to keras-contrib).", ("B37",)),
    Rule("KM238", "removed-conv-aliases", "`Deconvolution2D`/`Deconv2D`/`Deconvolution3D`/"
         "`Deconv3D` are `Conv2DTranspose`/`Conv3DTranspose`.",
         "Deconvolution2D(64, (3, 3), strides=(2, 2))",
         "Conv2DTranspose(64, (3, 3), strides=(2, 2))", SAFE,
         "The names were aliases in Keras 2 and are gone from tf.keras; AtrousConv1D/2D are "
         "KM234.", ("B38",)),
    Rule("KM239", "surviving-aliases", "`Convolution1D/2D/3D`, `SeparableConvolution2D`, "
         "`MaxPool2D`, ... still exist in tf.keras and are kept.",
         "Convolution2D(32, 3, 3)", "Convolution2D(32, (3, 3))", SAFE,
         "Informational: kmigrate converts these aliases' arguments (KM213/KM214, ...) and keeps "
         "the name the file imports, so no import is left behind. It never fires by itself.",
         ("B39",)),
)

_KEYWORD_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


class _Edit:
    """What one call's conversion did: fixes per rule, and findings."""

    def __init__(self) -> None:
        self.fixes: dict[str, list[str]] = {}
        self.flags: list[tuple[str, str]] = []

    def fix(self, rule: str, message: str) -> None:
        self.fixes.setdefault(rule, []).append(message)

    def flag(self, rule: str, message: str) -> None:
        self.flags.append((rule, message))


@dataclass
class LayerArgsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = HANDLED

    _classes: list[bool] = field(default_factory=list)  # enclosing classes: Keras layer subclass?
    _layer_classes: set[str] = field(default_factory=set)

    # -- custom layers (add_weight) -----------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        is_layer = any(self._is_layer_base(arg.value) for arg in node.bases if arg.keyword is None)
        if is_layer:
            self._layer_classes.add(node.name.value)
        self._classes.append(is_layer)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        if self._classes:
            self._classes.pop()
        return updated

    def _is_layer_base(self, base: cst.BaseExpression) -> bool:
        if isinstance(base, cst.Name):
            if base.value in self._layer_classes:
                return True
            if hasattr(builtins, base.value):
                return False  # `object` is not keras.layers.object, star import or not
        api = self.ctx.api(base)
        if api is None or not api.legacy or not api.leaf[:1].isupper():
            return False
        return api.path.startswith(("layers.", "legacy.layers.")) or api.path in MODEL_PATHS

    # -- calls --------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "add_weight"
            and isinstance(func.value, cst.Name)
            and func.value.value == "self"
            and self._classes
            and self._classes[-1]
        ):
            return self._add_weight(original, updated)
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return updated
        api = self.ctx.api(func)
        if api is None or not api.legacy:
            return updated
        path = api.path
        spec = LAYERS.get(path)
        if spec is not None:
            return self._layer(original, updated, api, spec)
        if path in MODEL_PATHS:
            return self._layer(original, updated, api, MODEL_SPEC)
        if path in TIME_DISTRIBUTED_DENSE:
            return self._time_distributed_dense(original, updated, api)
        removed = REMOVED.get(path)
        if removed is not None and self.ctx.allows(removed[0]):
            self.ctx.flag(removed[0], original, removed[1])
        return updated

    # -- one layer call ------------------------------------------------------------------
    def _layer(self, original: cst.Call, updated: cst.Call, api: Api, spec: LayerSpec) -> cst.Call:
        edit = _Edit()
        call = self._convert(original, updated, spec, _standalone(api), edit)
        if spec.replace is not None and self.ctx.allows(spec.replace_rule or spec.rule):
            new_func = self.ctx.imports.reference(spec.replace)
            call = call.with_changes(func=new_func)
            edit.fix(spec.replace_rule or spec.rule, f"`{api.leaf}` -> `{_code(new_func)}`")
        self._report(original, edit)
        return call

    def _convert(self, original: cst.Call, call: cst.Call, spec: LayerSpec, standalone: bool,
                 edit: _Edit) -> cst.Call:  # fmt: skip
        steps = spec.steps
        if standalone and spec.positionals is not None:
            if callargs.has_star_args(call):
                if len(callargs.positionals(call)) > spec.positionals:
                    edit.flag("KM228", "positional arguments before *args: bind them by keyword "
                              "(Keras 1 and tf.keras give them different meanings)")
            else:
                call = self._extra_positionals(call, spec, edit)
                if "fold2d" in steps:
                    call = self._fold_kernel(call, ("nb_row", "nb_col"), "KM214", edit)
                elif "fold3d" in steps:
                    call = self._fold_kernel(call, ("kernel_dim1", "kernel_dim2", "kernel_dim3"), "KM217", edit)
        if "separable_init" in steps:
            call = self._separable_init(call, edit)
        if "output_shape" in steps:
            call = self._drop(call, "output_shape", "KM216", "`output_shape=` dropped (tf.keras infers "
                              "the size; add output_padding= if it differs)", edit)
        if "recurrent" in steps or "forget_bias" in steps:
            call = self._forget_bias(call, "KM218" if "forget_bias" in steps else "KM208", edit)
        if "recurrent" in steps:
            call = self._consume_less(call, edit)
            call = self._input_dim(call, "KM208", edit)
        if "input_dim" in steps:
            call = self._input_dim(call, "KM212", edit)
        if "embedding_dropout" in steps:
            call = self._embedding_dropout(call, edit)
        if "batchnorm_mode" in steps:
            call = self._batchnorm_mode(call, edit)
        if "padding2d" in steps:
            call = self._padding2d(call, edit)
        return self._renames(original, call, spec, edit)

    def _report(self, original: cst.CSTNode, edit: _Edit) -> None:
        for rule, messages in edit.fixes.items():
            self.ctx.fixed(rule, original, "; ".join(messages))
        for rule, message in edit.flags:
            if self.ctx.allows(rule):
                self.ctx.flag(rule, original, message)

    # -- positional arguments ------------------------------------------------------------
    def _extra_positionals(self, call: cst.Call, spec: LayerSpec, edit: _Edit) -> cst.Call:
        """Bind positionals Keras 2 would have rejected to the Keras 1 signature (B28)."""
        limit = spec.positionals or 0
        if "fold2d" in spec.steps:
            limit = 3  # (filters, rows, cols): folded below
        elif "fold3d" in spec.steps:
            limit = 4
        count = len(callargs.positionals(call))
        if count <= limit:
            return call
        rule = "KM222" if spec.rule == "KM222" else "KM228"
        if not self.ctx.allows(rule):
            return call
        if count > len(spec.keras1):
            edit.flag(rule, f"more positional arguments than the legacy signature has "
                      f"({', '.join(spec.keras1)}): check this call")  # fmt: skip
            return call
        names = spec.keras1[limit:count]
        call = callargs.bind_positionals(call, spec.keras1, keep=limit)
        edit.fix(rule, "Keras 1 positional arguments bound to " + ", ".join(f"`{n}=`" for n in names))
        return call

    def _fold_kernel(self, call: cst.Call, dims: tuple[str, ...], rule: str, edit: _Edit) -> cst.Call:
        """``Conv2D(32, 3, 3)`` / ``nb_row=, nb_col=`` -> a kernel tuple, as Keras 2 did."""
        if not self.ctx.allows(rule):
            return call
        rank = len(dims)
        args = list(call.args)
        positional = callargs.positionals(call)
        count = len(positional)
        given = callargs.keywords(call)
        if count == rank + 1:
            # (filters, k1, ..., kN): all kernel dimensions positional.
            parts = [a.value for a in positional[1:]]
            if any(_is_non_int_literal(v) for v in parts):
                edit.flag(rule, "legacy Keras rejected these positional arguments: pass "
                          "kernel_size=(...) and strides= by keyword")
                return call
            folded = positional[1].with_changes(value=_tuple(parts), comma=positional[-1].comma)
            args[1 : rank + 1] = [folded]
            edit.fix(rule, f"kernel `{', '.join(_code(v) for v in parts)}` -> `{_code(folded.value)}`")
            return call.with_changes(args=args)
        if 2 <= count <= rank:
            # Leading kernel dimensions positional, the rest by keyword.
            missing = dims[count - 1 :]
            if not all(d in given for d in missing):
                return call
            parts = [a.value for a in positional[1:]] + [given[d].value for d in missing]
            folded = positional[1].with_changes(value=_tuple(parts), comma=positional[-1].comma)
            args[1:count] = [folded]
            call = callargs.remove_args(call.with_changes(args=args), [given[d] for d in missing])
            edit.fix(rule, f"kernel -> `{_code(folded.value)}`")
            return call
        if count <= 1 and all(d in given for d in dims):
            parts = [given[d].value for d in dims]
            first = given[dims[0]]
            replaced = first.with_changes(keyword=cst.Name("kernel_size"), value=_tuple(parts))
            args = [replaced if a is first else a for a in args]
            call = callargs.remove_args(call.with_changes(args=args), [given[d] for d in dims[1:]])
            edit.fix(rule, f"{', '.join(f'`{d}=`' for d in dims)} -> `kernel_size={_code(replaced.value)}`")
            return call
        return call

    # -- preprocessors ------------------------------------------------------------------
    def _separable_init(self, call: cst.Call, edit: _Edit) -> cst.Call:
        init = callargs.keyword(call, "init")
        if init is None or not self.ctx.allows("KM215"):
            return call
        given = callargs.keywords(call)
        if "depthwise_initializer" in given or "pointwise_initializer" in given:
            edit.flag("KM215", "both `init=` and depthwise_/pointwise_initializer= given (legacy Keras "
                      "raised here): keep one")
            return call
        depthwise = init.with_changes(keyword=cst.Name("depthwise_initializer"), comma=_COMMA)
        pointwise = init.with_changes(keyword=cst.Name("pointwise_initializer"))
        args: list[cst.Arg] = []
        for arg in call.args:
            args.extend([depthwise, pointwise] if arg is init else [arg])
        edit.fix("KM215", "`init=` -> `depthwise_initializer=` and `pointwise_initializer=`")
        return call.with_changes(args=args)

    def _drop(self, call: cst.Call, name: str, rule: str, message: str, edit: _Edit) -> cst.Call:
        if callargs.keyword(call, name) is None or not self.ctx.allows(rule):
            return call
        edit.fix(rule, message)
        return callargs.remove_keyword(call, name)

    def _forget_bias(self, call: cst.Call, rule: str, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "forget_bias_init")
        if arg is None or not self.ctx.allows(rule):
            return call
        value = _literal(arg.value)
        if value == "one":
            if callargs.keyword(call, "unit_forget_bias") is not None:
                return callargs.remove_keyword(call, "forget_bias_init")
            edit.fix(rule, "`forget_bias_init='one'` -> `unit_forget_bias=True`")
            new = arg.with_changes(keyword=cst.Name("unit_forget_bias"), value=cst.Name("True"))
            return call.with_changes(args=[new if a is arg else a for a in call.args])
        edit.fix(rule, "`forget_bias_init=` dropped (Keras 2 ignored values other than 'one')")
        if not self._known_keras2():
            if value in ("zero", "zeros"):
                hint = "Keras 1 initialised the forget-gate bias with zeros: add unit_forget_bias=False"
            else:
                hint = (f"Keras 1 initialised the forget-gate bias with {_code(arg.value)}: "
                        "add unit_forget_bias=False and a bias_initializer if that matters")  # fmt: skip
            edit.flag(rule, hint + " (Keras 2 ignored it; tf.keras defaults to unit_forget_bias=True)")
        return callargs.remove_keyword(call, "forget_bias_init")

    def _consume_less(self, call: cst.Call, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "consume_less")
        if arg is None or not self.ctx.allows("KM207"):
            return call
        value = _literal(arg.value)
        if (
            self.ctx.target == "tf_keras"
            and isinstance(value, str)
            and value in CONSUME_LESS
            and callargs.keyword(call, "implementation") is None
        ):
            new = arg.with_changes(keyword=cst.Name("implementation"), value=cst.Integer(str(CONSUME_LESS[value])))
            edit.fix("KM207", f"`consume_less={value!r}` -> `implementation={CONSUME_LESS[value]}`")
            return call.with_changes(args=[new if a is arg else a for a in call.args])
        edit.fix("KM207", "`consume_less=` dropped (it only chose an implementation)")
        return callargs.remove_keyword(call, "consume_less")

    def _input_dim(self, call: cst.Call, rule: str, edit: _Edit) -> cst.Call:
        dim = callargs.keyword(call, "input_dim")
        if dim is None or not self.ctx.allows(rule):
            return call
        given = callargs.keywords(call)
        if "input_shape" in given or "batch_input_shape" in given:
            return call
        length = given.get("input_length")
        length_value = length.value if length is not None else cst.Name("None")
        shape = _tuple([length_value, dim.value])
        new = dim.with_changes(keyword=cst.Name("input_shape"), value=shape)
        call = call.with_changes(args=[new if a is dim else a for a in call.args])
        if length is not None:
            call = callargs.remove_args(call, [length])
        edit.fix(rule, f"`input_dim=`{'/`input_length=`' if length is not None else ''} -> "
                 f"`input_shape={_code(shape)}`")  # fmt: skip
        return call

    def _embedding_dropout(self, call: cst.Call, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "dropout")
        if arg is None or not self.ctx.allows("KM203"):
            return call
        edit.fix("KM203", "`dropout=` dropped (Keras 2 ignored it)")
        value = _literal(arg.value)
        if value not in (0, 0.0, None) and not self._known_keras2():
            edit.flag("KM203", f"add SpatialDropout1D({_code(arg.value)}) after this layer if the code relied "
                      f"on it; Keras 1 Embedding(dropout={_code(arg.value)}) dropped whole words, Keras 2 "
                      "ignored it")  # fmt: skip
        return callargs.remove_keyword(call, "dropout")

    def _batchnorm_mode(self, call: cst.Call, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "mode")
        if arg is None or not self.ctx.allows("KM219"):
            return call
        value = _literal(arg.value)
        if value == 0 and not isinstance(value, bool):
            edit.fix("KM219", "`mode=0` dropped (the only mode Keras 2 kept)")
            return callargs.remove_keyword(call, "mode")
        edit.flag("KM219", f"BatchNormalization(mode={_code(arg.value)}) has no tf.keras equivalent "
                  "(Keras 2 rejected mode=1/2): mode=0 is BatchNormalization(); mode=2 (batch statistics "
                  "also at inference) needs a custom layer calling BatchNormalization with training=True")  # fmt: skip
        return call

    def _padding2d(self, call: cst.Call, edit: _Edit) -> cst.Call:
        if not self.ctx.allows("KM220"):
            return call
        arg = callargs.keyword(call, "padding")
        if arg is None:
            positional = callargs.positionals(call)
            arg = positional[0] if positional else None
        if arg is None:
            return call
        value = arg.value
        pairs: list[cst.BaseExpression] | None = None
        if isinstance(value, cst.Dict):
            keys = ("top_pad", "bottom_pad", "left_pad", "right_pad")
            found: dict[str, cst.BaseExpression] = {}
            for element in value.elements:
                if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                    return call
                key = element.key.evaluated_value
                if key not in keys:
                    return call
                found[key] = element.value  # type: ignore[index]
            pairs = [found.get(k, cst.Integer("0")) for k in keys]
        elif isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == 4:
            if any(not isinstance(e, cst.Element) for e in value.elements):
                return call
            pairs = [e.value for e in value.elements]
        if pairs is None:
            return call
        new_value = _tuple([_tuple(pairs[:2]), _tuple(pairs[2:])])
        edit.fix("KM220", f"padding `{_code(value)}` -> `{_code(new_value)}`")
        return call.with_changes(args=[arg.with_changes(value=new_value) if a is arg else a for a in call.args])

    # -- keyword renames and values -----------------------------------------------------------
    def _renames(self, original: cst.Call, call: cst.Call, spec: LayerSpec, edit: _Edit) -> cst.Call:
        if not spec.renames:
            return call
        renames = dict(spec.renames)
        given = callargs.keywords(call)
        originals = _original_values(original, call)
        args = list(call.args)
        removed: list[cst.Arg] = []
        for index, arg in enumerate(args):
            old = arg.keyword.value if arg.keyword is not None else None
            if old not in renames:
                continue
            new = renames[old]
            rule = "KM229" if old == "dim_ordering" else "KM234" if old == "atrous_rate" else spec.rule
            if not self.ctx.allows(rule):
                continue
            if new in given:
                edit.flag(rule, f"both `{old}=` and `{new}=` given (legacy Keras raised here): keep `{new}=`")
                continue
            if old == "dim_ordering":
                replacement = self._dim_ordering(arg, originals.get(id(arg)), edit)
                if replacement is None:
                    removed.append(arg)
                    continue
                args[index] = replacement
                continue
            args[index] = arg.with_changes(keyword=cst.Name(new))
            edit.fix(rule, f"`{old}=` -> `{new}=`")
        call = call.with_changes(args=args)
        if removed:
            call = callargs.remove_args(call, removed)
        return call

    def _dim_ordering(self, arg: cst.Arg, original_value: cst.BaseExpression | None,
                      edit: _Edit) -> cst.Arg | None:  # fmt: skip
        """``dim_ordering=`` as ``data_format=`` (None: drop the argument)."""
        value = arg.value
        renamed = arg.with_changes(keyword=cst.Name("data_format"))
        if isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            if text in DIM_ORDERING:
                mapped = DIM_ORDERING[text]  # type: ignore[index]
                if mapped is None:
                    edit.fix("KM229", "`dim_ordering='default'` dropped (data_format defaults to the "
                             "configured image_data_format)")
                    return None
                edit.fix("KM229", f"`dim_ordering={value.value}` -> `data_format={_quoted(value, mapped)}`")
                return renamed.with_changes(value=cst.SimpleString(_quoted(value, mapped)))
            edit.fix("KM229", "`dim_ordering=` -> `data_format=`")
            return renamed
        probe = original_value if original_value is not None else value
        if isinstance(probe, cst.Call) and not probe.args:
            api = self.ctx.api(probe.func)
            if api is not None and api.path in ("backend.image_dim_ordering", "backend.image_data_format"):
                # Another family may already have turned the call into a 'th'/'tf' expression.
                value = cst.Call(func=self.ctx.imports.reference("backend.image_data_format"))
                edit.fix("KM229", f"`dim_ordering=` -> `data_format={_code(value)}`")
                return renamed.with_changes(value=value)
        edit.fix("KM229", "`dim_ordering=` -> `data_format=`")
        edit.flag("KM229", f"data_format takes 'channels_first'/'channels_last', not 'th'/'tf': check "
                  f"the value of `{_code(value)}` (e.g. K.image_data_format())")  # fmt: skip
        return renamed

    # -- TimeDistributedDense -------------------------------------------------------------
    def _time_distributed_dense(self, original: cst.Call, updated: cst.Call, api: Api) -> cst.BaseExpression:
        rule = "KM235"
        if not self.ctx.allows(rule):
            return updated
        if callargs.has_star_args(updated) or not _standalone(api):
            self.ctx.flag(rule, original, "TimeDistributedDense(...) is TimeDistributed(Dense(...)) in "
                          "tf.keras: rewrite the call, Dense arguments inside, input_shape= outside")
            return updated
        edit = _Edit()
        call = updated
        positional = callargs.positionals(call)
        if len(positional) > 1:
            if len(positional) > len(TDD_KERAS1):
                self.ctx.flag(rule, original, "too many positional arguments for TimeDistributedDense")
                return updated
            call = callargs.bind_positionals(call, TDD_KERAS1, keep=1)
            edit.fix("KM228", "Keras 1 positional arguments bound by keyword")
        wrapper: list[cst.Arg] = []
        dense: list[cst.Arg] = []
        given = callargs.keywords(call)
        for arg in call.args:
            name = arg.keyword.value if arg.keyword is not None else None
            if name in WRAPPER_KEYWORDS:
                wrapper.append(arg)
            elif name == "input_dim":
                if "input_shape" in given or "batch_input_shape" in given:
                    continue
                length = given.get("input_length")
                shape = _tuple([length.value if length is not None else cst.Name("None"), arg.value])
                wrapper.append(arg.with_changes(keyword=cst.Name("input_shape"), value=shape))
            elif name == "input_length":
                if "input_dim" not in given:
                    wrapper.append(arg)  # not convertible alone; tf.keras will say so
            else:
                dense.append(arg)
        dense_spec = LAYERS["layers.Dense"]
        dense_call = cst.Call(func=self.ctx.imports.reference("layers.Dense"), args=_close(dense))
        dense_call = self._renames(dense_call, dense_call, dense_spec, edit)
        outer_args = [cst.Arg(value=dense_call, comma=_COMMA if wrapper else cst.MaybeSentinel.DEFAULT)]
        outer_args += _close(wrapper)
        outer = updated.with_changes(func=self.ctx.imports.reference("layers.TimeDistributed"), args=outer_args)
        edit.fix(rule, "`TimeDistributedDense(...)` -> `TimeDistributed(Dense(...))`")
        self._report(original, edit)
        return outer

    # -- add_weight in custom layers (B26) -------------------------------------------------
    def _add_weight(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        rule = "KM226"
        if not self.ctx.allows(rule):
            return updated
        positional = callargs.positionals(updated)
        if not positional:
            return updated
        if callargs.has_star_args(updated):
            self.ctx.flag(rule, original, "add_weight takes keyword arguments only in tf.keras: "
                          "pass shape=, initializer=, name=, ... by keyword")
            return updated
        given = callargs.keywords(updated)
        first = positional[0].value
        order: Sequence[str] | None = None
        if _is_string(first) or "shape" in given:
            order = ADD_WEIGHT_NAME_FIRST
        elif _looks_like_shape(first) or "name" in given:
            order = ADD_WEIGHT_SHAPE_FIRST
            if len(positional) > 1 and _is_string(positional[1].value) and "initializer" in given:
                # Keras 2.0.9+ read (shape, name) when the first positional was a tuple.
                order = ("shape", "name", *ADD_WEIGHT_SHAPE_FIRST[2:])
        elif "name" in _code(first).lower():
            order = ADD_WEIGHT_NAME_FIRST
        if order is None:
            self.ctx.flag(rule, original, f"is `{_code(first)}` the weight's shape (Keras 1/2.0 order) or its "
                          "name (Keras 2.0.9+)? Pass shape=, name=, initializer= by keyword")  # fmt: skip
            return updated
        if len(positional) > len(order):
            self.ctx.flag(rule, original, "too many positional arguments for add_weight: pass them by keyword")
            return updated
        call = callargs.bind_positionals(updated, order)
        names = ", ".join(f"`{n}=`" for n in order[: len(positional)])
        self.ctx.fixed(rule, original, f"add_weight positional arguments -> {names}")
        return call

    def _known_keras2(self) -> bool:
        version, assumed = self.ctx.settings.legacy_version
        return not assumed and version[:1] >= (2,)


# -- helpers ---------------------------------------------------------------------------------


def _standalone(api: Api) -> bool:
    """Standalone Keras (which had the Keras 1 shim), not TensorFlow's private copy."""
    return api.name.qualified.partition(".")[0] == "keras"


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _literal(node: cst.BaseExpression) -> object:
    try:
        return callargs.literal(node)
    except ValueError:
        return _NOT_LITERAL


class _NotLiteral:
    def __repr__(self) -> str:
        return "<not a literal>"


_NOT_LITERAL = _NotLiteral()


def _tuple(values: Sequence[cst.BaseExpression]) -> cst.Tuple:
    elements = [
        cst.Element(value=v, comma=_COMMA if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT)
        for i, v in enumerate(values)
    ]
    if len(elements) == 1:
        elements[0] = elements[0].with_changes(comma=cst.Comma())
    return cst.Tuple(elements=elements)


def _close(args: list[cst.Arg]) -> list[cst.Arg]:
    """Arguments moved into a new call: no dangling comma after the last one."""
    if args:
        args = [*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return args


def _quoted(original: cst.SimpleString, text: str) -> str:
    quote = original.quote
    prefix = original.prefix.replace("r", "").replace("R", "")
    return f"{prefix}{quote}{text}{quote}"


def _is_string(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _is_non_int_literal(node: cst.BaseExpression) -> bool:
    value = _literal(node)
    return value is not _NOT_LITERAL and (isinstance(value, bool) or not isinstance(value, int))


def _looks_like_shape(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Tuple, cst.List)):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _looks_like_shape(node.left) or _looks_like_shape(node.right)
    return "shape" in _code(node).lower()


def _original_values(original: cst.Call, updated: cst.Call) -> dict[int, cst.BaseExpression]:
    """Original value nodes of ``updated``'s keyword arguments, by identity of the updated Arg."""
    found: dict[int, cst.BaseExpression] = {}
    before = {a.keyword.value: a.value for a in original.args if a.keyword is not None}
    for arg in updated.args:
        if arg.keyword is not None and arg.keyword.value in before:
            found[id(arg)] = before[arg.keyword.value]
    return found


FIXER = LayerArgsFixer
