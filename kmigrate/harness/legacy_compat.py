"""Start-up compatibility layer that lets genuine multi-backend Keras 2.x run on
Python 3.11 + tensorflow-cpu 2.15.1 + h5py 3.

Loaded by path (never as part of the kmigrate package) by the legacy worker,
before TensorFlow or Keras is imported.  ``install()`` applies the patches in
the order in which an unpatched runtime fails (see docs/verification.md):

1. route TF's own ``tf.keras`` to the separate tf_keras package, so that TF does
   not import the distribution ``keras`` (legacy Keras itself) in a cycle;
2. restore the ``collections`` ABC aliases and ``inspect.getargspec``;
3. make Keras take its TF1 graph code path, with resource variables (ref
   variables make graph-mode training nondeterministic);
4. make ``import tensorflow`` see the v1 API with a 1.x ``__version__``;
5. put back TF internals that moved after TF 1.15;
6. make h5py 3 read and write HDF5 attributes the way h5py 2 did.

This file must stay importable without kmigrate and without NumPy 2 features.
"""

import collections
import collections.abc
import inspect
import os
import sys
import types

# The TF version that the legacy code is told it runs on: newest 1.x, so every
# version gate in Keras 2.1-2.3 (and in user scripts) takes its TF1 branch.
REPORTED_TF_VERSION = "1.15.5"

_installed = False


def install():
    """Apply every patch once, in order.  Returns the patched ``tensorflow`` view."""
    global _installed
    if _installed:
        return sys.modules["tensorflow"]
    route_tf_keras_to_tf_keras_package()
    restore_python_aliases()
    tf = import_tensorflow_in_graph_mode()
    view = expose_v1_api_as_tensorflow(tf)
    restore_moved_tf_internals()
    patch_h5py_like_h5py2()
    _installed = True
    return view


# 1 -------------------------------------------------------------------------
def route_tf_keras_to_tf_keras_package():
    if "tensorflow" in sys.modules:
        raise RuntimeError("legacy_compat must be installed before tensorflow is imported")
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


# 2 -------------------------------------------------------------------------
_ABC_ALIASES = (
    "Callable", "Container", "Hashable", "ItemsView", "Iterable", "Iterator",
    "KeysView", "Mapping", "MappingView", "MutableMapping", "MutableSequence",
    "MutableSet", "Sequence", "Set", "Sized", "ValuesView", "Generator",
)

ArgSpec = collections.namedtuple("ArgSpec", ["args", "varargs", "keywords", "defaults"])


def _getargspec(func):
    # Python 3.11 removed getargspec; Keras only reads .args / .defaults.
    spec = inspect.getfullargspec(func)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def restore_python_aliases():
    for name in _ABC_ALIASES:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    if not hasattr(inspect, "getargspec"):
        setattr(inspect, "getargspec", _getargspec)  # gone in Python 3.11, which typeshed follows


# 3 -------------------------------------------------------------------------
def import_tensorflow_in_graph_mode():
    import tensorflow as tf

    tf.compat.v1.disable_v2_behavior()
    # disable_v2_behavior also switches to ref variables, whose graph-mode
    # updates race the backward pass; resource variables are deterministic.
    tf.compat.v1.enable_resource_variables()
    return tf


# 4 -------------------------------------------------------------------------
class TensorflowV1View(types.ModuleType):
    """What ``import tensorflow`` returns to legacy code: ``tf.compat.v1`` first,
    then the real module for anything v1 lacks, with a 1.x version string."""

    def __init__(self, real_tf):
        super().__init__("tensorflow", real_tf.__doc__)
        self.__dict__["_real_tf"] = real_tf
        self.__dict__["_v1"] = real_tf.compat.v1
        # Submodule imports (tensorflow.python.ops...) resolve through these.
        self.__path__ = list(real_tf.__path__)
        self.__spec__ = real_tf.__spec__
        self.__file__ = real_tf.__file__
        self.__version__ = REPORTED_TF_VERSION
        self.VERSION = REPORTED_TF_VERSION

    def __getattr__(self, name):
        try:
            return getattr(self.__dict__["_v1"], name)
        except AttributeError:
            return getattr(self.__dict__["_real_tf"], name)

    def __dir__(self):
        return sorted(set(dir(self.__dict__["_v1"])) | set(self.__dict__))


def expose_v1_api_as_tensorflow(real_tf):
    view = TensorflowV1View(real_tf)
    sys.modules["tensorflow"] = view
    return view


# 5 -------------------------------------------------------------------------
def _list_devices_v1_style():
    from tensorflow.python.eager import context

    return ["/job:localhost/replica:0/task:0/device:%s" % name.split("device:")[-1]
            for name in context.context().devices()]


def restore_moved_tf_internals():
    from tensorflow.python.framework import ops
    from tensorflow.python.ops import control_flow_ops, while_loop
    from tensorflow.python.types import core

    if not hasattr(control_flow_ops, "while_loop"):  # K.rnn in Keras 2.1/2.2
        control_flow_ops.while_loop = while_loop.while_loop
    if not hasattr(ops, "_TensorLike"):  # K.is_tensor in Keras 2.2/2.3
        ops._TensorLike = core.Tensor
    config = sys.modules["tensorflow"].__dict__["_real_tf"].config
    if not hasattr(config, "experimental_list_devices"):  # Keras 2.3 GPU detection
        config.experimental_list_devices = _list_devices_v1_style
    restore_in_place_operators_of_tf1_variables()


def _multiply_into_new_tensor(variable, other):
    return variable * other


def restore_in_place_operators_of_tf1_variables():
    """Keras 2.1 optimizers with ``decay > 0`` write ``lr *= 1 / (1 + decay * t)``
    where ``lr`` is a variable.  A TF 1 variable had no ``__imul__``, so Python made
    a new tensor and left the variable alone; resource variables raise instead.
    Give them TF 1's behaviour (ref variables would work but are nondeterministic)."""
    from tensorflow.python.ops import resource_variable_ops

    resource_variable_ops.BaseResourceVariable.__imul__ = _multiply_into_new_tensor


# 6 -------------------------------------------------------------------------
class DecodableStr(str):
    """h5py 3 returns string attributes as ``str``; Keras < 2.4 calls ``.decode()``."""

    def decode(self, encoding="utf-8", errors="strict"):
        return str(self)


def _as_h5py2_value(value):
    import numpy as np

    if isinstance(value, str):
        return DecodableStr(value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        # Variable-length string arrays: h5py 2 gave bytes-like items.
        return np.array([DecodableStr(v) if isinstance(v, str) else v for v in value.ravel()],
                        dtype=object).reshape(value.shape)
    return value


def _as_h5py2_stored(value):
    import numpy as np

    if isinstance(value, (list, tuple)) and value and all(isinstance(v, bytes) for v in value):
        # h5py 2 stored lists of bytes as fixed-length S arrays; genuine TF 1.15 /
        # Keras 2.2.4 and Keras 3 read that form.
        return np.array(value, dtype="S%d" % max(1, max(len(v) for v in value)))
    return value


def patch_h5py_like_h5py2():
    import h5py

    manager = h5py.AttributeManager
    if getattr(manager, "_kmigrate_patched", False):
        return
    original_getitem = manager.__getitem__
    original_setitem = manager.__setitem__
    original_get = manager.get

    def __getitem__(self, name):
        return _as_h5py2_value(original_getitem(self, name))

    def __setitem__(self, name, value):
        original_setitem(self, name, _as_h5py2_stored(value))

    def get(self, name, default=None):
        return _as_h5py2_value(original_get(self, name, default))

    manager.__getitem__ = __getitem__
    manager.__setitem__ = __setitem__
    manager.get = get
    manager._kmigrate_patched = True
