"""The packages kmigrate knows in dependency files, as data.

Names are canonical (PEP 503: lower case, runs of ``-_.`` as one ``-``), so ``Keras``,
``keras_applications`` and ``Keras-Applications`` all match.
"""

from __future__ import annotations

from dataclasses import dataclass

# The first TensorFlow whose tf.keras is Keras 3 and that has a tf-keras companion: the
# migrated code needs at least this one.
MINIMUM_TENSORFLOW = "2.16"
# A release every lower bound is checked against: the TensorFlow kmigrate targets.
TARGET_TENSORFLOW = "2.21.0"

# What a legacy `keras` requirement becomes, per --target.  The tf_keras target needs both:
# without tf-keras installed, TF_USE_LEGACY_KERAS silently falls back to Keras 3 (catalog C-E01).
# tf-keras X.Y requires tensorflow X.Y, so pip picks the matching pair.
TARGET_REQUIREMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "tf.keras": (("tensorflow", f">={MINIMUM_TENSORFLOW}"),),
    "tf_keras": (("tensorflow", f">={MINIMUM_TENSORFLOW}"), ("tf-keras", f">={MINIMUM_TENSORFLOW}")),
}

KERAS = "keras"
# Names a legacy Keras goes by: Anaconda's defaults channel had a `keras-gpu` package.
KERAS_NAMES = frozenset({KERAS, "keras-gpu"})

# Distributions that provide TensorFlow: one of them already required means no second one is added.
TENSORFLOW_PACKAGES = frozenset(
    {"tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos", "tensorflow-intel",
     "tensorflow-aarch64", "tf-nightly", "tf-nightly-cpu", "tf-nightly-gpu", "intel-tensorflow"}
)  # fmt: skip

# Providers that never shipped a TensorFlow 2.16+: always reported, with what to use instead.
RETIRED_TENSORFLOW_PACKAGES: dict[str, str] = {
    "tensorflow-gpu": "tensorflow-gpu stopped at 2.12 (TensorFlow includes GPU support since 2.1): "
    "use `tensorflow[and-cuda]>=2.16` on Linux, `tensorflow>=2.16` elsewhere",
    "tf-nightly-gpu": "tf-nightly-gpu is no longer published: use `tf-nightly[and-cuda]`",
}

# Standalone Keras's split-out modules, now inside TensorFlow (tf.keras.applications and
# tf.keras.preprocessing): the requirement is removed.
BUNDLED_IN_TENSORFLOW: dict[str, str] = {
    "keras-applications": "tf.keras.applications",
    "keras-preprocessing": "tf.keras.preprocessing",
}


@dataclass(frozen=True)
class Extension:
    """A package built on standalone Keras: it imports `keras` itself, so it breaks (or mixes
    Keras 3 objects into a tf_keras model) after the migration."""

    advice: str


_CYBERZHG = (
    "archived; imports standalone `keras` unless TF_KERAS=1 is set and was written for Keras 2, so "
    "expect it to break on Keras 3: replace it with the tf.keras equivalent"
)

EXTENSIONS: dict[str, Extension] = {
    "keras-contrib": Extension(
        "archived; most layers moved to TensorFlow Addons (itself retired), CRF to tensorflow-addons "
        "or keras-crf; vendor the pieces you use and migrate them with kmigrate",
    ),
    "keras-vis": Extension(
        "unmaintained since 2017 and written for Keras 2.0: use tf-keras-vis, which has saliency maps, "
        "Grad-CAM and activation maximisation for tf.keras",
    ),
    "keras-rl": Extension(
        "unmaintained and written for standalone Keras 2: move to a maintained RL library "
        "(stable-baselines3, or TF-Agents for TensorFlow)",
    ),
    "keras-rl2": Extension(
        "archived; written for tf.keras 2.x and broken on Keras 3: keep it only under --target tf_keras "
        "with TF_USE_LEGACY_KERAS=1, or move to stable-baselines3 / TF-Agents",
    ),
    "keras-resnet": Extension(
        "unmaintained: tf.keras.applications has ResNet50/101/152 (and V2) with ImageNet weights",
    ),
    "recurrentshop": Extension(
        "unmaintained since 2017 (Keras 2.0 internals): rewrite the cells as tf.keras.layers.RNN with a "
        "custom cell",
    ),
    "keras-self-attention": Extension(_CYBERZHG + " (tf.keras.layers.Attention / MultiHeadAttention)"),
    "seq-self-attention": Extension(_CYBERZHG + " (tf.keras.layers.Attention / MultiHeadAttention)"),
    "keras-multi-head": Extension(_CYBERZHG + " (tf.keras.layers.MultiHeadAttention)"),
    "keras-pos-embd": Extension(_CYBERZHG + " (an Embedding over positions)"),
    "keras-layer-normalization": Extension(_CYBERZHG + " (tf.keras.layers.LayerNormalization)"),
    "keras-position-wise-feed-forward": Extension(_CYBERZHG + " (two Dense layers)"),
    "keras-embed-sim": Extension(_CYBERZHG),
    "keras-transformer": Extension(_CYBERZHG + " (keras-hub has maintained Transformer blocks)"),
    "keras-bert": Extension(
        "archived and built on standalone Keras 2: use keras-hub (BertBackbone, BertClassifier) or "
        "Hugging Face transformers for BERT on TensorFlow 2.16+",
    ),
    "keras-xlnet": Extension(_CYBERZHG + " (XLNet from Hugging Face transformers)"),
    "keras-gpt-2": Extension(_CYBERZHG + " (keras-hub's GPT2CausalLM)"),
    "keras-adabound": Extension(_CYBERZHG),
    "keras-radam": Extension(_CYBERZHG + " (a maintained RAdam optimizer)"),
    "keras-lookahead": Extension(_CYBERZHG),
    "keras-tqdm": Extension(
        "unmaintained (Keras 2.0 callbacks API): tqdm ships tqdm.keras.TqdmCallback for tf.keras",
    ),
    "keras-attention": Extension(
        "an old standalone-Keras attention layer: use tf.keras.layers.Attention / AdditiveAttention"
    ),
    "keras-metrics": Extension(
        "unmaintained: tf.keras.metrics has Precision, Recall, AUC, TruePositives ..."
    ),
    "keras-gcn": Extension(_CYBERZHG),
    "keras-octave-conv": Extension(_CYBERZHG),
    "keras-drop-block": Extension(_CYBERZHG),
    "keras-vggface": Extension(
        "imports keras.engine.topology and keras_applications internals that no longer exist: vendor "
        "the model definition and migrate it with kmigrate, or use a maintained face model",
    ),
    "keras-retinanet": Extension(
        "archived and built on standalone Keras 2: use keras-hub's RetinaNet, or vendor the model "
        "code and migrate it with kmigrate",
    ),
    "keras-maskrcnn": Extension("archived and built on keras-retinanet: see keras-retinanet"),
    "segmentation-models": Extension(
        "1.x runs on tf.keras only with SM_FRAMEWORK=tf.keras set before import, and not on Keras 3: "
        "keep it under --target tf_keras, or use keras-hub / segmentation models for PyTorch",
    ),
    "efficientnet": Extension(
        "the standalone-Keras EfficientNet port: tf.keras.applications has EfficientNetB0-B7 (and V2)",
    ),
    "image-classifiers": Extension(
        "standalone-Keras model zoo (classification_models): tf.keras.applications has most of these "
        "models",
    ),
    "hyperas": Extension(
        "unmaintained hyperopt wrapper that re-parses standalone Keras code: use keras-tuner",
    ),
    "keras2onnx": Extension(
        "archived and never supported Keras 3: use tf2onnx (`python -m tf2onnx.convert`)",
    ),
}
