"""KM1xx: imports and module paths (catalog group A).

Every legacy import is rewritten per imported *name* to that name's home in tf.keras (the
table in ``kmigrate.keras_api``), because legacy modules re-export names that live in other
modules now.  Imported modules keep their local name (``from keras.utils import np_utils``
becomes ``from tensorflow.keras import utils as np_utils``), so the code that uses them
stays as it was; dotted uses through submodules that are gone
(``keras.layers.convolutional.Conv2D``) are shortened to the public path.
Names with no home stay imported from ``keras`` with a marker, unless every use of them was
rewritten by another rule, in which case the import goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate import keras_api
from kmigrate.markers import add_markers
from kmigrate.names import KerasName, classify
from kmigrate.removal import CommentKeeper
from kmigrate.rules.base import Fixer, FixSafety, Rule

SAFE = FixSafety.SAFE

RULES = (
    Rule("KM101", "import-keras-root", "`import keras` becomes `from tensorflow import keras`.",
         "import keras\nmodel = keras.models.Sequential()",
         "from tensorflow import keras\nmodel = keras.models.Sequential()",
         SAFE, "In TF 2.21 a bare `import keras` binds plain Keras 3, whose namespace lacks the "
         "legacy backend and preprocessing APIs; `from tensorflow import keras` is the tf.keras "
         "namespace and honours TF_USE_LEGACY_KERAS. Files mixing both namespaces end up on one.",
         ("A01", "D21")),
    Rule("KM102", "from-keras-import-modules", "`from keras import layers, backend as K, ...` "
         "imports from `tensorflow.keras`.",
         "from keras import layers, models, backend as K",
         "from tensorflow.keras import layers, models, backend as K",
         SAFE, "The same modules exist under tensorflow.keras; local names are kept.", ("A02",)),
    Rule("KM103", "layers-submodules", "Names from `keras.layers.<submodule>` import from "
         "`tensorflow.keras.layers`.",
         "from keras.layers.core import Dense, Dropout\nfrom keras.layers.convolutional import Conv2D",
         "from tensorflow.keras.layers import Dense, Dropout\nfrom tensorflow.keras.layers import Conv2D",
         SAFE, "tf.keras has no layer submodules; every public layer is in tf.keras.layers. Layers "
         "with no tf.keras equivalent (Merge, Highway, ...) are marked.", ("A03",)),
    Rule("KM104", "engine-paths", "`keras.engine.*` names import from their public homes.",
         "from keras.engine.topology import Layer, InputSpec, Container",
         "from tensorflow.keras.layers import Layer, InputSpec\nfrom tensorflow.keras import Model as Container",
         SAFE, "Public engine names map one to one (Container and Network are Model); engine "
         "internals such as Node have no public home and are marked.", ("A04",)),
    Rule("KM105", "models-module", "`keras.models` names import from where tf.keras keeps them.",
         "from keras.models import Sequential, Input, model_from_config",
         "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras import Input\n"
         "from tensorflow.keras.layers import deserialize as model_from_config",
         SAFE, "tf.keras.models exports six names; Input lives at the root and model_from_config "
         "is layers.deserialize with the same arguments.", ("A05",)),
    Rule("KM106", "utils-submodules", "`keras.utils.<submodule>` names import from "
         "`tensorflow.keras.utils`.",
         "from keras.utils import np_utils\ny = np_utils.to_categorical(labels, 10)",
         "from tensorflow.keras import utils as np_utils\ny = np_utils.to_categorical(labels, 10)",
         SAFE, "The utils submodules are not public in tf.keras; their public functions are all "
         "in tf.keras.utils. Internals (func_dump, conv_utils, ...) are marked.", ("A06",)),
    Rule("KM107", "visualize-util-plot", "`keras.utils.visualize_util.plot` becomes `plot_model`, "
         "keeping the layer names in the picture.",
         "from keras.utils.visualize_util import plot\nplot(model, to_file='m.png')",
         "from tensorflow.keras.utils import plot_model as plot\n"
         "plot(model, to_file='m.png', show_layer_names=True)",
         SAFE, "Keras 1 and 2 drew layer names by default, Keras 3 does not: the argument is "
         "made explicit so the picture is the same.", ("A07",)),
    Rule("KM108", "preprocessing-paths", "`keras.preprocessing.*` and `keras_preprocessing.*` "
         "import from `tensorflow.keras.preprocessing.*`.",
         "from keras.preprocessing.image import ImageDataGenerator",
         "from tensorflow.keras.preprocessing.image import ImageDataGenerator",
         SAFE, "TF 2.21 keeps these (deprecated) in the tf.keras namespace; DataFrameIterator is "
         "gone and marked.", ("A08",)),
    Rule("KM109", "applications-paths", "`keras.applications.*` and `keras_applications` import "
         "from `tensorflow.keras.applications.*`.",
         "from keras.applications.mobilenetv2 import MobileNetV2",
         "from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2",
         SAFE, "tf.keras ships its own copies; Keras 1-only models and module internals are "
         "marked.", ("A09",)),
    Rule("KM110", "sklearn-wrapper", "`keras.wrappers.scikit_learn` has no tf.keras equivalent.",
         "from keras.wrappers.scikit_learn import KerasClassifier",
         "from scikeras.wrappers import KerasClassifier  # pip install scikeras",
         FixSafety.FLAG, "The Keras 3 SKLearn wrappers take a different contract (the model "
         "callable gets X and y, parameters split into model and fit arguments): a person must "
         "port the call sites.", ("A10", "D12")),
    Rule("KM111", "legacy-package", "`keras.legacy` shims are removed.",
         "from keras.legacy import interfaces\n\nclass Adder(Layer):\n"
         "    @interfaces.legacy_dense_support\n    def __init__(self, units): ...",
         "class Adder(Layer):\n    def __init__(self, units): ...",
         SAFE, "The decorators converted Keras 1 arguments at run time; kmigrate converts the "
         "call sites instead, so the decorator is dropped. Other keras.legacy names are marked.",
         ("A11",)),
    Rule("KM112", "callbacks-module", "`keras.callbacks.*` names import from "
         "`tensorflow.keras.callbacks`.",
         "from keras.callbacks.tensorboard_v1 import TensorBoard",
         "from tensorflow.keras.callbacks import TensorBoard",
         SAFE, "tf.keras.callbacks is flat; BaseLogger is gone and marked.", ("A12",)),
    Rule("KM113", "simple-modules", "`keras.activations/initializers/regularizers/constraints/"
         "losses/metrics/optimizers` import from `tensorflow.keras`.",
         "from keras.optimizers import SGD",
         "from tensorflow.keras.optimizers import SGD",
         SAFE, "Same modules, same names; names that were removed are marked.", ("A13",)),
    Rule("KM114", "initializations-module", "Keras 1 `keras.initializations` is "
         "`tensorflow.keras.initializers`.",
         "from keras import initializations",
         "from tensorflow.keras import initializers as initializations",
         SAFE, "Renamed module; initializer functions Keras 1 called directly are marked by "
         "their own rule.", ("A14",)),
    Rule("KM115", "objectives-module", "`keras.objectives` is `tensorflow.keras.losses`.",
         "from keras.objectives import categorical_crossentropy",
         "from tensorflow.keras.losses import categorical_crossentropy",
         SAFE, "Renamed in Keras 2; long names missing from tf.keras.losses are marked.", ("A15",)),
    Rule("KM116", "datasets", "`keras.datasets.*` import from `tensorflow.keras.datasets.*`.",
         "from keras.datasets import mnist",
         "from tensorflow.keras.datasets import mnist",
         SAFE, "Same loaders; cifar.load_batch is internal and marked.", ("A16",)),
    Rule("KM117", "backend-module", "`keras.backend` (and its TensorFlow submodules) is "
         "`tensorflow.keras.backend`.",
         "from keras import backend as K\nimport keras.backend.tensorflow_backend as KTF",
         "from tensorflow.keras import backend as K\nfrom tensorflow.keras import backend as KTF",
         SAFE, "Only the import changes here; backend functions that are gone have their own "
         "rules. The Theano and CNTK backends are marked.", ("A17",)),
    Rule("KM118", "tf-internal-keras", "`tensorflow.python.keras` and `tf.contrib.keras` become "
         "`tensorflow.keras`.",
         "from tensorflow.python.keras.layers import Dense",
         "from tensorflow.keras.layers import Dense",
         SAFE, "tensorflow.python.keras is a frozen private Keras 2 copy whose classes do not mix "
         "with tf.keras models.", ("A18",)),
    Rule("KM119", "version-and-backend-gates", "Checks of the Keras version or backend pick the "
         "wrong branch after migration.",
         "if keras.__version__.startswith('1.'):\n    ...\nif K.backend() == 'theano':\n    ...",
         "# kmigrate: KM119 ... (decide which branch the migrated code needs)",
         FixSafety.FLAG, "After migration the version is Keras 3 and the backend is always "
         "TensorFlow; the branch to keep depends on intent.", ("A19",)),
)

# Which rule moves `import X` / `from keras import X` when X is a module of a family that
# has a rule of its own; simple modules are covered by KM101/KM102.
_SPECIFIC_FAMILIES = {"KM104", "KM106", "KM107", "KM108", "KM109", "KM110", "KM111", "KM114",
                      "KM115", "KM116", "KM117"}  # fmt: skip
_DEAD_BACKENDS = ("theano", "cntk")


@dataclass
class _Residual:
    """A legacy import kept because its names have no home: marked, or removed if unused."""

    statement: cst.SimpleStatementLine
    locals: tuple[str, ...]
    rule: str
    message: str
    anchor: cst.CSTNode
    # Dropped when uses that existed were all rewritten by the family that claims the name.
    removable: bool = True


@dataclass
class ImportFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({"legacy.interfaces"})  # decorators, below

    _residuals: list[_Residual] = field(default_factory=list)
    _inner_attributes: set[int] = field(default_factory=set)
    _not_uses: set[int] = field(default_factory=set)  # Name nodes that are not name uses (x.attr, f(kw=))

    # -- import statements -----------------------------------------------------------
    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ):  # type: ignore[no-untyped-def]
        if not any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in updated.body):
            return updated
        head_body: list[cst.BaseSmallStatement] = []
        head_residuals: list[_Residual] = []
        extra: list[tuple[cst.BaseSmallStatement, _Residual | None]] = []
        changed = False
        for original_small, small in zip(original.body, updated.body):
            parts = None
            if isinstance(small, cst.Import):
                parts = self._import(original_small, small)  # type: ignore[arg-type]
            elif isinstance(small, cst.ImportFrom):
                parts = self._import_from(original_small, small)  # type: ignore[arg-type]
            if parts is None:
                head_body.append(small)
                continue
            changed = True
            (first, first_residual), *rest = parts
            head_body.append(first)
            if first_residual is not None:
                head_residuals.append(first_residual)
            extra.extend(rest)
        if not changed:
            return updated
        head = updated.with_changes(body=_fix_semicolons(head_body))
        lines = [head]
        for residual in head_residuals:
            self._keep(residual, head)
        for small, residual in extra:
            line = cst.SimpleStatementLine(body=_fix_semicolons([small]))
            lines.append(line)
            if residual is not None:
                self._keep(residual, line)
        return cst.FlattenSentinel(lines) if len(lines) > 1 else head

    def _keep(self, residual: _Residual, statement: cst.SimpleStatementLine) -> None:
        residual.statement = statement
        self._residuals.append(residual)

    def _import(self, original: cst.Import, node: cst.Import):  # type: ignore[no-untyped-def]
        """`import keras`, `import keras.backend as K`, `import keras, numpy as np`."""
        kept: list[cst.ImportAlias] = []
        homeless: list[tuple[str, str, str]] = []  # (local, rule, message)
        moved: list[cst.ImportFrom] = []
        for alias in node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            name = classify(dotted)
            rule = self._module_rule(name, via_import=True) if name else ""
            if name is None or not name.legacy or not self.ctx.allows(rule):
                kept.append(alias)
                continue
            head = dotted.split(".")[0]
            if alias.asname is None and head in ("keras", "tensorflow"):
                statement = self._unaliased_import(dotted)
                if statement is None:
                    kept.append(alias)
                    continue
            else:
                # `import keras_preprocessing.image` binds and is used as `keras_preprocessing`.
                local = alias.asname.name.value if alias.asname else head  # type: ignore[union-attr]
                if alias.asname is None:
                    name = classify(head) or name
                home = keras_api.legacy_module_home(name.path, self.ctx.target)
                missing = (
                    self._homeless_attributes(name.path, local)
                    if home.path and not name.path.startswith("backend")
                    else []
                )
                if home.path is None or missing:
                    kept.append(alias)
                    note = home.note if home.path is None else (
                        ", ".join(f"`{local}.{m}`" for m in missing[:3]) + " have no tf.keras equivalent"
                    )
                    homeless.append((local, rule, f"`{dotted}`: {note}"))
                    continue
                statement = _module_import(home.path, local)
            moved.append(statement)
            self.ctx.fixed(rule, original, f"`import {dotted}` -> `{_render(statement)}`")
        if not moved and not homeless:
            return None
        parts: list[tuple[cst.BaseSmallStatement, _Residual | None]] = []
        if kept:
            residual = None
            if homeless:
                residual = _Residual(
                    None, tuple(h[0] for h in homeless), homeless[0][1],  # type: ignore[arg-type]
                    "; ".join(h[2] for h in homeless), original,
                )
            parts.append((node.with_changes(names=_fix_commas(kept)), residual))
        parts.extend((statement, None) for statement in moved)
        return parts

    def _unaliased_import(self, dotted: str) -> cst.BaseSmallStatement | None:
        """`import keras.layers.core` binds `keras`, and dotted uses spell out the rest."""
        if dotted.split(".")[0] == "keras":
            return _from_import("tensorflow", "keras", None)
        # `import tensorflow.python.keras`: it binds `tensorflow`; uses are respelled.
        return cst.Import(names=[cst.ImportAlias(name=cst.Name("tensorflow"))])

    def _import_from(self, original: cst.ImportFrom, node: cst.ImportFrom):  # type: ignore[no-untyped-def]
        if node.relative or node.module is None:
            return None
        module_name = get_full_name_for_node(node.module) or ""
        source = classify(module_name)
        if source is None or not source.legacy:
            return None
        target = self.ctx.target
        if isinstance(node.names, cst.ImportStar):
            home = keras_api.legacy_module_home(source.path, target)
            rule = self._module_rule(source, via_import=False)
            if not self.ctx.allows(rule):
                return None
            if home.path is None:
                return [(node, _Residual(None, ("*",), rule, f"`{module_name}`: {home.note}", original))]  # type: ignore[arg-type]
            self.ctx.fixed(rule, original, f"`from {module_name} import *` -> tensorflow.keras")
            return [(node.with_changes(module=_dotted(_tf_module(home.path))), None)]

        groups: dict[str, list[cst.ImportAlias]] = {}
        claimed = False  # some leftover's uses are rewritten by another family
        leftovers: list[cst.ImportAlias] = []
        notes: list[tuple[str, str]] = []  # for leftovers nobody else rewrites
        for alias in node.names:
            imported = alias.evaluated_name
            local = alias.evaluated_alias or imported
            path = f"{source.path}.{imported}" if source.path else imported
            home = keras_api.legacy_home(path, target)
            rule = self._name_rule(source, home)
            if not self.ctx.allows(rule):
                leftovers.append(alias)
                continue
            if home.path is None:
                leftovers.append(alias)
                note = home.note if not home.is_module else f"`{imported}`: {home.note}"
                claimed = claimed or self._claimed(source.path, imported)
                notes.append((rule, note))
                continue
            if home.is_module:
                # Backend attributes (K.*) are the backend family's to rewrite or mark.
                missing = [] if path.startswith("backend") else self._homeless_attributes(path, local)
                if missing:
                    # Aliasing the module would leave `local.X` pointing at nothing: keep it.
                    leftovers.append(alias)
                    shown = ", ".join(f"`{local}.{name}`" for name in missing[:3])
                    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
                    notes.append((rule, f"{shown}{more} have no tf.keras equivalent"))
                    continue
                tf_module, leaf = _split_module(home.path)
            else:
                module, _, leaf = home.path.rpartition(".")
                tf_module = _tf_module(module)
            asname = alias.asname
            if asname is None and leaf != local:
                asname = cst.AsName(name=cst.Name(local))
            groups.setdefault(tf_module, []).append(alias.with_changes(name=cst.Name(leaf), asname=asname))
            self.ctx.fixed(rule, original, f"`{imported}` from `{module_name}` -> `{tf_module}`")
        if not groups and not notes and not leftovers:
            return None
        parts: list[tuple[cst.BaseSmallStatement, _Residual | None]] = [
            (_rebuild_from(node, tf_module, aliases), None) for tf_module, aliases in groups.items()
        ]
        if leftovers:
            locals_ = tuple(a.evaluated_alias or a.evaluated_name for a in leftovers)
            rule = notes[0][0] if notes else ""
            residual = _Residual(None, locals_, rule, "; ".join(n for _, n in notes), original)  # type: ignore[arg-type]
            residual.removable = claimed
            parts.insert(0, (_rebuild_from(node, module_name, leftovers), residual))
        return parts

    def _claimed(self, module_path: str, name: str) -> bool:
        """Another enabled fixer rewrites uses of this name (e.g. Merge), so do not mark it."""
        homes = keras_api.module_rule(module_path).homes
        api = ".".join(p for p in (homes[0] if homes else module_path, name) if p)
        return api in self.ctx.rules.handled

    def _module_rule(self, name: KerasName, via_import: bool) -> str:
        if not name.qualified.startswith(("keras", "keras_")):
            return "KM118"
        rule = keras_api.module_rule(name.path).rule
        if rule in _SPECIFIC_FAMILIES:
            return rule
        return "KM101" if via_import else "KM102"

    # -- names that reach the file through a star import ------------------------------------
    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_uses.add(id(node.keyword))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        """``Convolution2D`` from ``from keras.layers import *`` (or a project module that
        re-exports it): the star import moves to tf.keras, where the name is ``Conv2D``."""
        if id(original) in self._not_uses or self.ctx.resolver.bindings.get(original.value):
            return updated
        name = self.ctx.resolver.keras_name(original)
        if name is None or not name.legacy:
            return updated
        home = keras_api.legacy_home(name.path, self.ctx.target)
        if home.path is None or home.is_module or home.path.rpartition(".")[2] == original.value:
            return updated
        if not self.ctx.allows(home.rule):
            return updated
        self.ctx.fixed(home.rule, original, f"`{original.value}` (through a star import) -> `{home.path}`")
        return self.ctx.imports.reference(home.path)

    def _name_rule(self, source: KerasName, home: keras_api.Home) -> str:
        if not source.qualified.startswith(("keras", "keras_")):
            return "KM118"
        if source.path == "" and home.is_module:
            rule = home.rule
            return rule if rule in _SPECIFIC_FAMILIES else "KM102"
        return home.rule if source.path else "KM102"

    # -- dotted uses --------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_uses.add(id(node.attr))  # `x.plot` is not a use of a star-imported `plot`
        if isinstance(node.value, cst.Attribute):
            self._inner_attributes.add(id(node.value))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute):  # type: ignore[no-untyped-def]
        if id(original) in self._inner_attributes:
            return updated
        qualified = self.ctx.resolver.qualified_name(original)
        if qualified is None:
            return updated
        name = classify(qualified)
        if name is None:
            return updated
        if not name.legacy:
            return updated
        if {"__version__", "_BACKEND"} & set(name.path.split(".")):
            if self.ctx.allows("KM119"):
                self.ctx.flag("KM119", original, "the Keras version/backend is Keras 3 on TensorFlow after migration; check which branch this code needs", marker="check which branch this needs: Keras is 3 on TensorFlow after migration")
            return updated
        rule = "KM118" if not qualified.startswith("keras") else keras_api.module_rule(
            name.path.rpartition(".")[0]
        ).rule
        home = keras_api.legacy_home(name.path, self.ctx.target)
        if home.path is None:
            self._flag_homeless_use(original, name.path, rule, home.note)
            return updated
        spelled = _respell(original, home.path, self.ctx)
        if spelled is None or spelled == get_full_name_for_node(original):
            return updated
        if not self.ctx.allows(rule):
            return updated
        self.ctx.fixed(rule, original, f"`{get_full_name_for_node(original)}` -> `{spelled}`")
        return cst.parse_expression(spelled).with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def _flag_homeless_use(self, node: cst.Attribute, path: str, rule: str, note: str) -> None:
        """`keras.layers.Highway(...)` after `import keras`: the import moved, this use cannot."""
        if path.startswith("backend.") or path.startswith("legacy.interfaces."):
            return  # the backend family explains K.* names; the decorators are removed above
        if path.rpartition(".")[2].startswith("__"):
            return  # module dunders (__name__, __file__) exist on tf.keras modules too
        module, _, leaf = path.rpartition(".")
        homes = keras_api.module_rule(module).homes
        api = ".".join(p for p in (homes[0] if homes else module, leaf) if p)
        if api in self.ctx.rules.handled:
            return  # another family rewrites or marks this use
        if self.ctx.allows(rule):
            self.ctx.flag(rule, node, f"`{get_full_name_for_node(node)}`: {note}")

    def _homeless_attributes(self, legacy_module: str, local: str) -> list[str]:
        """Names the file reads as ``local.X`` that the module's tf.keras home lacks."""
        # From the syntax tree: words in comments, docstrings and URLs are not uses.
        used = self.ctx.kinds.scanner.attribute_uses.get(local, set())
        return sorted(
            attribute for attribute in used
            if keras_api.legacy_home(f"{legacy_module}.{attribute}", self.ctx.target).path is None
            and not self._claimed(legacy_module, attribute)
        )

    # -- keras.legacy decorators and backend gates ----------------------------------------
    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator):  # type: ignore[no-untyped-def]
        target = original.decorator
        if isinstance(target, cst.Call):
            target = target.func
        name = self.ctx.resolver.keras_name(target)
        if name is None or not name.legacy or not name.path.startswith("legacy.interfaces."):
            return updated
        if not self.ctx.allows("KM111"):
            return updated
        self.ctx.fixed("KM111", original, f"removed `@{get_full_name_for_node(target)}`")
        return cst.RemovalSentinel.REMOVE

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison):  # type: ignore[no-untyped-def]
        operands = [original.left, *(c.comparator for c in original.comparisons)]
        calls_backend = any(
            isinstance(o, cst.Call) and _is_backend_call(self.ctx, o) for o in operands
        )
        names_dead = any(
            isinstance(o, cst.SimpleString) and o.evaluated_value in _DEAD_BACKENDS  # type: ignore[operator]
            for o in operands
        )
        if calls_backend and names_dead and self.ctx.allows("KM119"):
            self.ctx.flag("KM119", original, "K.backend() is always 'tensorflow' after migration; keep the TensorFlow branch and delete the other", marker="keep the TensorFlow branch: K.backend() is always 'tensorflow' now")
        return updated

    # -- residual imports: marked, or dropped when every use was rewritten ------------------
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._residuals:
            return updated
        used_before = _used_names(original)
        used_after = _used_names(updated)
        replacements: dict[int, cst.CSTNode | cst.RemovalSentinel] = {}
        exported = _has_dunder_all(original)
        for residual in self._residuals:
            names = residual.locals
            unused = "*" not in names and not any(n in used_after for n in names)
            if unused and residual.removable and any(n in used_before for n in names):
                # Every use was rewritten by the family that claims the name.
                replacements[id(residual.statement)] = cst.RemovalSentinel.REMOVE
                self.ctx.edits += 1
                continue
            if unused and residual.rule and not exported:
                # Never used, and the name no longer exists: the import could only fail.
                replacements[id(residual.statement)] = cst.RemovalSentinel.REMOVE
                self.ctx.fixed(residual.rule, residual.anchor,
                               f"removed an unused import of a name with no tf.keras equivalent ({residual.message})")
                continue
            if not residual.rule:
                continue
            message = residual.message
            if residual.removable and any(n in used_after for n in names):
                message += " (still used where kmigrate could not rewrite it)"
            self.ctx.report_only(residual.rule, residual.anchor, message)
            marked = add_markers(residual.statement, [(residual.rule, message)], self.ctx.module)
            if marked is not residual.statement:
                replacements[id(residual.statement)] = marked
                self.ctx.edits += 1
        if not replacements:
            return updated
        return updated.visit(_Replace(replacements))  # type: ignore[return-value]


def _is_backend_call(ctx, call: cst.Call) -> bool:  # type: ignore[no-untyped-def]
    api = ctx.api(call.func)
    return api is not None and api.path == "backend.backend"


class _Replace(CommentKeeper, cst.CSTTransformer):
    def __init__(self, replacements: dict[int, object]) -> None:
        cst.CSTTransformer.__init__(self)
        CommentKeeper.__init__(self)
        self._replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not isinstance(node, cst.BaseExpression)

    def on_leave(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        return self.keep(original_node, self._replacements.get(id(original_node), updated_node))


class _NameUses(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def _has_dunder_all(module: cst.Module) -> bool:
    """A module that declares ``__all__`` may re-export an import nobody uses locally."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                    targets = small.targets if isinstance(small, cst.Assign) else [small]
                    for target in targets:
                        if isinstance(target.target, cst.Name) and target.target.value == "__all__":
                            return True
    return False


def _used_names(module: cst.Module) -> set[str]:
    visitor = _NameUses()
    module.visit(visitor)
    return visitor.names


# -- building import statements ---------------------------------------------------------------


def _tf_module(home_module: str) -> str:
    return "tensorflow.keras" + (f".{home_module}" if home_module else "")


def _split_module(home_module: str) -> tuple[str, str]:
    """``preprocessing.image`` -> (``tensorflow.keras.preprocessing``, ``image``)."""
    if not home_module:
        return "tensorflow", "keras"
    parent, _, leaf = home_module.rpartition(".")
    return _tf_module(parent), leaf


def _dotted(name: str) -> cst.Attribute | cst.Name:
    return cst.parse_expression(name)  # type: ignore[return-value]


def _from_import(module: str, name: str, local: str | None) -> cst.ImportFrom:
    asname = cst.AsName(name=cst.Name(local)) if local and local != name else None
    return cst.ImportFrom(module=_dotted(module), names=[cst.ImportAlias(cst.Name(name), asname=asname)])


def _module_import(home_module: str, local: str) -> cst.ImportFrom:
    module, leaf = _split_module(home_module)
    return _from_import(module, leaf, local)


def _render(statement: cst.CSTNode) -> str:
    return cst.Module(body=[cst.SimpleStatementLine(body=[statement])]).code.strip()  # type: ignore[list-item]


def _fix_commas(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    if not aliases:
        return aliases
    fixed = list(aliases)
    fixed[-1] = fixed[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return fixed


def _rebuild_from(node: cst.ImportFrom, module: str, aliases: list[cst.ImportAlias]) -> cst.ImportFrom:
    """``node`` importing ``aliases`` from ``module``; each alias keeps its own comments."""
    if node.rpar is None:  # no parentheses: a trailing comma would not parse
        aliases = _fix_commas(aliases)
    elif aliases and aliases[-1] is not node.names[-1]:  # type: ignore[index]
        aliases = [*aliases[:-1], _closing_like(aliases[-1], node.names[-1])]  # type: ignore[index]
    return node.with_changes(module=_dotted(module), names=aliases)


def _closing_like(alias: cst.ImportAlias, original_last: cst.ImportAlias) -> cst.ImportAlias:
    """Give a new last alias the line break before ``)`` that the original last one had."""
    own, last = alias.comma, original_last.comma
    if not isinstance(last, cst.Comma):
        return alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    if isinstance(own, cst.Comma) and isinstance(own.whitespace_after, cst.ParenthesizedWhitespace) \
            and isinstance(last.whitespace_after, cst.ParenthesizedWhitespace):
        closing = own.whitespace_after.with_changes(
            indent=last.whitespace_after.indent, last_line=last.whitespace_after.last_line
        )
        return alias.with_changes(comma=own.with_changes(whitespace_after=closing))
    return alias.with_changes(comma=last)


def _fix_semicolons(body: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    fixed = list(body)
    for index, statement in enumerate(fixed):
        last = index == len(fixed) - 1
        if last:
            fixed[index] = statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        elif statement.semicolon is cst.MaybeSentinel.DEFAULT:
            fixed[index] = statement.with_changes(
                semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))
            )
    return fixed


def _respell(node: cst.Attribute, home_path: str, ctx) -> str | None:  # type: ignore[no-untyped-def]
    """Spell ``home_path`` through the same local name the dotted use starts from."""
    head = node
    while isinstance(head, cst.Attribute):
        head = head.value  # type: ignore[assignment]
    if not isinstance(head, cst.Name):
        return None
    bindings = ctx.resolver.bindings.get(head.value)
    if not bindings:
        return None
    qualified = bindings[0].qualified
    if qualified in ("tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2"):
        return f"{head.value}.keras.{home_path}"
    bound = classify(qualified)
    if bound is None:
        return None
    if bound.legacy:
        base = keras_api.legacy_home(bound.path, ctx.target)
        if base.path is None or not base.is_module:
            return None
        base_path = base.path
    else:
        base_path = bound.path
    if base_path == "":
        return f"{head.value}.{home_path}"
    if home_path == base_path:
        return head.value
    if home_path.startswith(base_path + "."):
        return f"{head.value}.{home_path[len(base_path) + 1:]}"
    return None


FIXER = ImportFixer
