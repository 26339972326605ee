"""KM461-KM465: the environment the migrated code runs in (catalog C-E01..C-E05)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.rule_types import CONTEXT, FLAG
from kmigrate.rules.base import Fixer, Rule
from kmigrate.walk import find_all

RULES = (
    Rule(
        id="KM461",
        name="tf-use-legacy-keras",
        summary=(
            "Under --target tf_keras, entry points set `TF_USE_LEGACY_KERAS=1` before TensorFlow is "
            "imported."
        ),
        before=(
            "import tensorflow as tf\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "\n"
            "def main():\n"
            "    tf.random.set_seed(0)\n"
            "    model = Sequential([Dense(1, input_dim=4)])\n"
            "    model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "\n"
            "\n"
            "if __name__ == '__main__':\n"
            "    main()"
        ),
        after=(
            'import os; os.environ["TF_USE_LEGACY_KERAS"] = "1"\n'
            "import tensorflow as tf\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "\n"
            "def main():\n"
            "    tf.random.set_seed(0)\n"
            "    model = Sequential([Dense(1, input_dim=4)])\n"
            "    model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "\n"
            "\n"
            "if __name__ == '__main__':\n"
            "    main()"
        ),
        safety=CONTEXT,
        safety_note=(
            "tf.keras is tf_keras (Keras 2.21) only when the variable is set before the first TensorFlow "
            "import; set later, `from tensorflow.keras...` pins Keras 3. Added to scripts (a __main__ guard "
            "or top-level calls), not to library modules; `pip install tf-keras` is also needed. One line, "
            "so that imports added after it stay after it."
        ),
        catalog=("C-E01",),
    ),
    Rule(
        id="KM462",
        name="keras-backend-env",
        summary="`KERAS_BACKEND` set to a non-TensorFlow backend in code.",
        before=(
            "import os\n"
            "\n"
            "os.environ['KERAS_BACKEND'] = 'theano'\n"
            "import keras\n"
            "\n"
            "print(keras.backend.backend())"
        ),
        after=(
            "import os\n"
            "\n"
            "os.environ['KERAS_BACKEND'] = 'tensorflow'\n"
            "from tensorflow import keras\n"
            "\n"
            "print(keras.backend.backend())"
        ),
        safety=CONTEXT,
        safety_note=(
            "tf.keras on Keras 3 follows KERAS_BACKEND: 'theano'/'cntk' make TensorFlow's Keras "
            "unimportable. Backend-specific code paths elsewhere are marked by their own rules; a "
            '~/.keras/keras.json with "backend": "theano" must be fixed by hand (D16).'
        ),
        catalog=("C-E02", "D01", "D16"),
        tf_keras=False,
    ),
    Rule(
        id="KM463",
        name="jit-compile-default",
        summary=(
            "Keras 3 compiles with XLA on GPU by default; ops XLA cannot compile (py_function, "
            "numpy_function, tf.strings) in the model fail there."
        ),
        before=(
            "import tensorflow as tf\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense, Lambda\n"
            "\n"
            "model = Sequential([Dense(4, input_dim=4), Lambda(lambda t: tf.py_function(tf.sort, [t], tf.float32))])\n"
            "model.compile(optimizer='adam', loss='mean_squared_error')"
        ),
        after="model.compile(optimizer='adam', loss='mse', jit_compile=False)",
        safety=FLAG,
        safety_note=(
            "Only GPUs are affected and only at run time; the marker goes on compile() calls in files whose "
            "model code uses an op XLA cannot compile."
        ),
        catalog=("C-E03",),
        tf_keras=False,
    ),
    Rule(
        id="KM464",
        name="compat-v1-keras",
        summary="`tf.compat.v1.keras` is Keras 3 under TF 2.21.",
        before=(
            "import tensorflow as tf\n"
            "\n"
            "session = tf.compat.v1.keras.backend.get_session()"
        ),
        after="# use the tf.keras 2 API (or --target tf_keras)",
        safety=FLAG,
        safety_note="Only the tf_keras target provides the Keras 2 compat.v1 names.",
        catalog=("C-E04",),
        tf_keras=False,
    ),
    Rule(
        id="KM465",
        name="batchnorm-trainable-semantics",
        summary=(
            "`trainable = False` on BatchNormalization meant 'frozen weights, batch statistics' before Keras "
            "2.1.3."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense, BatchNormalization\n"
            "\n"
            "base = Sequential([Dense(8, input_dim=4), BatchNormalization()])\n"
            "base.trainable = False"
        ),
        after="# re-validate: frozen BatchNormalization layers now run in inference mode",
        safety=FLAG,
        safety_note="Reported only when --from-version says the code predates 2.1.3.",
        catalog=("C-E05", "D17"),
    ),
)


# Ops XLA cannot compile, as attribute names (tf.py_function, tf.numpy_function, tf.strings.*).
_XLA_UNFRIENDLY = frozenset({"py_function", "numpy_function", "py_func", "strings"})


@dataclass
class EnvironmentFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras", b"KERAS_BACKEND", b"tensorflow")

    # -- C-E02: KERAS_BACKEND ------------------------------------------------------------------
    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        for target in original.targets:
            if self._is_environ_key(target.target, "KERAS_BACKEND"):
                return self._backend_value(original, updated, "value")
        if self._old_code() and self.ctx.involves_keras and any(
            m.matches(t.target, m.Attribute(attr=m.Name("trainable"))) for t in original.targets
        ) and m.matches(original.value, m.Name("False")) and self._uses_batchnorm():
            if self.ctx.allows("KM465"):
                self.ctx.flag("KM465", original, "before Keras 2.1.3 a frozen BatchNormalization still "
                              "normalized with batch statistics; now it runs in inference mode "
                              "(moving statistics): re-validate the fine-tuning results")
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "compile"
            and self.ctx.involves_keras
            and self.ctx.keras_receiver(func.value, "compile", original)
            and callargs.keyword(updated, "jit_compile") is None
            and _XLA_UNFRIENDLY & self.ctx.kinds.scanner.attribute_names
            and self.ctx.allows("KM463")
        ):
            self.ctx.flag("KM463", original, "this file uses ops XLA cannot compile (py_function, "
                          "numpy_function, tf.strings), and Keras 3 compiles with XLA on GPU by default: "
                          "pass jit_compile=False")
            return updated
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "setdefault"
            and len(updated.args) == 2
            and self._is_environ(func.value)
            and _string_value(updated.args[0].value) == "KERAS_BACKEND"
        ):
            value = updated.args[1].value
            new = self._backend_replacement(original, value)
            if new is not None:
                args = [updated.args[0], updated.args[1].with_changes(value=new)]
                return updated.with_changes(args=args)
        return updated

    def _backend_value(self, original: cst.Assign, updated: cst.Assign, _: str) -> cst.Assign:
        new = self._backend_replacement(original, updated.value)
        return updated if new is None else updated.with_changes(value=new)

    def _backend_replacement(self, original: cst.CSTNode, value: cst.BaseExpression) -> cst.BaseExpression | None:
        if not self.ctx.allows("KM462"):
            return None
        text = _string_value(value)
        if text == "tensorflow":
            return None
        if text is None:
            self.ctx.flag("KM462", original, "tf.keras follows KERAS_BACKEND under Keras 3: make sure "
                          "it is 'tensorflow' (or remove the assignment)")
            return None
        self.ctx.fixed("KM462", original, f"KERAS_BACKEND {text!r} -> 'tensorflow' (the only backend "
                       "of tf.keras)")
        quote = value.quote if isinstance(value, cst.SimpleString) else "'"
        return cst.SimpleString(f"{quote}tensorflow{quote}")

    def _is_environ(self, node: cst.BaseExpression) -> bool:
        return self.ctx.resolver.qualified_name(node) == "os.environ"

    def _is_environ_key(self, node: cst.BaseExpression, key: str) -> bool:
        if not isinstance(node, cst.Subscript) or not self._is_environ(node.value):
            return False
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return False
        return _string_value(node.slice[0].slice.value) == key

    def _old_code(self) -> bool:
        version, assumed = self.ctx.settings.legacy_version
        return not assumed and version < (2, 1, 3)

    def _uses_batchnorm(self) -> bool:
        return any(b[0].qualified.endswith("BatchNormalization") for b in self.ctx.resolver.bindings.values()) \
            or bool(self.ctx.resolver.star_modules)

    # -- C-E04: tf.compat.v1.keras -----------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value != "keras" or self.ctx.target == "tf_keras":
            return
        if self.ctx.resolver.qualified_name(node) == "tensorflow.compat.v1.keras" and self.ctx.allows("KM464"):
            self.ctx.flag("KM464", node, "tf.compat.v1.keras is the Keras 3 namespace under TF 2.21: use "
                          "the tf.keras API (get_session/CuDNN layers have no Keras 3 form), or migrate "
                          "with --target tf_keras")

    # -- C-E01: TF_USE_LEGACY_KERAS in entry points ---------------------------------------------------
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if self.ctx.target != "tf_keras" or not self.ctx.allows("KM461"):
            return updated
        if not _is_entry_point(original) or _sets_legacy_keras(original):
            return updated
        if not (self.ctx.involves_keras or any(
            b[0].qualified.startswith("tensorflow") for b in self.ctx.resolver.bindings.values()
        )):
            return updated
        body = list(updated.body)
        at = 0
        for index, statement in enumerate(body):
            if index == 0 and m.matches(statement, m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])):
                at = 1
            elif m.matches(statement, m.SimpleStatementLine(body=[m.ImportFrom(module=m.Name("__future__"))])):
                at = index + 1
            else:
                break
        line = cst.parse_statement('import os; os.environ["TF_USE_LEGACY_KERAS"] = "1"\n')
        if at < len(body):
            following = body[at]
            line = line.with_changes(leading_lines=following.leading_lines)
            body[at] = following.with_changes(leading_lines=())
        body.insert(at, line)
        self.ctx.fixed("KM461", original, "TF_USE_LEGACY_KERAS=1 set before TensorFlow is imported "
                       "(--target tf_keras; also `pip install tf-keras`)")
        return updated.with_changes(body=body)


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_entry_point(module: cst.Module) -> bool:
    for statement in module.body:
        if isinstance(statement, cst.If) and m.matches(
            statement.test,
            m.Comparison(left=m.Name("__name__"), comparisons=[m.ComparisonTarget(comparator=m.SimpleString())]),
        ):
            return True
        if m.matches(statement, m.SimpleStatementLine(body=[m.Expr(value=m.Call())])):
            return True
    return False


def _sets_legacy_keras(module: cst.Module) -> bool:
    return bool(find_all(module, cst.SimpleString, m.SimpleString(value=m.MatchIfTrue(lambda v: "TF_USE_LEGACY_KERAS" in v))))


FIXER = EnvironmentFixer
