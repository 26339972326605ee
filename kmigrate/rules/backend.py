"""KM500-KM506, KM511-KM559: the Keras backend (`K.*`, catalog section C.9).

``K`` here is any spelling that resolves to the backend module (``from keras import backend
as K``, ``import keras.backend as K``, ``keras.backend.foo``, ``from keras.backend import foo``,
``keras.backend.tensorflow_backend``, ``tensorflow.keras.backend``).  The 49 names that TF 2.21
lacks are data (``backend_table.py``); this module reads the table and adds the rewrites that
need context: ``K.function`` (a small ``k_function`` helper that builds a sub-model and keeps
the list-in/list-out contract, Sequential models included), the image dim ordering with its
literal values, the learning phase, the allow_growth session idiom.  The semantic rules C-K00..06
cover names that still exist but behave differently (set_value on Keras 3 variables, gradients,
variables inside layers, hard_sigmoid, the tf/np module attributes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst
import libcst.matchers as m

from kmigrate import keras_api
from kmigrate.callargs import bind_positionals, has_star_args, literal, positionals
from kmigrate.rules.backend_table import (
    BUILTIN, CK_IDS, ENTRIES, FLAG, MODULE_ATTRS, OPTIMIZER_RATE_ATTRS, REMOVE, RENAME,
    SEMANTIC_NAMES, SPECIAL, TABLE, TF, VALUE, Entry, rule_id,
)  # fmt: skip
from kmigrate.rules.base import Fixer, FixSafety, Rule

SAFE, CONTEXT, FLAG_ONLY = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

_SAFETY = {RENAME: SAFE, TF: SAFE, BUILTIN: SAFE, REMOVE: SAFE, VALUE: SAFE, SPECIAL: CONTEXT, FLAG: FLAG_ONLY}

SEMANTIC_RULES = (
    Rule("KM500", "backend-name-missing", "A `K.<name>` that no tf.keras backend has and no rule "
         "rewrites is marked.",
         "gpus = K.tensorflow_backend._get_available_gpus()",
         "gpus = K.tensorflow_backend._get_available_gpus()  # kmigrate: KM500 ...",
         FLAG_ONLY, "The 129 Keras 1/2 backend functions that survive keep working after the "
         "import change (KM117); the 49 that are gone have their own rules; anything else "
         "(internal modules, private helpers) has no tf.keras equivalent.", ("C-K00-backend-present",)),
    Rule("KM501", "set-value-on-keras3-variables", "`K.set_value(v, x)` / `K.batch_set_value` "
         "become `v.assign(x)`.",
         "K.set_value(layer.kernel, w)\nK.batch_set_value(list(zip(model.weights, weights)))",
         "layer.kernel.assign(w)\nfor variable, value in list(zip(model.weights, weights)):\n"
         "    variable.assign(value)",
         SAFE, "Keras 3 weights are keras.Variable, on which the legacy set_value raises "
         "(`'str' object has no attribute 'name'`); `assign` works on them and on tf.Variable. "
         "Optimizer learning rates are left to KM308/KM309.", ("C-K01-set-value-on-keras3-variables",),
         tf_keras=False),
    Rule("KM502", "gradients-eager", "`K.gradients` raises under eager execution.",
         "grads = K.gradients(loss, model.trainable_weights)",
         "with tf.GradientTape() as tape:\n    loss = ...\n"
         "grads = tape.gradient(loss, model.trainable_weights)",
         FLAG_ONLY, "The loss has to be recomputed under a GradientTape; where that code is "
         "depends on the program.", ("C-K02-gradients-eager", "D06")),
    Rule("KM503", "variable-tracking", "`K.variable` / `K.update` inside a custom layer are not "
         "tracked or run by Keras 3.",
         "self.W = K.variable(np.zeros((3, 4)))",
         "self.W = self.add_weight(shape=(3, 4), initializer='zeros')",
         FLAG_ONLY, "Keras 3 layers track only their own weights: a bare tf.Variable is not "
         "trained or saved, and graph update ops are not run.", ("C-K03-variable-tracking",),
         tf_keras=False),
    Rule("KM504", "hard-sigmoid-backend", "`K.hard_sigmoid` passed as an activation does not "
         "survive saving.",
         "LSTM(8, recurrent_activation=K.hard_sigmoid)",
         "# a hard_sigmoid registered with tf.keras.utils.register_keras_serializable",
         FLAG_ONLY, "Calling K.hard_sigmoid keeps the legacy formula (it is never rewritten); passed "
         "as an activation, a reloaded model resolves the name 'hard_sigmoid' to Keras 3's "
         "relu6(x+3)/6.", ("C-K04-hard-sigmoid-backend",), tf_keras=False),
    Rule("KM505", "ops-modernisation-traps", "Surviving backend functions are kept, never "
         "'modernised' to keras.ops.",
         "K.switch(c, a, b); K.repeat(x, 3); K.in_top_k(p, t, 1)",
         "K.switch(c, a, b); K.repeat(x, 3); K.in_top_k(p, t, 1)",
         SAFE, "Several same-named keras.ops functions differ in meaning or argument order "
         "(repeat, switch, in_top_k, batch_normalization, relu, shape, hard_sigmoid); "
         "tf.keras.backend keeps the Keras 2 semantics.", ("C-K05-ops-modernisation-traps",)),
    Rule("KM506", "backend-module-attrs", "`K.tf` / `K.np` (modules Keras 2 leaked into the "
         "backend) become `tf` / `np`.",
         "y = K.tf.reduce_max(x)\nz = K.np.float32(1)",
         "y = tf.reduce_max(x)\nz = np.float32(1)",
         SAFE, "tf.keras.backend has no `tf`/`np` attributes (AttributeError); the module is the "
         "same. `K.T` is Theano and is marked.", ("C-K06-backend-module-attrs",)),
)

# Group D rows whose marker a table rule places (D05: learning-phase tricks).
_ALSO_COVERS = {"C-K-learning_phase": ("D05",)}
TABLE_RULES = tuple(
    Rule(CK_IDS[e.catalog], f"backend-{e.name.lower().replace('_', '-')}", e.message.split(":")[0]
         if e.kind in (FLAG, SPECIAL) else e.message, e.before, e.after or "# (statement removed)",
         _SAFETY[e.kind], e.note, (e.catalog, *_ALSO_COVERS.get(e.catalog, ())), tf_keras=e.tf_keras)
    for e in sorted(ENTRIES, key=lambda e: CK_IDS[e.catalog])
)
RULES = SEMANTIC_RULES + TABLE_RULES

_BACKEND_MODULES = frozenset({"backend", "backend.tensorflow_backend", "backend.common", "backend.load_backend"})
_DIM = {"th": "channels_first", "tf": "channels_last"}
_COMPARABLE = (cst.Equal, cst.NotEqual, cst.In, cst.NotIn, cst.Is, cst.IsNot)
_MODEL_FACTORIES = frozenset({"Sequential", "Model", "load_model", "model_from_json", "model_from_yaml",
                              "model_from_config", "clone_model"})  # fmt: skip
_TRAINING_METHODS = frozenset({"fit", "fit_generator", "train_on_batch"})
_TF_INITIALIZERS = frozenset({
    "tensorflow.global_variables_initializer", "tensorflow.initialize_all_variables",
    "tensorflow.local_variables_initializer", "tensorflow.compat.v1.global_variables_initializer",
    "tensorflow.compat.v1.local_variables_initializer", "tensorflow.compat.v1.initialize_all_variables",
})  # fmt: skip
_TF_SESSIONS = frozenset({"tensorflow.Session", "tensorflow.compat.v1.Session", "tensorflow.InteractiveSession",
                          "tensorflow.compat.v1.InteractiveSession"})  # fmt: skip
_TF_CONFIGS = frozenset({"tensorflow.ConfigProto", "tensorflow.compat.v1.ConfigProto"})
_TF_GPU_OPTIONS = frozenset({"tensorflow.GPUOptions", "tensorflow.compat.v1.GPUOptions"})
HELPER_NAME = "k_function"
_SUBMODULES = frozenset({"tensorflow_backend", "common", "load_backend"})
_MISSING_HINTS = {
    "_get_available_gpus": "list the GPUs with `tf.config.list_logical_devices('GPU')`",
    "tensorflow_backend": "its functions are in tf.keras.backend (`K.<name>`) or `tf`",
    "_SESSION": "there are no sessions in TF 2",
}

_HELPER = '''def {name}(inputs, outputs, learning_phase_index=None):
    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it
    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`
    (the `K.learning_phase()` input) is the `training` flag."""
    model = {tf}.keras.Model(inputs, outputs)

    def call(values):
        values = list(values)
        training = False
        if learning_phase_index is not None:
            training = bool(values.pop(learning_phase_index))
        return [tensor.numpy() for tensor in {tf}.nest.flatten(model(values, training=training))]

    return call
'''

_GROWTH = """for {gpu} in {tf}.config.list_physical_devices('GPU'):
    {tf}.config.experimental.set_memory_growth({gpu}, True)
"""


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _is_call_to(ctx, node: cst.CSTNode, name: str) -> bool:  # type: ignore[no-untyped-def]
    return isinstance(node, cst.Call) and backend_name(ctx, node.func) == name


def backend_name(ctx, node: cst.CSTNode) -> str | None:  # type: ignore[no-untyped-def]
    """``foo`` when ``node`` (Name or Attribute) denotes ``<keras backend>.foo``."""
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    if isinstance(node, cst.Attribute):
        module = ctx.resolver.keras_name(node.value)
        if module is None or module.path not in _BACKEND_MODULES:
            return None
        return node.attr.value
    name = ctx.resolver.keras_name(node)
    if name is None:
        return None
    module, _, leaf = name.path.rpartition(".")
    return leaf if module in _BACKEND_MODULES else None


@dataclass
class _Scan(cst.CSTVisitor):
    """What the file shows about names: models, layers, local functions, placeholders, training."""

    ctx: object
    models: set[str] = field(default_factory=set)
    layers: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    tainted: set[str] = field(default_factory=set)  # assigned from K.gradients / K.placeholder
    trains: bool = False
    legacy_ordering_set: bool = False
    uses: dict[str, int] = field(default_factory=dict)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if not isinstance(value, cst.Call):
            return
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        kind = backend_name(self.ctx, value.func)
        if kind in ("gradients", "placeholder"):
            self.tainted.update(names)
            return
        api = self.ctx.api(value.func)  # type: ignore[attr-defined]
        if api is None:
            return
        if api.leaf in _MODEL_FACTORIES:
            self.models.update(names)
        elif api.path.startswith("layers."):
            self.layers.update(names)

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name) and m.matches(node.iter, m.Attribute(attr=m.Name("layers"))):
            self.layers.add(node.target.value)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if isinstance(node.target, cst.Name) and m.matches(node.iter, m.Attribute(attr=m.Name("layers"))):
            self.layers.add(node.target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.add(node.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _TRAINING_METHODS:
            self.trains = True
        if backend_name(self.ctx, node.func) == "set_legacy_weight_ordering":
            self.legacy_ordering_set |= not (
                len(node.args) == 1 and m.matches(node.args[0].value, m.Name("False"))
            )

    def visit_Name(self, node: cst.Name) -> None:
        self.uses[node.value] = self.uses.get(node.value, 0) + 1

    # Keyword names and attribute names are not uses of a variable.
    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.uses[node.keyword.value] = self.uses.get(node.keyword.value, 0) - 1

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.uses[node.attr.value] = self.uses.get(node.attr.value, 0) - 1


@dataclass
class BackendFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    # Names with no tf.keras home whose uses this family rewrites: the import family drops
    # their imports once no use is left, and marks them while one is.
    handles: ClassVar[frozenset[str]] = frozenset(
        f"backend.{e.name}" for e in ENTRIES if e.kind != FLAG
    )

    _scan: _Scan | None = None
    _callees: set[int] = field(default_factory=set)
    _statement_calls: set[int] = field(default_factory=set)  # calls that are a whole statement
    _remove_calls: set[int] = field(default_factory=set)
    _skip_calls: set[int] = field(default_factory=set)
    _strings: dict[int, str] = field(default_factory=dict)  # literal -> mapped value
    _dim_calls: set[int] = field(default_factory=set)  # image_dim_ordering() inside a mapped comparison
    _plan: dict[int, object] = field(default_factory=dict)  # statement -> "remove" | replacement
    _class_depth: int = 0
    _functions: list[cst.FunctionDef] = field(default_factory=list)
    _helper_name: str = HELPER_NAME
    _attribute_parents: dict[int, cst.Attribute] = field(default_factory=dict)

    # -- file-level facts --------------------------------------------------------------------
    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Scan(self.ctx)
        return (self._scan,)

    def visit_Module(self, node: cst.Module) -> None:
        self._helper_name = self._fresh(HELPER_NAME)
        self._plan_block(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._plan_block(node.body)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_depth += 1

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef):  # type: ignore[no-untyped-def]
        self._class_depth -= 1
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):  # type: ignore[no-untyped-def]
        self._functions.pop()
        return updated

    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))
        if backend_name(self.ctx, node.func) in ("function", "Function"):
            # K.learning_phase() among the inputs becomes `training=`: not a finding of its own.
            for inner in m.findall(node, m.Call()):
                if inner is not node and _is_call_to(self.ctx, inner, "learning_phase"):
                    self._skip_calls.add(id(inner))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                self._statement_calls.add(id(small.value))
                self._init_idiom(small.value)

    # -- K.<name>(...) -------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        if id(original) in self._skip_calls:
            return updated
        name = backend_name(self.ctx, original.func)
        if name is None:
            return updated
        entry = TABLE.get(name)
        if entry is not None:
            rule = rule_id(name)
            if not self.ctx.allows(rule):
                return updated
            return self._table_call(entry, rule, original, updated)
        semantic = SEMANTIC_NAMES.get(name)
        if semantic is not None:
            if self.ctx.allows(semantic):
                return self._semantic_call(name, semantic, original, updated)
            return updated
        if not name.startswith("__") and not keras_api.exists(f"backend.{name}", self.ctx.target):
            self._missing(name, original)
        return updated

    def _table_call(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        kind = entry.kind
        if kind == FLAG:
            self.ctx.flag(rule, original, entry.message)
            return updated
        if kind == RENAME:
            self.ctx.fixed(rule, original, entry.message)
            return updated.with_changes(func=self._backend_ref(original.func, updated.func, entry.target))
        if kind in (TF, BUILTIN):
            return self._function_swap(entry, rule, original, updated)
        if kind == REMOVE:
            if id(original) in self._statement_calls:
                self._remove_calls.add(id(original))
                self.ctx.fixed(rule, original, entry.message)
            elif entry.name in ("eager", "symbolic") and len(updated.args) == 1 and not updated.args[0].keyword:
                self.ctx.fixed(rule, original, entry.message)
                return updated.args[0].value  # K.eager(f) -> f
            else:
                self.ctx.flag(rule, original, f"{entry.message.replace('removed', 'remove')}")
            return updated
        if kind == VALUE:
            return self._value(entry, rule, original)
        handler = getattr(self, f"_call_{entry.name.lower()}")
        return handler(entry, rule, original, updated)

    def _semantic_call(self, name: str, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        if rule == "KM501":
            return self._set_value(name, original, updated)
        if rule == "KM502":
            args = [_code(a.value) for a in original.args[:2]]
            loss, variables = (args + ["loss", "variables"])[:2]
            self.ctx.flag(rule, original, "K.gradients raises under eager execution: compute the loss "
                          f"inside `with tf.GradientTape() as tape:` and use `tape.gradient({loss}, {variables})`",
                          marker=f"use tape.gradient({loss}, {variables}) in a tf.GradientTape")
        elif rule == "KM503" and self._class_depth:
            if name == "variable":
                self.ctx.flag(rule, original, "a K.variable is not tracked by Keras 3 layers (not trained "
                              "or saved): create it in build() with `self.add_weight(shape=..., "
                              "initializer=..., trainable=...)`")
            else:
                self.ctx.flag(rule, original, f"K.{name} inside a layer is a graph update op: assign in "
                              "call() instead (`variable.assign(new_value)`)")
        return updated

    # -- renames / tf / builtins ------------------------------------------------------------------
    def _backend_ref(self, original: cst.BaseExpression, updated: cst.BaseExpression, name: str):  # type: ignore[no-untyped-def]
        """``K.<name>`` spelled through the same ``K`` when it is a plain name, else imported."""
        if isinstance(updated, cst.Attribute) and isinstance(original, cst.Attribute):
            module = self.ctx.resolver.keras_name(original.value)
            if module is not None and module.path == "backend":
                return updated.with_changes(attr=cst.Name(name))
        ref = self.ctx.imports.reference(f"backend.{name}")
        return ref.with_changes(lpar=getattr(updated, "lpar", ()), rpar=getattr(updated, "rpar", ()))

    def _function_swap(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        if has_star_args(updated) and entry.params:
            self.ctx.flag(rule, original, entry.message)
            return updated
        if entry.kind == BUILTIN:
            if self.ctx.resolver.is_bound(entry.target) or self.ctx.resolver.star_modules:
                self.ctx.flag(rule, original, f"{entry.message} (the builtin `{entry.target}` is shadowed "
                              "in this file: use `builtins." + entry.target + "`)",
                              marker=f"use `builtins.{entry.target}` (`{entry.target}` is shadowed in this file)")
                return updated
            func: cst.BaseExpression = cst.Name(entry.target)
        else:
            func = cst.parse_expression(f"{self._tf()}.{entry.target}")
        call = updated
        if entry.name == "size" and len(positionals(call)) > 1:
            # tf.size's second parameter is out_type: bind the legacy `name` by keyword.
            call = bind_positionals(call, entry.params, keep=1)
        args = []
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in entry.keywords:
                arg = arg.with_changes(keyword=cst.Name(entry.keywords[arg.keyword.value]))
            args.append(arg)
        self.ctx.fixed(rule, original, entry.message)
        return call.with_changes(func=func, args=args)

    def _value(self, entry: Entry, rule: str, original: cst.CSTNode) -> cst.BaseExpression:
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(entry.target.format(tf=self._tf()))

    # -- K.<name> without a call ----------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute):  # type: ignore[no-untyped-def]
        if id(original) in self._callees:
            return updated
        name = backend_name(self.ctx, original)
        if name is None or name.startswith("__") or name == "_BACKEND":
            return updated
        entry = TABLE.get(name)
        if entry is not None:
            rule = rule_id(name)
            if not self.ctx.allows(rule):
                return updated
            if entry.kind == VALUE:
                return self._value(entry, rule, original).with_changes(lpar=updated.lpar, rpar=updated.rpar)
            if entry.kind == RENAME:
                self.ctx.fixed(rule, original, entry.message)
                return updated.with_changes(attr=cst.Name(entry.target))
            if entry.kind == REMOVE and name in ("eager", "symbolic"):
                return updated  # decorators: leave_Decorator
            if entry.kind == TF:
                self.ctx.fixed(rule, original, entry.message)
                return cst.parse_expression(f"{self._tf()}.{entry.target}").with_changes(
                    lpar=updated.lpar, rpar=updated.rpar
                )
            self.ctx.flag(rule, original, entry.message)
            return updated
        if name in MODULE_ATTRS or name == "T":
            return self._module_attr(name, original, updated)
        if name == "hard_sigmoid":
            if self.ctx.allows("KM504"):
                self.ctx.flag("KM504", original, "K.hard_sigmoid as an activation is restored by load_model as "
                              "Keras 3's relu6(x+3)/6: register `clip(0.2 * x + 0.5, 0, 1)` with "
                              "tf.keras.utils.register_keras_serializable and pass that function",
                              marker="register a `clip(0.2 * x + 0.5, 0, 1)` activation and pass it instead")
            return updated
        if name in SEMANTIC_NAMES or keras_api.exists(f"backend.{name}", self.ctx.target):
            return updated
        if name in _SUBMODULES and isinstance(self._parent_attribute(original), cst.Attribute):
            return updated  # `K.tensorflow_backend.foo`: `foo` is what is looked at
        self._missing(name, original)
        return updated

    def _parent_attribute(self, node: cst.Attribute) -> cst.CSTNode | None:
        return self._attribute_parents.get(id(node))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Attribute):
            self._attribute_parents[id(node.value)] = node

    def _missing(self, name: str, original: cst.CSTNode) -> None:
        if not self.ctx.allows("KM500"):
            return
        hint = _MISSING_HINTS.get(name, "use the TensorFlow API (`tf.*`) instead")
        self.ctx.flag("KM500", original, f"`K.{name}` does not exist in tf.keras.backend: {hint}")

    def _module_attr(self, name: str, original: cst.Attribute, updated: cst.Attribute):  # type: ignore[no-untyped-def]
        if not self.ctx.allows("KM506"):
            return updated
        if name == "T":
            self.ctx.flag("KM506", original, "`K.T` is Theano, which is gone: port the code to `tf` / `K` operations")
            return updated
        local = self._tf() if name == "tf" else self._numpy()
        self.ctx.fixed("KM506", original, f"`{_code(original)}` -> `{local}`")
        return cst.parse_expression(local).with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator):  # type: ignore[no-untyped-def]
        target = original.decorator
        name = backend_name(self.ctx, target)
        if name not in ("eager", "symbolic") or not self.ctx.allows(rule_id(name)):
            return updated
        self.ctx.fixed(rule_id(name), original, TABLE[name].message)
        return cst.RemovalSentinel.REMOVE

    # -- C-K01: set_value ---------------------------------------------------------------------
    def _set_value(self, name: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        args = updated.args
        if has_star_args(updated) or any(a.keyword for a in args):
            return updated
        if name == "set_value" and len(args) == 2:
            target = original.args[0].value
            if isinstance(target, cst.Attribute) and target.attr.value in OPTIMIZER_RATE_ATTRS:
                return updated  # the optimizer family's (KM308)
            variable = _atom(args[0].value)
            self.ctx.fixed("KM501", original, "`K.set_value(v, x)` -> `v.assign(x)`")
            return cst.Call(
                func=cst.Attribute(value=variable, attr=cst.Name("assign")),
                args=[args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)],
                lpar=updated.lpar, rpar=updated.rpar,
            )
        if name == "batch_set_value" and len(args) == 1 and id(original) in self._statement_calls:
            self._plan_loop_replacement(original, args[0].value)
        return updated

    def _plan_loop_replacement(self, original: cst.Call, pairs: cst.BaseExpression) -> None:
        statement = self.ctx.current_statement
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            self.ctx.flag("KM501", original, "K.batch_set_value fails on Keras 3 weights: "
                          "`for variable, value in pairs: variable.assign(value)`")
            return
        variable, value = self._fresh("variable"), self._fresh("value")
        loop = cst.parse_statement(
            f"for {variable}, {value} in {_code(pairs)}:\n    {variable}.assign({value})\n",
            config=self.ctx.module.config_for_parsing,
        )
        self._plan[id(statement)] = loop.with_changes(leading_lines=statement.leading_lines)
        self.ctx.fixed("KM501", original, "`K.batch_set_value(pairs)` -> a loop of `variable.assign(value)`")

    # -- special rewrites (one method per table name) ---------------------------------------------
    def _call_function(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        problem, rewritten = self._k_function(original, updated)
        if problem:
            self.ctx.flag(rule, original, problem)
            return updated
        self.ctx.imports.add_definition(
            self._helper_name, _HELPER.format(name=self._helper_name, tf=self._tf())
        )
        self.ctx.fixed(rule, original, f"`K.{entry.name}` -> `{self._helper_name}` (a sub-model)")
        return rewritten

    def _k_function(self, original: cst.Call, updated: cst.Call) -> tuple[str, cst.BaseExpression]:
        replacement = ("build a sub-model: `sub = tf.keras.Model(model.inputs, [layer.output])` and call "
                       "`sub(x, training=False)`")
        if has_star_args(updated):
            return f"K.function with *args: {replacement}", updated
        bound = bind_positionals(updated, ("inputs", "outputs", "updates"))
        args = {a.keyword.value: a for a in bound.args if a.keyword}
        unknown = set(args) - {"inputs", "outputs", "updates", "name"}
        if "inputs" not in args or "outputs" not in args or unknown:
            return f"K.function with {', '.join(sorted(unknown)) or 'these arguments'}: {replacement}", updated
        updates = args.get("updates")
        if updates is not None and not _empty(updates.value):
            return ("K.function with updates= runs training ops: write the step with tf.GradientTape "
                    "(or model.train_on_batch)"), updated
        original_bound = bind_positionals(original, ("inputs", "outputs", "updates"))
        original_args = {a.keyword.value: a.value for a in original_bound.args if a.keyword}
        if self._touches_symbolic_values(original_args["inputs"]) or self._touches_symbolic_values(original_args["outputs"]):
            return ("K.function over gradients or placeholders has no sub-model equivalent: compute the "
                    "values eagerly (tf.GradientTape for gradients, a plain function for placeholders)"), updated
        if self._calls_backend(original_args["outputs"]):
            return ("K.function outputs computed with backend ops on symbolic tensors: wrap the ops in a "
                    "Lambda layer, then `" + self._helper_name + "(inputs, outputs)`"), updated
        inputs, index = self._function_inputs(original_args["inputs"], args["inputs"].value)
        if inputs is None:
            return f"K.function inputs this rewrite cannot follow: {replacement}", updated
        outputs = self._function_outputs(original_args["outputs"], args["outputs"].value)
        new_args = [cst.Arg(inputs), cst.Arg(outputs)]
        if index is not None:
            new_args.append(cst.Arg(cst.Integer(str(index)) if index >= 0 else cst.parse_expression(str(index)),
                                    keyword=cst.Name("learning_phase_index"),
                                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
        new_args = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in new_args[:-1]] + new_args[-1:]
        return "", updated.with_changes(func=cst.Name(self._helper_name), args=new_args)

    def _touches_symbolic_values(self, node: cst.CSTNode) -> bool:
        tainted = self._scan.tainted if self._scan else set()
        found = m.findall(node, m.Name() | m.Call())
        for item in found:
            if isinstance(item, cst.Name) and item.value in tainted:
                return True
            if isinstance(item, cst.Call) and backend_name(self.ctx, item.func) in ("gradients", "placeholder"):
                return True
        return False

    def _calls_backend(self, node: cst.CSTNode) -> bool:
        return any(backend_name(self.ctx, c.func) is not None for c in m.findall(node, m.Call()))

    def _function_inputs(self, original: cst.BaseExpression, updated: cst.BaseExpression):  # type: ignore[no-untyped-def]
        """(new inputs expression, index of K.learning_phase() or None); (None, None) if unclear."""
        if isinstance(original, (cst.List, cst.Tuple)):
            elements = []
            index = None
            count = len(original.elements)
            for position, (old, new) in enumerate(zip(original.elements, updated.elements)):
                if isinstance(old, cst.StarredElement):
                    return None, None
                if _is_call_to(self.ctx, old.value, "learning_phase"):
                    if index is not None:
                        return None, None
                    index = -1 if position == count - 1 else position
                    continue
                elements.append(new.with_changes(value=self._model_io(old.value, new.value, "input", element=True)))
            elements = _fix_elements(elements)
            if isinstance(updated, cst.List):
                return updated.with_changes(elements=elements), index
            return cst.List(elements=elements), index
        if isinstance(original, cst.BinaryOperation) and isinstance(original.operator, cst.Add) \
                and isinstance(original.right, cst.List) and len(original.right.elements) == 1 \
                and _is_call_to(self.ctx, original.right.elements[0].value, "learning_phase"):
            left = updated.left  # type: ignore[attr-defined]
            return self._model_io(original.left, left, "input", element=False), -1
        if m.findall(original, m.Call()) and any(_is_call_to(self.ctx, c, "learning_phase") for c in m.findall(original, m.Call())):
            return None, None
        return self._model_io(original, updated, "input", element=False), None

    def _function_outputs(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(original, (cst.List, cst.Tuple)) and isinstance(updated, (cst.List, cst.Tuple)):
            elements = [
                new.with_changes(value=self._model_io(old.value, new.value, "output", element=True))
                if not isinstance(old, cst.StarredElement) else new
                for old, new in zip(original.elements, updated.elements)
            ]
            return updated.with_changes(elements=elements)
        return self._model_io(original, updated, "output", element=False)

    def _model_io(self, original: cst.BaseExpression, updated: cst.BaseExpression, which: str, element: bool):  # type: ignore[no-untyped-def]
        """``model.input`` -> ``model.inputs[0]`` (or ``model.inputs``): Sequential has no .input."""
        if not (isinstance(original, cst.Attribute) and original.attr.value == which):
            return updated
        owner = self._owner_kind(original.value)
        if owner == "layer" or (owner is None and which == "output"):
            return updated
        receiver = _code(updated.value)  # type: ignore[attr-defined]
        return cst.parse_expression(f"{receiver}.{which}s[0]" if element else f"{receiver}.{which}s")

    def _owner_kind(self, node: cst.BaseExpression) -> str | None:
        if m.matches(node, m.Subscript(value=m.Attribute(attr=m.Name("layers")))):
            return "layer"
        if m.matches(node, m.Call(func=m.Attribute(attr=m.Name("get_layer")))):
            return "layer"
        scan = self._scan
        if isinstance(node, cst.Name):
            if scan and node.value in scan.layers:
                return "layer"
            if scan and node.value in scan.models or "model" in node.value.lower():
                return "model"
            return None
        if isinstance(node, cst.Attribute) and "model" in node.attr.value.lower():
            return "model"
        return None

    def _call_learning_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        self.ctx.flag(rule, original, entry.message)
        return updated

    def _call_set_learning_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        value = _literal_arg(original, 0, "value")
        trains = self._scan.trains if self._scan else True
        if id(original) in self._statement_calls and value in (0, False) and not trains:
            self._remove_calls.add(id(original))
            self.ctx.fixed(rule, original, "removed `K.set_learning_phase(0)` (inference is the default)")
            return updated
        if value in (0, False):
            message = ("K.set_learning_phase(0) also made fit() train without Dropout and with frozen "
                       "BatchNormalization statistics: delete it and, if that was intended, set those "
                       "layers' `trainable`/`rate`; predict/evaluate already run in inference mode")
        else:
            message = entry.message
        self.ctx.flag(rule, original, message)
        return updated

    def _phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call, train: bool):  # type: ignore[no-untyped-def]
        if has_star_args(updated):
            self.ctx.flag(rule, original, entry.message)
            return updated
        bound = bind_positionals(updated, entry.params)
        args = {a.keyword.value: a.value for a in bound.args if a.keyword}
        training = args.get("training")
        function = self._functions[-1] if self._functions else None
        params = {p.name.value for p in function.params.params} if function else set()
        params |= {p.name.value for p in function.params.kwonly_params} if function else set()
        if set(args) != {"x", "alt", "training"} or not isinstance(training, cst.Name) or training.value not in params:
            self.ctx.flag(rule, original, entry.message)
            return updated
        branches = []
        for key in ("x", "alt"):
            value = args[key]
            if isinstance(value, cst.Lambda) and not _has_params(value.params):
                value = value.body
            elif isinstance(value, cst.Name) and self._scan and value.value in self._scan.functions:
                self.ctx.flag(rule, original, entry.message)
                return updated
            if isinstance(value, (cst.IfExp, cst.Lambda)) and not value.lpar:
                value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            branches.append(value)
        chosen, other = branches if train else branches[::-1]
        self.ctx.fixed(rule, original, f"`K.{entry.name}(...)` -> a conditional on `{training.value}`")
        return cst.IfExp(
            test=training, body=chosen, orelse=other,
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()],
        )

    def _call_in_train_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        return self._phase(entry, rule, original, updated, train=True)

    def _call_in_test_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        return self._phase(entry, rule, original, updated, train=False)

    def _call_image_dim_ordering(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        call = updated.with_changes(func=self._backend_ref(original.func, updated.func, entry.target))
        self.ctx.fixed(rule, original, entry.message)
        if id(original) in self._dim_calls:
            return call
        return cst.IfExp(
            test=cst.Comparison(call, [cst.ComparisonTarget(cst.Equal(), cst.SimpleString("'channels_first'"))]),
            body=cst.SimpleString("'th'"), orelse=cst.SimpleString("'tf'"),
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()],
        )

    def _call_set_image_dim_ordering(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        if len(updated.args) != 1 or updated.args[0].star:
            self.ctx.flag(rule, original, entry.message)
            return updated
        arg = updated.args[0]
        value = arg.value
        if isinstance(value, cst.SimpleString) and value.evaluated_value in _DIM:
            new_value: cst.BaseExpression = _restring(value, _DIM[value.evaluated_value])  # type: ignore[index]
        elif isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString, cst.Integer)):
            self.ctx.flag(rule, original, entry.message)
            return updated
        else:
            new_value = cst.parse_expression(
                f"{{'th': 'channels_first', 'tf': 'channels_last'}}[{_code(value)}]"
            )
        new_arg = arg.with_changes(value=new_value, keyword=cst.Name("data_format") if arg.keyword else None)
        self.ctx.fixed(rule, original, entry.message)
        return updated.with_changes(
            func=self._backend_ref(original.func, updated.func, entry.target), args=[new_arg]
        )

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left, *(c.comparator for c in node.comparisons)]
        calls = [o for o in operands if _is_call_to(self.ctx, o, "image_dim_ordering") and not o.args]  # type: ignore[union-attr]
        if len(calls) != 1 or len(operands) != 2:
            return
        if not all(isinstance(c.operator, _COMPARABLE) for c in node.comparisons):
            return
        other = operands[1] if operands[0] is calls[0] else operands[0]
        strings = [other] if isinstance(other, cst.SimpleString) else (
            [e.value for e in other.elements] if isinstance(other, (cst.Tuple, cst.List, cst.Set)) else []
        )
        if not strings or not all(isinstance(s, cst.SimpleString) and s.evaluated_value in _DIM for s in strings):
            return
        self._dim_calls.add(id(calls[0]))
        for string in strings:
            self._strings[id(string)] = _DIM[string.evaluated_value]  # type: ignore[union-attr,index]

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString):  # type: ignore[no-untyped-def]
        mapped = self._strings.get(id(original))
        if mapped is None or not self.ctx.allows(rule_id("image_dim_ordering")):
            return updated
        return _restring(updated, mapped)

    def _call_asymmetric_spatial_2d_padding(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        args = self._bound(entry, updated)
        if args is None or "x" not in args or set(args) - set(entry.params):
            self.ctx.flag(rule, original, entry.message)
            return updated
        pads = [_code(args[k]) if k in args else "1" for k in ("top_pad", "bottom_pad", "left_pad", "right_pad")]
        code = f"(({pads[0]}, {pads[1]}), ({pads[2]}, {pads[3]}))"
        extra = ""
        if "dim_ordering" in args:
            fmt = _dim_literal(args["dim_ordering"])
            if fmt is None:
                self.ctx.flag(rule, original, entry.message)
                return updated
            extra = f", data_format={fmt}" if fmt != "None" else ""
        func = self._backend_ref(original.func, updated.func, entry.target)
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(f"{_code(func)}({_code(args['x'])}, padding={code}{extra})")

    def _call_asymmetric_temporal_padding(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        args = self._bound(entry, updated)
        if args is None or "x" not in args or set(args) - set(entry.params):
            self.ctx.flag(rule, original, entry.message)
            return updated
        pads = [_code(args[k]) if k in args else "1" for k in ("left_pad", "right_pad")]
        func = self._backend_ref(original.func, updated.func, entry.target)
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(f"{_code(func)}({_code(args['x'])}, padding=({pads[0]}, {pads[1]}))")

    def _bound(self, entry: Entry, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
        if has_star_args(call) or len(call.args) > len(entry.params):
            return None
        bound = bind_positionals(call, entry.params)
        return {a.keyword.value: a.value for a in bound.args if a.keyword}

    def _call_is_variable(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        args = self._bound(entry, updated)
        if args is None or set(args) != {"x"}:
            self.ctx.flag(rule, original, entry.message)
            return updated
        tf = self._tf()
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(f"isinstance({_code(args['x'])}, ({tf}.Variable, {tf}.keras.Variable))")

    def _call_legacy_weight_ordering(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        if updated.args or (self._scan and self._scan.legacy_ordering_set):
            self.ctx.flag(rule, original, "Keras 1 weight ordering is gone: the value is False unless "
                          "K.set_legacy_weight_ordering(True) was called; decide the branch")
            return updated
        self.ctx.fixed(rule, original, entry.message)
        return cst.Name("False")

    def _call_normalize_data_format(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        args = self._bound(entry, updated)
        value = args.get("value") if args and set(args) == {"value"} else None
        func = self._backend_ref(original.func, updated.func, "image_data_format")
        if isinstance(value, cst.Name) and value.value == "None":
            self.ctx.fixed(rule, original, "`K.normalize_data_format(None)` -> `K.image_data_format()`")
            return cst.Call(func=func)
        if isinstance(value, cst.SimpleString) and str(value.evaluated_value).lower() in ("channels_first", "channels_last"):
            self.ctx.fixed(rule, original, "`K.normalize_data_format('...')` -> the literal")
            return _restring(value, str(value.evaluated_value).lower())
        self.ctx.flag(rule, original, entry.message)
        return updated

    def _call_get_session(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        self.ctx.flag(rule, original, entry.message)
        return updated

    def _call_set_session(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        self.ctx.flag(rule, original, entry.message)
        return updated

    # `K.get_session().run(tf.global_variables_initializer())`: TF 2 initialises on creation.
    def _init_idiom(self, call: cst.Call) -> None:
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "run" and _is_call_to(self.ctx, func.value, "get_session")):
            return
        if len(call.args) != 1 or not isinstance(call.args[0].value, cst.Call):
            return
        initializer = self.ctx.resolver.qualified_name(call.args[0].value.func)
        rule = rule_id("get_session")
        if initializer in _TF_INITIALIZERS and self.ctx.allows(rule):
            self._skip_calls.add(id(func.value))
            self._remove_calls.add(id(call))
            self.ctx.fixed(rule, call, "removed the TF 1 variable initialisation (TF 2 initialises variables on creation)")

    # -- the allow_growth session idiom (a block-level rewrite) ----------------------------------------
    def _plan_block(self, body) -> None:  # type: ignore[no-untyped-def]
        statements = list(body)
        for index, statement in enumerate(statements):
            call = _statement_call(statement)
            if call is None or backend_name(self.ctx, call.func) != "set_session":
                continue
            rule = rule_id("set_session")
            if not self.ctx.allows(rule):
                continue
            plan = self._session_idiom(statements[:index], call)
            if plan is None:
                continue
            doomed, growth = plan
            for victim in doomed:
                self._plan[id(victim)] = "remove"
            if growth:
                gpu = self._fresh("gpu")
                loop = cst.parse_statement(_GROWTH.format(gpu=gpu, tf=self._tf()), config=self.ctx.module.config_for_parsing)
                self._plan[id(statement)] = loop.with_changes(leading_lines=statement.leading_lines)
            else:
                self._plan[id(statement)] = "remove"
            self._skip_calls.add(id(call))
            self.ctx.fixed(rule, call, "the TF 1 session setup -> tf.config" + (" memory growth" if growth else ""))

    def _session_idiom(self, before: list, call: cst.Call):  # type: ignore[no-untyped-def]
        if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
            return None
        resolver = self.ctx.resolver
        uses = self._scan.uses if self._scan else {}
        doomed = []
        session = call.args[0].value
        if isinstance(session, cst.Name):
            assigned = _last_assignment(before, session.value)
            if assigned is None or uses.get(session.value, 0) != 2:
                return None
            doomed.append(assigned[0])
            session = assigned[1]
        if not isinstance(session, cst.Call) or resolver.qualified_name(session.func) not in _TF_SESSIONS:
            return None
        config_args = [a for a in session.args]
        if not config_args:
            return doomed, False
        if len(config_args) != 1 or (config_args[0].keyword and config_args[0].keyword.value != "config"):
            return None
        config = config_args[0].value
        growth = False
        if isinstance(config, cst.Name):
            assigned = _last_assignment(before, config.value)
            if assigned is None:
                return None
            doomed.append(assigned[0])
            settings = [s for s in before if _assigns_attribute_of(s, config.value)]
            if uses.get(config.value, 0) != 2 + len(settings):
                return None
            for setting in settings:
                target, value = setting.body[0].targets[0].target, setting.body[0].value
                if _code(target) != f"{config.value}.gpu_options.allow_growth" or not m.matches(value, m.Name("True")):
                    return None
                growth = True
                doomed.append(setting)
            config = assigned[1]
        if not isinstance(config, cst.Call) or resolver.qualified_name(config.func) not in _TF_CONFIGS:
            return None
        for arg in config.args:
            if arg.keyword is None:
                return None
            key = arg.keyword.value
            if key == "allow_soft_placement" and m.matches(arg.value, m.Name("True")):
                continue
            if key == "gpu_options" and isinstance(arg.value, cst.Call) \
                    and resolver.qualified_name(arg.value.func) in _TF_GPU_OPTIONS \
                    and len(arg.value.args) == 1 and arg.value.args[0].keyword is not None \
                    and arg.value.args[0].keyword.value == "allow_growth" \
                    and m.matches(arg.value.args[0].value, m.Name("True")):
                growth = True
                continue
            return None
        return doomed, growth

    # -- statements: removal and planned replacements --------------------------------------------
    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):  # type: ignore[no-untyped-def]
        planned = self._plan.get(id(original))
        if planned is not None:
            if planned == "remove":
                return self._remove(original, updated)
            return planned
        if not self._remove_calls:
            return updated
        kept = [
            new for old, new in zip(original.body, updated.body)
            if not (isinstance(old, cst.Expr) and id(old.value) in self._remove_calls)
        ]
        if len(kept) == len(updated.body):
            return updated
        if not kept:
            return self._remove(original, updated)
        kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(body=kept)

    def _remove(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):  # type: ignore[no-untyped-def]
        has_comment = any(line.comment for line in updated.leading_lines) or updated.trailing_whitespace.comment
        if has_comment:
            return updated.with_changes(body=[cst.Pass()])
        return cst.RemovalSentinel.REMOVE

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock):  # type: ignore[no-untyped-def]
        if updated.body or not original.body:
            return updated
        return updated.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])

    # -- names this family writes -------------------------------------------------------------------
    def _tf(self) -> str:
        return self.ctx.imports.module("tensorflow", "tf")

    def _numpy(self) -> str:
        return self.ctx.imports.module("numpy", "np")

    def _fresh(self, base: str) -> str:
        name = base
        while self.ctx.resolver.is_bound(name):
            name = f"{name}_"
        return name

def _has_params(params: cst.Parameters) -> bool:
    return bool(params.params or params.posonly_params or params.kwonly_params) or isinstance(
        params.star_arg, cst.Param
    ) or params.star_kwarg is not None


def _atom(node: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)) or node.lpar:
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _empty(node: cst.BaseExpression) -> bool:
    return (isinstance(node, cst.Name) and node.value == "None") or (
        isinstance(node, (cst.List, cst.Tuple)) and not node.elements
    )


def _fix_elements(elements: list) -> list:  # type: ignore[type-arg]
    if not elements:
        return elements
    last = elements[-1]
    if isinstance(last.comma, cst.Comma):
        elements[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return elements


def _restring(node: cst.SimpleString, value: str) -> cst.SimpleString:
    quote = node.quote
    return node.with_changes(value=f"{node.prefix}{quote}{value}{quote}")


def _dim_literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if value in _DIM:
            return f"'{_DIM[value]}'"  # type: ignore[index]
        if value == "default":
            return "None"
    return None


def _literal_arg(call: cst.Call, position: int, keyword: str) -> object:
    for index, arg in enumerate(call.args):
        if (arg.keyword is None and index == position) or (arg.keyword and arg.keyword.value == keyword):
            try:
                return literal(arg.value)
            except ValueError:
                return None
    return None


def _statement_call(statement: cst.CSTNode) -> cst.Call | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return small.value
    return None


def _last_assignment(statements: list, name: str):  # type: ignore[no-untyped-def]
    for statement in reversed(statements):
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                    and m.matches(small.targets[0].target, m.Name(name)):
                return statement, small.value
    return None


def _assigns_attribute_of(statement: cst.CSTNode, name: str) -> bool:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return False
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return False
    target = small.targets[0].target
    while isinstance(target, cst.Attribute):
        target = target.value  # type: ignore[assignment]
    return isinstance(target, cst.Name) and target.value == name and target is not small.targets[0].target


FIXER = BackendFixer
