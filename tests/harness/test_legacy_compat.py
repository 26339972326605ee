"""Pieces of the legacy compatibility layer that can be checked without the legacy runtime.
Each runs in a child interpreter: the layer patches process-wide state on purpose."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from kmigrate.harness.provision import COMPAT_LAYER

LOAD = f"""
import importlib.util
spec = importlib.util.spec_from_file_location('legacy_compat', {str(COMPAT_LAYER)!r})
compat = importlib.util.module_from_spec(spec); spec.loader.exec_module(compat)
"""


def run_child(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", LOAD + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_layer_does_not_import_kmigrate_or_tensorflow_when_loaded():
    out = run_child("""
        import sys
        print('tensorflow' in sys.modules, any(m.startswith('kmigrate') for m in sys.modules))
    """)
    assert out.split() == ["False", "False"]


def test_python_aliases_restored():
    out = run_child("""
        compat.restore_python_aliases()
        import collections, inspect
        def f(a, b=2, *rest, **options): pass
        spec = inspect.getargspec(f)
        print(collections.Iterable is collections.abc.Iterable, spec.args, spec.defaults, spec.varargs, spec.keywords)
    """)
    assert out.strip() == "True ['a', 'b'] (2,) rest options"


def test_h5py_reads_strings_with_decode_and_writes_byte_lists_as_fixed_length(tmp_path):
    out = run_child(f"""
        import h5py, numpy as np
        compat.patch_h5py_like_h5py2()
        with h5py.File({str(tmp_path / 'a.h5')!r}, 'w') as f:
            f.attrs['keras_version'] = '2.2.4'
            f.attrs['layer_names'] = [b'dense_1', b'dense_22']
        with h5py.File({str(tmp_path / 'a.h5')!r}, 'r') as f:
            print(f.attrs['keras_version'].decode('utf8'), f.attrs.get('keras_version').decode('utf8'))
            names = f.attrs['layer_names']
            print(names.dtype, [n.decode('utf8') for n in names])
    """)
    assert out.splitlines() == ["2.2.4 2.2.4", "|S8 ['dense_1', 'dense_22']"]


def test_install_refuses_to_run_after_tensorflow():
    out = run_child("""
        import sys, types
        sys.modules['tensorflow'] = types.ModuleType('tensorflow')
        try:
            compat.install()
        except RuntimeError as exc:
            print('refused:', exc)
    """)
    assert out.startswith("refused: legacy_compat must be installed before tensorflow")


def test_tensorflow_view_exposes_v1_api_with_a_1x_version():
    """The view works on any TF 2.x with compat.v1; here on the modern TF 2.21."""
    out = run_child("""
        compat.route_tf_keras_to_tf_keras_package()
        tf = compat.import_tensorflow_in_graph_mode()
        view = compat.expose_v1_api_as_tensorflow(tf)
        import tensorflow
        from tensorflow.python.ops import math_ops   # submodules still import through the view
        print(tensorflow is view, tensorflow.__version__, hasattr(tensorflow, 'placeholder'),
              tensorflow.Session is tf.compat.v1.Session, tensorflow.executing_eagerly())
    """)
    assert out.split() == ["True", compat_version(), "True", "True", "False"]


def compat_version() -> str:
    from kmigrate.harness import legacy_compat

    return legacy_compat.REPORTED_TF_VERSION
