"""Legacy ``training_config`` -> Keras 3 ``compile_config``, and the optimizer state.

The argument knowledge is the source rules' (kmigrate.rules.optimizers, kmigrate.rules.metrics):
``lr`` -> ``learning_rate``, ``decay`` -> an ``InverseTimeDecay`` schedule with the same numbers,
epsilon squared where Keras 3 adds it inside the square root, Adagrad's accumulators starting at 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kmigrate.models import tables
from kmigrate.models.config import Notes
from kmigrate.models.weights_layout import PlacedVariable
from kmigrate.rules.metrics import H5_SAFE_LOSS_IDS, LOSS_IDS, METRIC_IDS
from kmigrate.rules.optimizers import (
    EPSILON_INSIDE_SQRT,
    KERAS3_LEGACY_DEFAULTS,
    LEGACY_OPTIMIZERS,
)

WHERE = "(optimizer)"


@dataclass
class Compiled:
    compile_config: dict | None
    optimizer_class: str | None
    optimizer_config: dict | None  # Keras 3 config (without module)
    uses_schedule: bool = False


def _to_float(value: Any) -> float:
    return float(np.float32(value))


def convert_optimizer(legacy: dict, notes: Notes) -> tuple[str, dict, bool] | None:
    cls = legacy.get("class_name")
    config = dict(legacy.get("config") or {})
    if cls not in LEGACY_OPTIMIZERS and cls not in ("Nadam",):
        notes.change(WHERE, f"optimizer {cls!r} has no Keras 3 counterpart: compile information dropped "
                     "(compile the loaded model again)")
        return None
    out: dict[str, Any] = {"name": cls.lower()}
    learning_rate = config.pop("learning_rate", config.pop("lr", None))
    if learning_rate is None:
        learning_rate = LEGACY_OPTIMIZERS[cls][2]
    decay = config.pop("decay", 0.0) or 0.0
    uses_schedule = decay > 0
    if uses_schedule:
        out["learning_rate"] = {
            "module": "keras.optimizers.schedules", "class_name": "InverseTimeDecay",
            "config": {"initial_learning_rate": learning_rate, "decay_steps": 1, "decay_rate": decay,
                       "staircase": False, "name": "InverseTimeDecay"},
            "registered_name": None,
        }
        notes.change(WHERE, f"{cls} decay={decay:g} -> learning_rate=InverseTimeDecay({learning_rate:g}, "
                     f"decay_steps=1, decay_rate={decay:g}) (Keras 3 has no decay)")
    else:
        out["learning_rate"] = learning_rate
        notes.change(WHERE, f"{cls} lr -> learning_rate")
    schedule_decay = config.pop("schedule_decay", None)
    if schedule_decay is not None:
        notes.change(WHERE, "Nadam schedule_decay dropped: Keras 3 Nadam's momentum schedule is 0.96**t "
                     "(legacy 0.96**(t * schedule_decay)); training continues slightly differently")
    epsilon = config.pop("epsilon", None)
    if epsilon is None:
        epsilon = 1e-7
    if cls in EPSILON_INSIDE_SQRT:
        out["epsilon"] = epsilon * epsilon
        notes.change(WHERE, f"{cls} epsilon {epsilon:g} -> {epsilon * epsilon:g} (Keras 3 adds it inside "
                     "the square root)")
    else:
        out["epsilon"] = epsilon
    if cls == "SGD":
        out.pop("epsilon")
    for key, value in KERAS3_LEGACY_DEFAULTS.get(cls, {}).items():
        out[key] = value
    for key in ("momentum", "nesterov", "rho", "beta_1", "beta_2", "amsgrad", "clipnorm", "clipvalue"):
        if key in config:
            out[key] = config.pop(key)
    for key, value in config.items():
        notes.change(WHERE, f"{cls} argument {key}={value!r} dropped (Keras 3 has no such argument)")
    return cls, out, uses_schedule


def _loss_id(value: Any, h5: bool) -> Any:
    if isinstance(value, str):
        value = LOSS_IDS.get(value, value)
        return H5_SAFE_LOSS_IDS.get(value, value) if h5 else value
    if isinstance(value, dict):
        return {k: _loss_id(v, h5) for k, v in value.items()}
    if isinstance(value, list):
        return [_loss_id(v, h5) for v in value]
    return value


def _metric_ids(value: Any) -> Any:
    if isinstance(value, str):
        return METRIC_IDS.get(value, value)
    if isinstance(value, dict):
        return {k: _metric_ids(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_metric_ids(v) for v in value]
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return ["<object>"] if value is not None else []


def convert_training_config(training: dict | None, notes: Notes, *, h5: bool = False) -> Compiled:
    if not training:
        return Compiled(None, None, None)
    legacy_optimizer = training.get("optimizer_config") or {}
    converted = convert_optimizer(legacy_optimizer, notes)
    if converted is None:
        return Compiled(None, None, None)
    cls, optimizer_config, uses_schedule = converted
    loss = _loss_id(training.get("loss"), h5)
    metrics = _metric_ids(training.get("metrics"))
    weighted = _metric_ids(training.get("weighted_metrics"))
    unknown = [s for s in _strings(loss) if s not in tables.KNOWN_LOSSES]
    unknown += [s for s in _strings(metrics) + _strings(weighted) if s not in tables.KNOWN_METRICS]
    if unknown:
        notes.change(WHERE, f"custom loss or metric {', '.join(sorted(set(unknown)))}: compile information "
                     "dropped (the model loads uncompiled; compile it again)")
        return Compiled(None, None, None)
    compile_config = {
        "optimizer": {"module": "keras.optimizers", "class_name": cls, "config": optimizer_config,
                      "registered_name": None},
        "loss": loss,
        "loss_weights": training.get("loss_weights"),
        "metrics": metrics or None,
        "weighted_metrics": weighted or None,
        "run_eagerly": False,
        "steps_per_execution": 1,
        "jit_compile": False,
    }
    return Compiled(compile_config, cls, optimizer_config, uses_schedule)


def _slots(cls: str, config: dict) -> tuple[str, ...]:
    slots = tables.OPTIMIZER_SLOTS.get(cls, ("momentum", "velocity") if cls == "Nadam" else ())
    if cls == "SGD" and not config.get("momentum"):
        return ()
    return slots


def optimizer_state(compiled: Compiled, legacy_weights: list[tuple[str, np.ndarray]],
                    trainable_keras3: list[PlacedVariable], trainable_legacy: list[PlacedVariable],
                    notes: Notes) -> list[np.ndarray] | None:
    """Keras 3 optimizer variables from the legacy ones, or a fresh state when they cannot be
    mapped exactly (with a note).  None: write no optimizer state."""
    cls, config = compiled.optimizer_class, compiled.optimizer_config
    if cls is None or config is None:
        return None
    slots = _slots(cls, config)
    values = list(legacy_weights)
    head: list[np.ndarray] = []  # legacy scalars first: iterations (and Nadam's m_schedule)
    while values and np.asarray(values[0][1]).shape == ():
        head.append(np.asarray(values.pop(0)[1]))
    iterations = head[0] if head else None
    prefix = [np.asarray(iterations if iterations is not None else 0, dtype="int64").reshape(())]
    if not compiled.uses_schedule:
        prefix.append(np.asarray(config["learning_rate"], dtype="float32"))
    shapes = [v.value.shape for v in trainable_legacy]
    count = len(shapes)
    # Legacy files: all of slot group 1, then group 2... (Adam also stores `vhats`, shape (1,)
    # placeholders without amsgrad).  Keras 3: per variable, its slots interleaved.
    legacy_groups = [values[i * count:(i + 1) * count] for i in range(len(values) // count)] if count else []
    usable = [g for g in legacy_groups if [np.asarray(v).shape for _n, v in g] == shapes]

    def fresh(reason: str | None) -> list[np.ndarray]:
        if reason:
            notes.change(WHERE, f"optimizer state not kept ({reason}): it starts fresh")
        initial = float(config.get("initial_accumulator_value", 0.0)) if cls == "Adagrad" else 0.0
        out = [np.asarray(0, dtype="int64")] + prefix[1:]
        for variable in trainable_keras3:
            out.extend(np.full(variable.value.shape, initial, dtype="float32") for _ in slots)
        if cls == "Adam" and config.get("amsgrad"):
            out.extend(np.zeros(v.value.shape, dtype="float32") for v in trainable_keras3)
        if cls == "Nadam":
            out.append(np.asarray(1.0, dtype="float32"))
        return out

    if not legacy_weights:
        return fresh(None)
    if slots and any(v.rescaled for v in trainable_keras3):
        return fresh("weights were rescaled for Keras 3's hard_sigmoid, so the legacy moments do not apply")
    amsgrad = cls == "Adam" and bool(config.get("amsgrad"))
    needed = len(slots) + (1 if amsgrad else 0)
    if len(usable) < needed:
        return fresh(f"{len(values)} legacy {cls} slot variables do not match the {count} trainable weights")
    if iterations is None:
        notes.change(WHERE, f"the legacy {cls} file has no iteration count: Keras 3 starts counting at 0")
    by_key = {(v.legacy_layer, v.legacy_name): i for i, v in enumerate(trainable_legacy)}
    out = list(prefix)
    for variable in trainable_keras3:
        index = by_key[(variable.legacy_layer, variable.legacy_name)]
        for group in usable[: len(slots)]:
            out.append(np.asarray(group[index][1], dtype="float32"))
    if amsgrad:
        for variable in trainable_keras3:
            out.append(np.asarray(usable[len(slots)][by_key[(variable.legacy_layer, variable.legacy_name)]][1],
                                  dtype="float32"))
    if cls == "Nadam":
        out.append(np.asarray(head[1] if len(head) >= 2 else 1.0, dtype="float32"))
    notes.change(WHERE, f"{cls} state kept ({len(out)} variables)")
    return out
