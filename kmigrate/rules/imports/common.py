"""The import family's shared part: rule entries, the residual-import record, statement helpers
(``ImportsBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import keras_api
from kmigrate.names import classify
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
class ImportsBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({"legacy.interfaces"})  # decorators, below

    _residuals: list[_Residual] = field(default_factory=list)
    _inner_attributes: set[int] = field(default_factory=set)
    _not_uses: set[int] = field(default_factory=set)  # Name nodes that are not name uses (x.attr, f(kw=))


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
