"""KM604: Keras 2 initializer aliases that Keras 3 dropped (`normal`, `uniform`, `zero`, `one`).

Keras 2.2.4 `keras/initializers.py` ends with ``zero = zeros = Zeros``, ``one = ones = Ones``,
``uniform = random_uniform = RandomUniform``, ``normal = random_normal = RandomNormal`` (plus
``constant``, ``truncated_normal``, ``identity``, ``orthogonal`` and the ``glorot_*``/``he_*``/
``lecun_*`` functions).  Keras 3.15 still exports every lower-case name except the four above
(``keras.initializers.normal`` is an AttributeError); it resolves them only as string ids
(``kernel_initializer='normal'``, with the same defaults), which are left alone.

The aliases were the classes themselves, so the rewrite renames the name and keeps the
arguments.  ``INITIALIZER_ALIASES`` records each class's legacy defaults, and tests check them
against the installed Keras 3 signatures: RandomNormal(mean=0.0, stddev=0.05, seed=None) and
RandomUniform(minval=-0.05, maxval=0.05, seed=None) are unchanged, so no default needs writing
out.  Only standalone Keras 2 (``keras.initializers``) is rewritten: Keras 1's
``keras.initializations.normal(shape, scale=...)`` was a function of a shape (KM114's module,
B40 in the catalog), and TensorFlow's private ``tensorflow.python.keras`` copies had TF1
defaults (stddev=1.0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate.names import KerasName
from kmigrate.rules.base import Fixer, FixSafety, Rule, rename_imported_names

RULES = (
    Rule(
        id="KM604",
        name="initializer-aliases",
        summary="`initializers.normal/uniform/zero/one` become `RandomNormal/RandomUniform/Zeros/Ones`.",
        before=(
            "from keras import initializers\n"
            "from keras.layers import Dense\n"
            "\n"
            "layer = Dense(64, kernel_initializer=initializers.normal(stddev=0.01))"
        ),
        after=(
            "from tensorflow.keras import initializers\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "layer = Dense(64, kernel_initializer=initializers.RandomNormal(stddev=0.01))"
        ),
        safety=FixSafety.SAFE,
        safety_note=(
            "The Keras 2 names were aliases of these classes (initializers.py: `normal = random_normal = "
            "RandomNormal`); Keras 3 has the same parameters and defaults (RandomNormal mean=0, stddev=0.05; "
            "RandomUniform -0.05..0.05). Imports keep their local name."
        ),
        catalog=("B40",),
    ),
)

# legacy alias -> (Keras 3 class, legacy defaults of that class in Keras 2.2.4)
INITIALIZER_ALIASES: dict[str, tuple[str, dict[str, object]]] = {
    "normal": ("RandomNormal", {"mean": 0.0, "stddev": 0.05, "seed": None}),
    "uniform": ("RandomUniform", {"minval": -0.05, "maxval": 0.05, "seed": None}),
    "zero": ("Zeros", {}),
    "one": ("Ones", {}),
}
_PATHS = {f"initializers.{alias}": alias for alias in INITIALIZER_ALIASES}


@dataclass
class InitializerAliasFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"initializers",)
    handles: ClassVar[frozenset[str]] = frozenset(_PATHS)

    def _alias(self, node: cst.BaseExpression) -> str | None:
        api = self.ctx.api(node)
        if api is None or not api.legacy:
            return None
        name = api.name
        if not name.qualified.startswith("keras.") or name.path not in _PATHS:
            return None
        return _PATHS[name.path]

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        alias = self._alias(original)
        if alias is None or not self.ctx.allows("KM604"):
            return updated
        new = INITIALIZER_ALIASES[alias][0]
        self.ctx.fixed("KM604", original, f"`initializers.{alias}` -> `initializers.{new}` (the class it aliased)")
        return updated.with_changes(attr=cst.Name(new))

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        def rename(alias: cst.ImportAlias, keras_name: KerasName) -> tuple[str, str, str] | None:
            name = alias.evaluated_name
            if (
                keras_name.legacy and keras_name.qualified.startswith("keras.")
                and keras_name.path == f"initializers.{name}" and name in INITIALIZER_ALIASES
            ):
                return "KM604", INITIALIZER_ALIASES[name][0], f"`{name}` is the class `{INITIALIZER_ALIASES[name][0]}`"
            return None

        return rename_imported_names(self.ctx, original, updated, rename)


FIXER = InitializerAliasFixer
