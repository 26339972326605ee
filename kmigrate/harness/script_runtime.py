"""Start-up module that runs ordinary Keras scripts offline, fast and comparably.

Loaded by path (never as part of the kmigrate package) by both workers of
`kmigrate verify` in script mode: the legacy one (genuine Keras 2.x, after
``legacy_compat``) and the modern one (TF 2.21 / Keras 3, or tf_keras).
``install(side)`` patches the Keras API that side has, the same way on both:

* ``keras.datasets.*.load_data()`` return synthetic arrays of the real shapes,
  dtypes and label ranges, generated with ``np.random.RandomState`` (whose
  stream NumPy keeps stable across versions), so both sides get the same bytes;
* ``get_file`` and any socket connection end the run with ``NeedsNetwork``;
* training is capped: epochs, samples per ``fit``/``evaluate``, steps per epoch
  of generators, and a budget of calls (a loop of ``train_on_batch`` or ``fit``
  ends the run with ``BudgetReached`` at the same call on both sides);
* randomness that cannot agree across the two TensorFlows is switched off
  (Dropout-like rates, shuffling in ``fit``), after recording it for the
  architecture comparison; initializers draw their seeds from a private
  stream, so the script's own ``np.random``/``random`` draws agree;
* each model is registered when it is first compiled, called or used; the
  legacy side saves its weights at that moment, the modern side loads them
  into the model registered at the same position; every ``fit``/``evaluate``/
  ``predict``/``*_on_batch`` result is recorded for the numerical comparison.

``run_script(path, config)`` runs one script as ``__main__`` and returns what
happened (outcome, models, recorded calls); arrays go to ``config["arrays"]``.
This file must not import kmigrate and must work with NumPy 1.23 (legacy side).
"""

import functools
import importlib.abc
import importlib.machinery
import inspect
import os
import random
import runpy
import socket
import sys
import traceback
import types
import zlib
from typing import Any, Callable

import numpy as np

SEED = 1234
# How many rows of each prediction are kept for the comparison.
RECORDED_ROWS = 256


class NeedsNetwork(BaseException):
    """The script tried to download something.  A BaseException, so that the
    script's own ``except Exception`` does not swallow it."""


class BudgetReached(BaseException):
    """The script called a training/prediction method more often than the cap."""


# --------------------------------------------------------------------------
# Synthetic datasets: real shapes, dtypes and label ranges, small cost.

def _rng(*parts):
    return np.random.RandomState(zlib.crc32("/".join(str(p) for p in parts).encode()) % (2 ** 31))


def _labels(rng, count, classes, dtype):
    # Every class occurs, so `np.max(y) + 1` gives the real number of classes.
    return rng.permutation(np.arange(count) % classes).astype(dtype)


def _images(name, shape_train, shape_test, classes, label_column=False):
    def split(part, shape):
        rng = _rng(name, part)
        x = rng.randint(0, 256, size=shape).astype(np.uint8)
        y = _labels(rng, shape[0], classes, np.uint8)
        return x, (y.reshape(-1, 1) if label_column else y)

    return split("train", shape_train), split("test", shape_test)


def _sequences(name, count, classes, num_words, skip_top, maxlen, start_char, oov_char, index_from,
               vocabulary=10000):
    rng = _rng(name, count)
    lengths = rng.randint(10, 400, size=count)
    ranks = rng.randint(1, vocabulary, size=int(lengths.sum()))
    labels = _labels(rng, count, classes, np.int64)
    sequences = []
    for words in np.split(ranks + index_from, np.cumsum(lengths)[:-1]):
        sequence = [start_char] + words.tolist() if start_char is not None else words.tolist()
        if num_words is not None or skip_top:
            limit = num_words if num_words is not None else vocabulary + index_from
            sequence = [w if skip_top <= w < limit else oov_char for w in sequence]
        sequences.append(sequence)
    if maxlen is not None:
        keep = [i for i, s in enumerate(sequences) if len(s) < maxlen]
        sequences = [sequences[i] for i in keep]
        labels = labels[keep]
    x = np.empty(len(sequences), dtype=object)
    for i, sequence in enumerate(sequences):
        x[i] = sequence
    return x, labels


def _text_dataset(name, train_count, test_count, classes):
    def load_data(path=None, num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
                  start_char=1, oov_char=2, index_from=3, **legacy):
        num_words = legacy.pop("nb_words", num_words)  # Keras 1 spelling
        train = _sequences(name + "/train", train_count, classes, num_words, skip_top, maxlen, start_char,
                           oov_char, index_from)
        test = _sequences(name + "/test", test_count, classes, num_words, skip_top, maxlen, start_char,
                          oov_char, index_from)
        return train, test

    return load_data


def _word_index(path=None):
    return {"word%d" % rank: rank for rank in range(1, 10000)}


def _boston_housing(path=None, test_split=0.2, seed=113):
    def split(part, count):
        rng = _rng("boston_housing", part)
        return rng.rand(count, 13) * 100.0, 5.0 + rng.rand(count) * 45.0

    return split("train", 404), split("test", 102)


def _cifar100(label_mode="fine"):
    return _images("cifar100/" + label_mode, (50000, 32, 32, 3), (10000, 32, 32, 3),
                   100 if label_mode == "fine" else 20, label_column=True)


DATASETS: dict[str, dict[str, Callable[..., Any]]] = {
    "mnist": {"load_data": lambda path=None: _images("mnist", (60000, 28, 28), (10000, 28, 28), 10)},
    "fashion_mnist": {"load_data": lambda: _images("fashion_mnist", (60000, 28, 28), (10000, 28, 28), 10)},
    "cifar10": {"load_data": lambda: _images("cifar10", (50000, 32, 32, 3), (10000, 32, 32, 3), 10,
                                             label_column=True)},
    "cifar100": {"load_data": _cifar100},
    "imdb": {"load_data": _text_dataset("imdb", 25000, 25000, 2), "get_word_index": _word_index},
    "reuters": {"load_data": _text_dataset("reuters", 8982, 2246, 46), "get_word_index": _word_index},
    "boston_housing": {"load_data": _boston_housing},
}


def _cached(function):
    """Generate once per process; hand out copies (scripts modify arrays in place)."""
    cache = {}

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        key = repr((args, sorted(kwargs.items())))
        if key not in cache:
            cache[key] = function(*args, **kwargs)
        return _copy(cache[key])

    return wrapper


def _copy(value):
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, np.ndarray) and value.dtype == object:  # sequences: lists the script may edit
        copied = np.empty(len(value), dtype=object)
        for index, sequence in enumerate(value):
            copied[index] = list(sequence)
        return copied
    if isinstance(value, np.ndarray):
        return value.copy()
    return value


SYNTHETIC = {name: {attr: _cached(fn) for attr, fn in functions.items()} for name, functions in DATASETS.items()}


# --------------------------------------------------------------------------
# No network

def _refuse_download(fname=None, origin=None, *args, **kwargs):
    raise NeedsNetwork(origin or kwargs.get("url") or fname or "a download")


def _block_sockets():
    original_connect = socket.socket.connect

    def connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return original_connect(self, address)
        raise NeedsNetwork("a connection to %s" % (address,))

    def getaddrinfo(host, *args, **kwargs):
        raise NeedsNetwork("a connection to %s" % host)

    def create_connection(address, *args, **kwargs):
        raise NeedsNetwork("a connection to %s" % (address,))

    socket.socket.connect = connect  # type: ignore[method-assign]  # the point: no connection leaves
    socket.getaddrinfo = getaddrinfo
    socket.create_connection = create_connection


class PlotStub(object):
    """Any matplotlib object (a figure, axes, a colormap, pyplot's return values): every
    attribute, call and item is another stub, and it unpacks as a pair (`fig, ax =
    plt.subplots()`). Plotting changes no number a script computes, so a script whose only
    obstacle is a missing matplotlib runs on both sides alike and draws nothing."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self

    def __setitem__(self, key, value):
        pass

    def __iter__(self):
        return iter((self, self))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False


class _PlottingStubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of matplotlib (and mpl_toolkits) when the runtime has none: modules whose
    every attribute is a PlotStub. Installed after the real finders, so an installed
    matplotlib is always the one used, on both sides alike."""

    ROOTS = ("matplotlib", "mpl_toolkits")

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in self.ROOTS:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        setattr(module, "__path__", [])  # a package: its submodules come here too
        setattr(module, "__getattr__", _attribute_stub)  # PEP 562: every name is a stub
        setattr(module, "KMIGRATE_PLOT_STUB", True)
        return module

    def exec_module(self, module):
        pass


def _attribute_stub(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return PlotStub()


def _stub_plotting():
    if not any(isinstance(finder, _PlottingStubFinder) for finder in sys.meta_path):
        sys.meta_path.append(_PlottingStubFinder())


def _patch_modules(prefixes):
    """Replace ``get_file`` and the dataset functions wherever a Keras module
    holds them (modules that imported them by name hold their own binding)."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.split(".")[0] in prefixes:
            continue
        if callable(getattr(module, "get_file", None)) and getattr(module.get_file, "__name__", "") == "get_file":
            setattr(module, "get_file", _refuse_download)  # a Keras module found by name
        dataset = name.rsplit(".", 1)[-1]
        if ".datasets." in "." + name and dataset in SYNTHETIC and hasattr(module, "load_data"):
            for attr, function in SYNTHETIC[dataset].items():
                setattr(module, attr, function)


# --------------------------------------------------------------------------
# Per-script state

class Session:
    """What one script run records; reset by ``run_script``."""

    def __init__(self, config):
        self.config = config
        self.side = config["side"]
        self.models = []  # registered models, in registration order
        self.entries = []  # their descriptions (JSON)
        self.calls = []  # recorded API calls (JSON); arrays in config["arrays"]
        self.counts = {}
        self.depth = 0  # > 0 inside a patched API method (Keras calling itself)

    # ---- models
    def index_of(self, model):
        for index, known in enumerate(self.models):
            if known is model:
                return index
        return None

    def register(self, model, how):
        index = self.index_of(model)
        if index is None:
            index = len(self.models)
            self.models.append(model)
            self.entries.append({"index": index, "registered_by": how, "weights": "pending"})
        if self.entries[index]["weights"] == "pending" and model.weights:
            self._initial_weights(index, model)
        return index

    def _initial_weights(self, index, model):
        entry = self.entries[index]
        path = os.path.join(self.config["weights_dir"], "model_%d.npz" % index)
        if self.side == "legacy":
            weights = model.get_weights()
            np.savez(path, *weights)
            entry["weights"] = "saved"
            entry["weight_shapes"] = [list(w.shape) for w in weights]
            return
        if not os.path.exists(path):
            entry["weights"] = "no legacy weights for this model"
            return
        with np.load(path) as stored:
            weights = [stored["arr_%d" % i] for i in range(len(stored.files))]
        current = model.get_weights()
        if [w.shape for w in current] != [w.shape for w in weights]:
            entry["weights"] = "legacy weights do not fit: legacy %s, migrated %s" % (
                [tuple(w.shape) for w in weights], [tuple(w.shape) for w in current])
            return
        model.set_weights(weights)
        entry["weights"] = "loaded"

    # ---- caps
    def spend(self, kind):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        budget = self.config["budgets"].get(kind)
        if budget is not None and self.counts[kind] > budget:
            raise BudgetReached("call %d of %s (cap %d)" % (self.counts[kind], kind, budget))

    # ---- records
    def record(self, index, kind, method, result):
        number = len(self.calls)
        prefix = "call%04d" % number
        arrays = self.config["arrays"]
        keys = []
        if kind == "fit":
            history = getattr(result, "history", None) or {}
            for key in ("loss", "val_loss"):
                if key in history:
                    arrays["%s/%s" % (prefix, key)] = np.asarray(history[key], dtype=np.float64)
                    keys.append(key)
        elif kind == "predict":
            outputs = result if isinstance(result, (list, tuple)) else [result]
            for position, output in enumerate(outputs):
                output = np.asarray(output)
                arrays["%s/output%d" % (prefix, position)] = output[:RECORDED_ROWS]
                keys.append("output%d" % position)
        else:  # evaluate, train_on_batch, test_on_batch: a loss or [loss, metrics...]
            values = result if isinstance(result, (list, tuple)) else [result]
            try:
                arrays[prefix + "/values"] = np.asarray(values, dtype=np.float64).ravel()
                keys.append("values")
            except (TypeError, ValueError):
                pass
        self.calls.append({"call": number, "model": index, "kind": kind, "method": method, "keys": keys})


SESSION = None


# --------------------------------------------------------------------------
# Randomness

RANDOM_ATTRIBUTES = ("rate", "stddev", "dropout", "recurrent_dropout")


def _parts(layer):
    """The layer and the objects holding its random settings (RNN cells, the
    layers inside Bidirectional/TimeDistributed wrappers)."""
    parts = [layer]
    for attribute in ("cell", "layer", "forward_layer", "backward_layer"):
        inner = layer.__dict__.get(attribute)
        if inner is not None and hasattr(inner, "__dict__") and not isinstance(inner, (int, float, str)):
            parts.extend(_parts(inner))
    return parts


def _random_settings(part):
    # Plain attributes only: a recurrent layer's `dropout` is a property reading its cell's.
    return {name: float(value) for name, value in ((n, part.__dict__.get(n)) for n in RANDOM_ATTRIBUTES)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value}


def switch_off_randomness(layer):
    """Dropout masks and noise cannot agree between two TensorFlows: record the
    rates (the architecture comparison checks them) and set them to zero, before
    the layer is first called (legacy Keras builds its graph at that moment)."""
    if SESSION is None or "_kmigrate_random" in layer.__dict__:
        return
    recorded = {}
    for part in _parts(layer):
        settings = _random_settings(part)
        recorded.update(settings)
        for attribute in settings:
            object.__setattr__(part, attribute, 0.0)
    object.__setattr__(layer, "_kmigrate_random", recorded)


# --------------------------------------------------------------------------
# API patches

def _array_like(value):
    return isinstance(value, np.ndarray) or (hasattr(value, "shape") and hasattr(value, "__getitem__")
                                             and not hasattr(value, "__next__") and hasattr(value, "dtype"))


def _cut(value, count):
    if _array_like(value):
        return value[:count]
    if isinstance(value, (list, tuple)) and value and all(_array_like(v) for v in value):
        return type(value)(v[:count] for v in value)
    if isinstance(value, dict) and value and all(_array_like(v) for v in value.values()):
        return {k: v[:count] for k, v in value.items()}
    return value


def _is_data(value):
    """Arrays, or a list/dict of arrays (several inputs or outputs)."""
    if isinstance(value, dict):
        return bool(value) and all(_array_like(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_array_like(v) for v in value)
    return _array_like(value)


def _length(value):
    try:
        return len(value) if hasattr(value, "__getitem__") and not _array_like(value) else None
    except TypeError:
        return None


# Keras 1 generator keywords that legacy Keras 2.x converts itself (keras/legacy/interfaces.py):
# `samples_per_epoch` becomes `samples_per_epoch // generator.batch_size` steps (or as many steps
# as samples when the generator has no batch_size), the others are renamed unchanged.  They are
# capped under their old names so that the converted values obey the same caps as the Keras 2
# names the migrated copy passes.
KERAS1_STEP_KEYWORDS = {"fit": ("nb_val_samples",), "evaluate": ("val_samples",), "predict": ("val_samples",)}
KERAS1_WORKER_KEYWORDS = {"nb_worker": 1, "pickle_safe": False}


def _cap_keras1_generator_keywords(kind, arguments, extra, steps):
    generator = arguments.get("generator", arguments.get("x"))
    batch_size = getattr(generator, "batch_size", None)
    samples_per_step = batch_size if isinstance(batch_size, int) and batch_size > 0 else 1
    for target in (arguments, extra):
        if kind == "fit" and target.get("samples_per_epoch"):
            target["samples_per_epoch"] = min(target["samples_per_epoch"], steps * samples_per_step)
        for name in KERAS1_STEP_KEYWORDS.get(kind, ()):
            if target.get(name):
                target[name] = min(target[name], steps)
        for name, value in KERAS1_WORKER_KEYWORDS.items():
            if name in target:
                target[name] = value


def _cap_arguments(kind, arguments, extra, config):
    """Apply the same caps, by argument name, on both sides."""
    samples, steps, epochs = config["samples"], config["steps"], config["epochs"]
    _cap_keras1_generator_keywords(kind, arguments, extra, steps)
    for name in ("verbose",):
        if name in arguments or kind in ("fit", "evaluate", "predict"):
            arguments[name] = 0
    if kind == "fit":
        start = arguments.get("initial_epoch") or 0
        for target in (arguments, extra):
            for name in ("epochs", "nb_epoch"):
                if name in target and target[name] is not None:
                    target[name] = min(target[name], start + epochs)
        arguments["shuffle"] = False
        x = arguments.get("x", arguments.get("generator"))
        if arguments.get("steps_per_epoch"):
            arguments["steps_per_epoch"] = min(arguments["steps_per_epoch"], steps)
        elif _length(x) and not _array_like(x) and not isinstance(x, (list, tuple, dict)):
            arguments["steps_per_epoch"] = min(_length(x), steps)  # a Sequence
        validation = arguments.get("validation_data")
        if isinstance(validation, (list, tuple)) and all(_is_data(v) or v is None for v in validation):
            arguments["validation_data"] = type(validation)(None if v is None else _cut(v, samples)
                                                            for v in validation)
        elif validation is not None:
            if arguments.get("validation_steps"):
                arguments["validation_steps"] = min(arguments["validation_steps"], steps)
            elif _length(validation):
                arguments["validation_steps"] = min(_length(validation), steps)
    if kind in ("fit", "evaluate"):
        for name in ("x", "y", "sample_weight"):
            if name in arguments:
                arguments[name] = _cut(arguments[name], samples)
    if kind in ("evaluate", "predict"):
        if arguments.get("steps"):
            arguments["steps"] = min(arguments["steps"], steps)
        source = arguments.get("x", arguments.get("generator"))
        if not arguments.get("steps") and _length(source) and not _array_like(source) \
                and not isinstance(source, (list, tuple, dict)):
            arguments["steps"] = min(_length(source), steps)
    for name in ("workers",):
        if name in arguments:
            arguments[name] = 1
    if "use_multiprocessing" in arguments:
        arguments["use_multiprocessing"] = False


API_METHODS = {
    "fit": "fit", "fit_generator": "fit",
    "evaluate": "evaluate", "evaluate_generator": "evaluate",
    "predict": "predict", "predict_generator": "predict", "predict_on_batch": "predict",
    "train_on_batch": "train_on_batch", "test_on_batch": "test_on_batch",
}


def _api_wrapper(original, method, kind):
    signature = inspect.signature(original)
    parameters = signature.parameters

    @functools.wraps(original)
    def api(self, *args, **kwargs):
        session = SESSION
        if session is None or session.depth:
            return original(self, *args, **kwargs)
        session.spend(kind)
        index = session.register(self, method)
        known = {k: v for k, v in kwargs.items() if k in parameters}
        extra = {k: v for k, v in kwargs.items() if k not in parameters}
        bound = signature.bind_partial(self, *args, **known)
        arguments = bound.arguments
        # Named positional-or-keyword arguments as keywords, so that caps can add some.
        call_kwargs = {k: v for k, v in arguments.items() if k != "self"
                       and parameters[k].kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                  inspect.Parameter.KEYWORD_ONLY)}
        rest = []
        for name, value in arguments.items():
            if parameters[name].kind == inspect.Parameter.VAR_POSITIONAL:
                rest = list(value)
            elif parameters[name].kind == inspect.Parameter.VAR_KEYWORD:
                extra.update(value)
        _cap_arguments(kind, call_kwargs, extra, session.config)
        call_kwargs = {k: v for k, v in call_kwargs.items() if k in parameters}
        session.depth += 1
        try:
            if rest:  # cannot mix *args with keywords for earlier parameters: call as given
                result = original(self, *args, **kwargs)
            else:
                result = original(self, **call_kwargs, **extra)
        finally:
            session.depth -= 1
        session.register(self, method)  # built by this call (a Sequential without input shape)
        session.record(index, kind, method, result)
        return result

    _keep_original(api, original)
    return api


def _keep_original(wrapper, original):
    """Mark ``wrapper`` as the patch of ``original`` (install() skips what is patched already)."""
    wrapper._kmigrate_original = original


def _registering_wrapper(original, how):
    @functools.wraps(original)
    def registering(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if SESSION is not None and not SESSION.depth:
            SESSION.register(self, how)
        return result

    _keep_original(registering, original)
    return registering


def patch_model_class(model_class):
    for method, kind in API_METHODS.items():
        original = getattr(model_class, method, None)
        if original is not None:
            setattr(model_class, method, _api_wrapper(original, method, kind))
    for method in ("compile", "__call__"):
        setattr(model_class, method, _registering_wrapper(getattr(model_class, method), method))



def _layer_wrapper(original, before):
    @functools.wraps(original)
    def wrapper(self, *args, **kwargs):
        before(self)
        return original(self, *args, **kwargs)

    _keep_original(wrapper, original)
    return wrapper


class _PrivateNumpyRandom:
    """Legacy Keras draws initializer and op seeds from the global ``np.random``
    (Keras 3 does not): give those draws a stream of their own, so that the
    script's own ``np.random`` draws are the same numbers on both sides."""

    def __init__(self):
        self.state = np.random.RandomState(SEED).get_state()
        self.depth = 0

    def reset(self):
        self.state = np.random.RandomState(SEED).get_state()

    def wrap(self, original):
        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            if self.depth or SESSION is None:  # fixtures keep legacy Keras's own behaviour
                return original(*args, **kwargs)
            script_state = np.random.get_state()
            np.random.set_state(self.state)
            self.depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1
                self.state = np.random.get_state()
                np.random.set_state(script_state)

        _keep_original(wrapper, original)
        return wrapper


PRIVATE_NUMPY_RANDOM = _PrivateNumpyRandom()


# --------------------------------------------------------------------------
# Architecture

# Legacy class names that Keras 3 spells differently (same layer).
MODERN_CLASS_NAMES = {"Model": "Functional", "CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU"}


def _shape(value):
    if isinstance(value, list):
        return [_shape(v) for v in value]
    shape = getattr(value, "shape", value)
    if shape is None:
        return None
    try:
        return [None if d is None else int(d) for d in tuple(shape)]
    except (TypeError, ValueError):
        return None


def _output_shape(layer):
    try:
        if hasattr(layer, "get_output_shape_at"):  # legacy Keras: first call site
            return _shape(layer.get_output_shape_at(0))
        output = layer.output  # Keras 3: the first call site
        return [_shape(o) for o in output] if isinstance(output, (list, tuple)) else _shape(output)
    except Exception:  # noqa: BLE001 - not called yet, or no static shape
        return None


def describe_model(model):
    layers = []
    for layer in getattr(model, "layers", []) or []:
        name = type(layer).__name__
        if name == "InputLayer":  # Keras 3 Sequential does not list it; legacy functional models do
            continue
        try:
            params = int(layer.count_params())
        except Exception:  # noqa: BLE001 - not built
            params = None
        layers.append({
            "class": MODERN_CLASS_NAMES.get(name, name),
            "name": layer.name,
            "output_shape": _output_shape(layer),
            "params": params,
            "trainable": bool(layer.trainable),
            "random": layer.__dict__.get("_kmigrate_random", {}),
        })
    name = type(model).__name__
    return {"class": MODERN_CLASS_NAMES.get(name, name), "layers": layers}


# --------------------------------------------------------------------------
# Image augmentation

# Modules holding the ImageDataGenerator iterators (the same NumPy code on every side).
AUGMENTATION_MODULES = {
    "legacy": ("keras_preprocessing.image.iterator", "keras_preprocessing.image.numpy_array_iterator",
               "keras.preprocessing.image"),
    "modern": ("keras.src.legacy.preprocessing.image",),
    "tf_keras": ("tf_keras.src.preprocessing.image",),
}


def _stable_seed(*numbers):
    return zlib.crc32(np.asarray(numbers, dtype=np.int64).tobytes())


def _with_seed(seed, function, *args):
    """Call ``function`` with the global ``np.random`` seeded, then put the script's stream back."""
    script_state = np.random.get_state()
    np.random.seed(seed)
    try:
        return function(*args)
    finally:
        np.random.set_state(script_state)


def _seeded_batches(original):
    """ImageDataGenerator draws its random transforms from the global ``np.random``, batch by
    batch, and Keras 3 fetches a first batch once more to learn the output shapes: the two sides
    would draw different transforms from the same stream.  Draw each batch's transforms from a
    stream seeded by the sample indices of the batch instead (the same batch gets the same draws
    on both sides), leaving the script's own ``np.random`` stream untouched."""
    @functools.wraps(original)
    def seeded(self, index_array):
        if SESSION is None:
            return original(self, index_array)
        return _with_seed(_stable_seed(*np.asarray(index_array).ravel()), original, self, index_array)

    _keep_original(seeded, original)
    return seeded


def _seeded_permutations(original):
    """The iterator's shuffling order (``np.random.permutation`` at the first batch and at each
    epoch end).  Keras 3 also reshuffles at the start of every epoch, after fetching a first batch
    to learn the shapes, so the k-th order is not drawn at the same moment on both sides: every
    order of an iterator over n samples is one fixed permutation of n on both sides (as `fit`
    gets shuffle=False for arrays)."""
    @functools.wraps(original)
    def seeded(self):
        if SESSION is None:
            return original(self)
        return _with_seed(_stable_seed(getattr(self, "n", 0)), original, self)

    _keep_original(seeded, original)
    return seeded


AUGMENTATION_METHODS = {"_get_batches_of_transformed_samples": _seeded_batches,
                        "_set_index_array": _seeded_permutations}


def _seed_augmentation(side):
    import importlib

    for name in AUGMENTATION_MODULES[side]:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for value in vars(module).values():
            if not isinstance(value, type):
                continue
            for method_name, wrap in AUGMENTATION_METHODS.items():
                method = vars(value).get(method_name)
                if method is not None and not hasattr(method, "_kmigrate_original"):
                    setattr(value, method_name, wrap(method))


# --------------------------------------------------------------------------
# Installation (once per worker)

DATASET_MODULES = {
    "legacy": ("keras.datasets.%s",),
    "modern": ("keras.src.datasets.%s", "keras.datasets.%s", "keras._tf_keras.keras.datasets.%s"),
    "tf_keras": ("tf_keras.src.datasets.%s", "tf_keras.datasets.%s"),
}
KERAS_PACKAGES = ("keras", "tf_keras", "keras_applications", "keras_preprocessing")
_INSTALLED: dict[str, Any] = {}


def install(side):
    """Patch the Keras API of this side.  ``side`` is legacy, modern or tf_keras."""
    if _INSTALLED:
        return _INSTALLED
    import importlib

    if side == "legacy":
        import keras
        from keras.engine import base_layer, training

        layer_class, model_class = base_layer.Layer, training.Model
        backend = keras.backend
        layer_class.add_weight = PRIVATE_NUMPY_RANDOM.wrap(layer_class.add_weight)
        layer_class.__call__ = PRIVATE_NUMPY_RANDOM.wrap(layer_class.__call__)
        import keras.utils.data_utils  # noqa: F401 - holds get_file
    elif side == "tf_keras":
        import tf_keras

        layer_class, model_class, backend = tf_keras.layers.Layer, tf_keras.Model, tf_keras.backend
    else:
        import keras
        from keras.src.random import seed_generator

        layer_class, model_class, backend = keras.layers.Layer, keras.Model, keras.backend
        # Keras 3 draws default seeds from the global `random`: a stream of its own.
        seed_generator.python_random = random.Random(SEED)
        _INSTALLED["seed_generator"] = seed_generator
    layer_class.__call__ = _layer_wrapper(layer_class.__call__, switch_off_randomness)
    patch_model_class(model_class)
    _seed_augmentation(side)
    for pattern in DATASET_MODULES[side]:
        for dataset in DATASETS:
            try:
                importlib.import_module(pattern % dataset)
            except ImportError:
                pass
    _patch_modules(KERAS_PACKAGES)
    _block_sockets()
    _stub_plotting()
    _INSTALLED.update(side=side, backend=backend)
    return _INSTALLED


def _reset_global_state():
    """A persistent worker runs script after script: undo what a script may set."""
    random.seed(SEED)
    np.random.seed(SEED)
    PRIVATE_NUMPY_RANDOM.reset()
    if "seed_generator" in _INSTALLED:
        _INSTALLED["seed_generator"].python_random.seed(SEED)
    backend = _INSTALLED["backend"]
    for setter, value in (("set_image_data_format", "channels_last"), ("set_floatx", "float32"),
                          ("set_epsilon", 1e-7)):
        if hasattr(backend, setter):
            getattr(backend, setter)(value)
    import tensorflow as tf

    if _INSTALLED["side"] == "legacy":
        tf.set_random_seed(SEED)
    else:
        tf.random.set_seed(SEED)
    _patch_modules(KERAS_PACKAGES)  # modules imported by the previous script


# --------------------------------------------------------------------------
# One script

def _script_line(exc, path):
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _outcome(exc, path, workdir):
    if exc is None:
        return {"kind": "completed"}
    line = _script_line(exc, path)
    if isinstance(exc, SystemExit):
        if exc.code in (None, 0):
            return {"kind": "completed", "detail": "sys.exit(0)", "line": line}
        return {"kind": "exception", "type": "SystemExit", "detail": "exit status %s" % (exc.code,), "line": line}
    if isinstance(exc, BudgetReached):
        return {"kind": "capped", "detail": str(exc), "line": line}
    if isinstance(exc, NeedsNetwork):
        return {"kind": "needs-network", "detail": str(exc), "line": line}
    missing = getattr(exc, "filename", None)
    if isinstance(exc, FileNotFoundError) and missing:
        missing = os.path.abspath(os.path.join(workdir, str(missing)))
        shown = os.path.relpath(missing, workdir) if missing.startswith(workdir + os.sep) else missing
        return {"kind": "needs-file", "detail": shown, "line": line}
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return {"kind": "exception", "type": type(exc).__name__, "detail": message[:300], "line": line,
            "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-12))}


def run_script(path, config):
    """Run ``path`` as ``__main__`` in the current directory; see the module doc."""
    global SESSION
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    _reset_global_state()
    session = Session(config)
    saved_argv, saved_path = sys.argv, list(sys.path)
    before = set(sys.modules)
    sys.argv = [path]
    sys.path.insert(0, folder)
    SESSION = session
    failure = None
    try:
        runpy.run_path(path, run_name="__main__")
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - whatever the script raised is the outcome
        failure = exc
    finally:
        SESSION = None
        sys.argv = saved_argv
        sys.path[:] = saved_path
        for added in set(sys.modules) - before:
            loaded_from = getattr(sys.modules[added], "__file__", None) or ""
            if os.path.abspath(loaded_from).startswith(folder + os.sep):
                del sys.modules[added]  # the script's helper modules: the next script may have its own
    outcome = _outcome(failure, path, os.getcwd())
    models = []
    for entry, model in zip(session.entries, session.models):
        try:
            models.append({**entry, **describe_model(model)})
        except Exception as exc:  # noqa: BLE001 - report, do not lose the run
            models.append({**entry, "class": type(model).__name__, "layers": [], "error": repr(exc)})
    return {"outcome": outcome, "models": models, "calls": session.calls, "counts": session.counts}
