"""What kind of object an expression is: a Keras model, layer, optimizer, ... or not Keras.

Method- and attribute-level rules (``save``, ``add``, ``predict_classes``) must not fire on a
PIL image or a project's own container class that happens to share a method name.  They ask
``FileContext.keras_receiver(receiver, member)``, which applies the receiver policy below to
the kind this module infers.

The receiver policy (documented for users in docs/receivers.md):

* the receiver is known Keras (a model, layer, optimizer, callback, backend tensor or other
  Keras object): rules may rewrite;
* it is known not to be Keras (a literal, another library's object, an instance of a project
  class that does not derive from Keras): never;
* it is unknown (a parameter nobody in view passes, an attribute of an unknown object): only
  members whose name exists nowhere but in Keras (``fit_generator``, ``predict_classes``, ...)
  and that no class of the project defines.
"""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    MODEL = "model"  # Sequential, Model, load_model(...), a subclass of Model
    LAYER = "layer"  # a layer instance (Dense(3), model.layers[0], a Layer subclass)
    OPTIMIZER = "optimizer"
    CALLBACK = "callback"
    TENSOR = "tensor"  # a backend or symbolic tensor (Input(...), layer(x), K.sum(...))
    KERAS = "keras"  # any other Keras object or API (History, ImageDataGenerator, a Keras module)
    PROJECT = "project"  # an instance of a project class that does not derive from Keras
    FOREIGN = "foreign"  # known not Keras: literals, builtins, other libraries' objects
    UNKNOWN = "unknown"

    @property
    def is_keras(self) -> bool:
        return self in _KERAS_KINDS

    @property
    def is_not_keras(self) -> bool:
        return self in (Kind.PROJECT, Kind.FOREIGN)


_KERAS_KINDS = frozenset({Kind.MODEL, Kind.LAYER, Kind.OPTIMIZER, Kind.CALLBACK, Kind.TENSOR, Kind.KERAS})

# Members whose name exists nowhere but in Keras: on a receiver of unknown kind a rule may
# still act on them, unless a class of the project defines a member of the same name.
# Names shared with other libraries (save, add, fit, predict, compile, summary, to_json,
# predict_proba from scikit-learn, ...) are deliberately absent.
KERAS_ONLY_MEMBERS = frozenset({
    "fit_generator", "evaluate_generator", "predict_generator", "predict_classes",
    "train_on_batch", "test_on_batch", "predict_on_batch", "get_output_shape_for",
    "compute_output_shape", "get_layer", "count_params", "metrics_names", "metrics_tensors",
    "_make_train_function", "_make_predict_function", "_make_test_function",
    "internal_input_shapes", "internal_output_shapes", "output_shape", "input_shape",
    "get_updates", "trainable_weights", "non_trainable_weights", "reset_states",
    "save_weights", "load_weights", "flow_from_directory", "flow_from_dataframe",
    "sample_weight_mode", "loss_functions", "get_output_at", "get_input_at", "add_weight",
    "get_output_shape_at", "get_input_shape_at", "_keras_shape", "uses_learning_phase",
    "state_updates", "inbound_nodes", "outbound_nodes", "add_update",
})  # fmt: skip

# Keywords that only Keras's fit/evaluate/predict/compile take: a call on a receiver of
# unknown kind that passes one of them is a Keras call whatever the method is named.
KERAS_ONLY_KEYWORDS = frozenset({
    "nb_epoch", "samples_per_epoch", "nb_val_samples", "val_samples", "nb_worker", "pickle_safe",
    "max_q_size", "steps_per_epoch", "validation_steps", "use_multiprocessing", "max_queue_size",
    "sample_weight_mode", "target_tensors", "reset_metrics", "save_format", "show_accuracy",
})  # fmt: skip
# Keywords that make one method a Keras method (`x.compile(loss=...)` is not `re.compile`).
KERAS_MEMBER_KEYWORDS: dict[str, frozenset[str]] = {
    "compile": frozenset({"loss", "metrics", "optimizer", "loss_weights", "weighted_metrics"}),
}

# Duck-typing evidence for a name whose binding says nothing (a parameter nobody in view
# passes, the result of an unknown call): calling one of these on it shows it is a model.
MODEL_ONLY_MEMBERS = frozenset({
    "fit_generator", "evaluate_generator", "predict_generator", "predict_classes",
    "train_on_batch", "test_on_batch", "predict_on_batch", "get_layer",
})  # fmt: skip
# ... and so does calling one of these methods with one of the keywords listed.
MODEL_MEMBER_KEYWORDS: dict[str, frozenset[str]] = {
    "fit": frozenset({"epochs", "nb_epoch", "validation_split", "initial_epoch", "steps_per_epoch",
                      "validation_steps", "use_multiprocessing", "max_queue_size"}),
    "compile": frozenset({"loss", "metrics", "optimizer", "loss_weights"}),
    "evaluate": frozenset({"steps", "use_multiprocessing", "max_queue_size"}),
    "predict": frozenset({"steps", "use_multiprocessing", "max_queue_size"}),
}


# -- what Keras APIs produce -------------------------------------------------------------

# tf.keras-relative API paths (as ``FileContext.api`` gives them) whose call returns a model.
_MODEL_FACTORIES = frozenset({
    "models.Sequential", "models.Model", "Sequential", "Model", "models.load_model",
    "models.model_from_json", "models.model_from_yaml", "models.model_from_config",
    "models.clone_model", "saving.load_model", "utils.multi_gpu_model",
})  # fmt: skip
_LAYER_FACTORIES = frozenset({"layers.deserialize"})
_TENSOR_FACTORIES = frozenset({"layers.Input", "Input"})
_INSTANCE_FAMILIES = (
    ("layers.", Kind.LAYER), ("optimizers.", Kind.OPTIMIZER), ("callbacks.", Kind.CALLBACK),
    ("backend.", Kind.TENSOR), ("applications.", Kind.MODEL),
)  # fmt: skip
# Base classes: subclassing one of these makes instances of that kind.
_BASE_CLASSES = {
    "models.Model": Kind.MODEL, "models.Sequential": Kind.MODEL, "Model": Kind.MODEL,
    "Sequential": Kind.MODEL, "layers.Layer": Kind.LAYER, "engine.Layer": Kind.LAYER,
    "callbacks.Callback": Kind.CALLBACK, "optimizers.Optimizer": Kind.OPTIMIZER,
}  # fmt: skip


def kind_of_api_call(path: str) -> Kind:
    """The kind of object that calling the Keras API ``path`` returns."""
    if path in _MODEL_FACTORIES:
        return Kind.MODEL
    if path in _TENSOR_FACTORIES:
        return Kind.TENSOR
    if path in _LAYER_FACTORIES:
        return Kind.LAYER
    leaf = path.rpartition(".")[2]
    for prefix, kind in _INSTANCE_FAMILIES:
        if path.startswith(prefix):
            # Lower-case names in layer/optimizer modules are functions (layers.add, optimizers.get).
            if kind in (Kind.LAYER, Kind.CALLBACK) and leaf[:1].islower():
                return Kind.TENSOR if kind is Kind.LAYER else Kind.KERAS
            if prefix == "applications." and (leaf[:1].islower() or "." in path[len(prefix):]):
                # applications.vgg16.preprocess_input and the like return arrays.
                return Kind.MODEL if leaf[:1].isupper() else Kind.FOREIGN
            return kind
    return Kind.KERAS


def kind_of_base(path: str) -> Kind:
    """Instances of a class deriving from the Keras API ``path`` are of this kind."""
    if path in _BASE_CLASSES:
        return _BASE_CLASSES[path]
    for prefix, kind in _INSTANCE_FAMILIES:
        if path.startswith(prefix) and kind is not Kind.TENSOR:
            return kind
    return Kind.KERAS


# What a member of a Keras object is: (receiver kind, member) -> kind of ``receiver.member``.
MEMBER_KINDS: dict[tuple[Kind, str], Kind] = {
    (Kind.MODEL, "optimizer"): Kind.OPTIMIZER,
    (Kind.MODEL, "layers"): Kind.KERAS,
    (Kind.CALLBACK, "model"): Kind.MODEL,
    **{(kind, attr): Kind.TENSOR for kind in (Kind.MODEL, Kind.LAYER)
       for attr in ("input", "output", "inputs", "outputs")},
    **{(kind, attr): Kind.KERAS for kind in (Kind.MODEL, Kind.LAYER)
       for attr in ("weights", "trainable_weights", "non_trainable_weights", "kernel", "bias")},
}  # fmt: skip
# What calling a method of a Keras object returns: (receiver kind, method) -> kind.
METHOD_RESULTS: dict[tuple[Kind, str], Kind] = {
    (Kind.MODEL, "get_layer"): Kind.LAYER,
    **{(Kind.MODEL, m): Kind.KERAS for m in ("fit", "fit_generator")},  # History
    **{(Kind.MODEL, m): Kind.FOREIGN for m in (
        "predict", "predict_on_batch", "predict_generator", "predict_classes", "predict_proba",
        "evaluate", "evaluate_generator", "train_on_batch", "test_on_batch", "count_params",
        "to_json", "to_yaml", "get_weights", "summary", "save", "save_weights", "compile")},
    (Kind.LAYER, "get_weights"): Kind.FOREIGN,
    (Kind.LAYER, "get_config"): Kind.FOREIGN,
    (Kind.MODEL, "get_config"): Kind.FOREIGN,
    (Kind.KERAS, "flow"): Kind.KERAS,  # ImageDataGenerator iterators
    (Kind.KERAS, "flow_from_directory"): Kind.KERAS,
    (Kind.KERAS, "flow_from_dataframe"): Kind.KERAS,
}  # fmt: skip


def combine(kinds: "list[Kind]") -> Kind:
    """One kind for a name bound several times: agreeing bindings, else unknown."""
    distinct = set(kinds)
    if not distinct:
        return Kind.UNKNOWN
    if len(distinct) == 1:
        return distinct.pop()
    if all(k.is_keras for k in distinct):
        return Kind.KERAS
    if all(k.is_not_keras for k in distinct):
        return Kind.FOREIGN
    return Kind.UNKNOWN
