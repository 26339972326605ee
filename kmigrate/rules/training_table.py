"""Tables and small helpers shared by the training, optimizer, saving, callback and metric
families (KM2xx generator/fit rules, KM3xx).

Signatures are the *legacy* parameter orders, per release, used to keywordize positional
arguments before anything is renamed (catalog design note 2).  Helpers here are pure: they
look at nodes and build nodes, they never record findings.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import libcst as cst

from kmigrate.context import FileContext

Version = tuple[int, ...]

# -- metric ids ---------------------------------------------------------------------------------

# Legacy metric ids Keras 3's metrics.get rejects -> the Keras 3 id of the same metric (KM384);
# Keras 3 logs a string metric under the id given, so the history key changes with it.
METRIC_IDS = {"kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
              "logcosh": "log_cosh_error"}  # fmt: skip
# Losses whose function the metric ids 'ce'/'crossentropy' followed.
CROSSENTROPY_LOSSES = frozenset({"categorical_crossentropy", "binary_crossentropy",
                                 "sparse_categorical_crossentropy"})

# -- legacy signatures, newest first: (first version they apply to, parameter names) ------------

FIT_GENERATOR: tuple[tuple[Version, tuple[str, ...]], ...] = (
    ((2, 0), ("generator", "steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data",
              "validation_steps", "class_weight", "max_queue_size", "workers", "use_multiprocessing",
              "shuffle", "initial_epoch")),
    ((0,), ("generator", "samples_per_epoch", "nb_epoch", "verbose", "callbacks", "validation_data",
            "nb_val_samples", "class_weight", "max_q_size", "nb_worker", "pickle_safe", "initial_epoch")),
)  # fmt: skip
EVALUATE_GENERATOR: tuple[tuple[Version, tuple[str, ...]], ...] = (
    ((2, 2, 3), ("generator", "steps", "callbacks", "max_queue_size", "workers", "use_multiprocessing", "verbose")),
    ((2, 0), ("generator", "steps", "max_queue_size", "workers", "use_multiprocessing", "verbose")),
    ((0,), ("generator", "val_samples", "max_q_size", "nb_worker", "pickle_safe")),
)  # fmt: skip
# predict_generator had the same parameters as evaluate_generator in every release.
PREDICT_GENERATOR = EVALUATE_GENERATOR

# Keras 1 keyword -> Keras 2 keyword (interfaces.legacy_generator_methods_support).
GENERATOR_KEYWORDS = {
    "samples_per_epoch": "steps_per_epoch",
    "val_samples": "steps",
    "nb_epoch": "epochs",
    "nb_val_samples": "validation_steps",
    "nb_worker": "workers",
    "pickle_safe": "use_multiprocessing",
    "max_q_size": "max_queue_size",
}
# Arguments Keras 3 fit/evaluate/predict reject; they only tuned the data-loading threads.
WORKER_KEYWORDS = ("workers", "use_multiprocessing", "max_queue_size")

# ImageDataGenerator iterators: method -> default batch_size (keras_preprocessing 1.0/1.1).
FLOW_METHODS = {"flow": 32, "flow_from_directory": 32, "flow_from_dataframe": 32}


def pick(signatures: Sequence[tuple[Version, tuple[str, ...]]], version: Version) -> tuple[str, ...]:
    for since, names in signatures:
        if version >= since:
            return names
    return signatures[-1][1]


# -- nodes ---------------------------------------------------------------------------------


def method_name(call: cst.Call) -> str | None:
    """``x.fit(...)`` -> ``"fit"`` (any receiver)."""
    if isinstance(call.func, cst.Attribute):
        return call.func.attr.value
    return None


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The text of a plain (non-f, non-bytes) string literal, else None."""
    if isinstance(node, cst.SimpleString):
        prefix = node.prefix.lower()
        if "b" in prefix or "f" in prefix:
            return None
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def make_string(value: str, like: cst.BaseExpression | None = None) -> cst.SimpleString:
    """A string literal for ``value`` in the quote style of ``like`` when it has one."""
    quote = "'"
    prefix = ""
    if isinstance(like, cst.SimpleString):
        quote = like.quote if like.quote in ("'", '"') else "'"
        prefix = "".join(c for c in like.prefix if c.lower() in "ru")
        if "r" in prefix.lower() and (value.endswith("\\") or quote in value):
            prefix = prefix.replace("r", "").replace("R", "")
    if prefix.lower().find("r") < 0:
        body = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
        body = body.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    else:
        body = value
    return cst.SimpleString(f"{prefix}{quote}{body}{quote}")


def number_literal(value: float) -> str:
    """A short, exact-enough spelling of a float for generated code (``1e-14``, ``0.01``)."""
    text = repr(float(f"{value:.12g}"))
    return text




def arg_named(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional_count(call: cst.Call) -> int:
    count = 0
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            break
        count += 1
    return count


def has_double_star(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)


def has_single_star(call: cst.Call) -> bool:
    return any(arg.star == "*" for arg in call.args)


def is_literal_zero(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return float(node.value.replace("_", "")) == 0.0
        except ValueError:
            return False
    return False


def number_value(node: cst.BaseExpression | None) -> float | None:
    """The value of a numeric literal (``1e-6``, ``-0.5``, ``10``), else None."""
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = number_value(node.expression)
        return -inner if inner is not None else None
    return None


def file_is_legacy(ctx: FileContext) -> bool:
    """The file imports standalone Keras (or TF's private copy), not only tf.keras."""
    return ctx.file_is_legacy


def version_note(ctx: FileContext) -> str:
    version, assumed = ctx.settings.legacy_version
    text = ".".join(str(v) for v in version)
    return f" (legacy Keras {text} assumed; pass --from-version if the code was written for another release)" if assumed else ""


def walk(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """Every node under ``node`` (pre-order), without metadata."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
