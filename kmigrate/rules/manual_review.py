"""KM901-KM922: what needs a person (catalog group D), marked where it stands.

Every marker fires only on a construct that resolves to Keras, TensorFlow or Theano (or, for
the Python 2 ``except E, e:`` form, that would stop the file from compiling) and says what to
write instead.  Rules of group D that other families already cover (Merge in a Sequential,
LocallyConnected, multi_gpu_model, HDF5Matrix, version-dependent defaults) are emitted there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate import callargs
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.keras1_internals import deletes_warmup_call
from kmigrate.rules.manual_review_catalog import RULES

_THEANO_KERNEL_HELPERS = frozenset({
    "utils.convert_all_kernels_in_model", "utils.convert_dense_weights_data_format",
})  # fmt: skip
# Python 2 dict iteration methods -> their Python 3 names.
_DICT_ITERATION = {"iteritems": "items", "itervalues": "values", "iterkeys": "keys"}
_PYTHON2_MODULES = {"cPickle": "use `import pickle`", "itertools.izip": "use the builtin zip",
                    "itertools.imap": "use the builtin map", "itertools.izip_longest": "use itertools.zip_longest"}  # fmt: skip
# TF1 names (qualified) -> what to do.
_TF1 = {
    "tensorflow.Session": "TF 2 runs eagerly: call the model/ops directly (tf.function for graphs)",
    "tensorflow.InteractiveSession": "TF 2 runs eagerly: drop the session",
    "tensorflow.placeholder": "feed data as arguments: Input(...) for models, tf.function arguments else",
    "tensorflow.get_default_graph": "TF 2 has no default graph to share between threads: drop it",
    "tensorflow.global_variables_initializer": "variables are initialised on creation in TF 2: drop it",
    "tensorflow.local_variables_initializer": "variables are initialised on creation in TF 2: drop it",
    "tensorflow.graph_util.convert_variables_to_constants": "export with model.export(path) or tf.saved_model.save",
    "tensorflow.train.Saver": "use tf.train.Checkpoint or model.save_weights",
    "tensorflow.reset_default_graph": "use tf.keras.backend.clear_session()",
    "tensorflow.variable_scope": "TF 2 has no variable scopes: use tf.name_scope, or drop it",
    "tensorflow.image.resize_images": "use tf.image.resize (no align_corners: compare the pixels)",
    "tensorflow.image.resize_bilinear": "use tf.image.resize(method='bilinear') (no align_corners)",
}
# TF1 root-level names TF 2 kept under another module, same arguments (measured on TF 2.21).
_TF1_RENAMES = {
    "tensorflow.set_random_seed": "random.set_seed", "tensorflow.log": "math.log",
    "tensorflow.space_to_depth": "nn.space_to_depth", "tensorflow.depth_to_space": "nn.depth_to_space",
}  # fmt: skip
# Methods only Theano tensors have (`x.dimshuffle(0, 'x')`) -> what TensorFlow code writes.
_THEANO_TENSOR_METHODS = {"dimshuffle": "use K.permute_dimensions / K.expand_dims ('x' = new axis)"}
# Methods of TF1 `tf.data` datasets that TF 2 removed; the names exist nowhere else in TF or Keras.
_TF1_DATASET_METHODS = {
    "make_one_shot_iterator": "iterate the dataset, or pass it to fit(), instead of an iterator",
    "make_initializable_iterator": "iterate the dataset, or pass it to fit(): TF 2 has no initializer",
}
_TF1_CONTRIB = "tf.contrib is gone in TF 2: use the core tf.* / tf.keras op or its add-on package"
# Libraries built on standalone Keras: they `import keras` themselves, so under TF 2.21 they
# get Keras 3 (or fail) and their objects do not mix with tf.keras models.  A top-level
# package named `keras_*` is one (keras_contrib, keras_bert, keras_self_attention, the
# keras_pos_embd/keras_multi_head/keras_layer_normalization family, keras_retinanet,
# keras_vggface, keras_tqdm, keras_radam, ...), except the ones below.  Other names (module
# or dotted prefix) are listed; those marked `True` are generic enough that they count only
# in files that import standalone Keras themselves.
_KERAS_NATIVE = frozenset({
    "keras_preprocessing", "keras_applications",  # rewritten by the import rules (KM108/KM109)
    "keras_tuner", "keras_cv", "keras_nlp", "keras_hub", "keras_core", "keras_rs",  # Keras 3 packages
})  # fmt: skip
_KERAS_BASED: dict[str, bool] = {
    "kerastuner": False,  # keras-tuner < 1.1 under its old import name
    "recurrentshop": False, "seq2seq": True, "capsulelayers": True, "capsulenet": True,
    "mrcnn": True,  # Matterport Mask R-CNN
    "hyperas": False, "talos": True, "innvestigate": False, "kapre": True, "elephas": False,
    "segmentation_models": False, "classification_models.keras": False, "efficientnet.keras": False,
    "deepexplain": True, "coremltools.converters.keras": False,
    "rl.agents": True, "rl.memory": True, "rl.policy": True, "rl.callbacks": True, "rl.core": True,  # keras-rl
    "vis.visualization": True, "vis.utils": True, "vis.backprop_modifiers": True,  # keras-vis
}  # fmt: skip
_PRIVATE = {
    "_keras_history": "keep the layer that produced the tensor instead",
    "_feed_inputs": "use model.inputs",
    "_make_predict_function": "drop the call: Keras 3 builds its predict function on first use",
    "_make_train_function": "drop the call: Keras 3 builds its train function on first use",
    "_make_test_function": "drop the call",
    "_standardize_input_data": "pass NumPy arrays / tf.data directly",
    "_inbound_nodes": "keep the tensors returned by each call instead",
    "_outbound_nodes": "keep the tensors returned by each call instead",
    "_SESSION": "TF 2 has no global session",
    "_LEARNING_PHASE": "pass training=True/False to the model call",
    "_function_kwargs": "pass the options to compile()",
}


@dataclass
class ManualReviewFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (
        b"keras", b"theano", b"tensorflow",
        *(name.encode() for name, needs_keras in _KERAS_BASED.items() if not needs_keras and "keras" not in name),
    )  # fmt: skip

    # -- imports: theano, third-party Keras libraries ----------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._imported(node, get_full_name_for_node(alias.name) or "")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        self._imported(node, get_full_name_for_node(node.module) or "")

    def _imported(self, node: cst.CSTNode, module: str) -> None:
        if self.ctx.involves_keras:
            python2 = _PYTHON2_MODULES.get(module)
            if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
                python2 = python2 or next(
                    (_PYTHON2_MODULES[f"{module}.{a.evaluated_name}"] for a in node.names
                     if f"{module}.{a.evaluated_name}" in _PYTHON2_MODULES), None)  # fmt: skip
            if python2 and self.ctx.allows("KM915"):
                self.ctx.flag("KM915", node, f"Python 2 only: {python2}")
                return
        if (module == "theano" or module.startswith("theano.")) and self.ctx.involves_keras:
            if self.ctx.allows("KM902"):
                self.ctx.flag("KM902", node, "Theano is gone: port this code to TensorFlow ops "
                              "(tf.*, tf.keras.ops), shared.set_value(v) -> variable.assign(v), "
                              "theano.function -> tf.function",
                              marker="port this Theano code to TensorFlow ops (tf.*, tf.function)")
            return
        if (module == "tensorflow.contrib" or module.startswith("tensorflow.contrib.")) and self.ctx.allows("KM904"):
            self.ctx.flag("KM904", node, _TF1_CONTRIB)
            return
        package = _keras_based(module, self.ctx.file_is_legacy)
        if package is not None and not self._projects_own(package) and self.ctx.allows("KM918"):
            self.ctx.flag("KM918", node, f"{package} is built on standalone Keras: upgrade it to a "
                          "tf.keras/Keras 3 release, replace it, or vendor the pieces used (its "
                          "objects do not mix with tf.keras models)",
                          marker=f"upgrade, replace or vendor {package} (it imports standalone keras)")

    def _projects_own(self, package: str) -> bool:
        """``package`` is a module of the project being migrated (its own ``keras_frcnn/``),
        not the library of that name."""
        top = package.partition(".")[0]
        project = getattr(self.ctx, "project", None)
        if project is not None:
            return bool(project.owns_module(top))
        return _beside(getattr(self.ctx, "path", None), top)

    # -- calls --------------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.involves_keras:
            python3 = self._python2_call(original, updated)
            if python3 is not None:
                return python3
        api = self.ctx.api(original.func)
        if api is not None and api.legacy and api.path in _THEANO_KERNEL_HELPERS:
            if self.ctx.allows("KM903"):
                self.ctx.flag("KM903", original, f"{api.leaf} (Theano kernel/ordering conversion) is "
                              "gone: convert the weights once under the legacy setup, save them, and "
                              "drop this call")
            return updated
        qualified = self.ctx.resolver.qualified_name(original.func)
        if qualified is not None:
            if qualified in _TF1_RENAMES and self.ctx.allows("KM904"):
                func = updated.func
                head = func
                while isinstance(head, cst.Attribute):
                    head = head.value
                if isinstance(head, cst.Name) and self.ctx.resolver.qualified_name(head) == "tensorflow":
                    self.ctx.fixed("KM904", original, f"{qualified} -> tf.{_TF1_RENAMES[qualified]}")
                    return updated.with_changes(func=cst.parse_expression(f"{head.value}.{_TF1_RENAMES[qualified]}"))
            if qualified in _TF1 and self.ctx.allows("KM904"):
                self.ctx.flag("KM904", original, f"{qualified.replace('tensorflow', 'tf', 1)} is TF1 "
                              f"graph code: {_TF1[qualified]}", marker=_TF1[qualified])
                return updated
            if qualified.startswith("tensorflow.contrib.") and self.ctx.allows("KM904"):
                self.ctx.flag("KM904", original, f"{qualified.replace('tensorflow', 'tf', 1)}: {_TF1_CONTRIB}",
                              marker=_TF1_CONTRIB)
                return updated
        func = original.func
        if isinstance(func, cst.Attribute) and func.attr.value in _TF1_DATASET_METHODS and self._tf1_dataset_call(func):
            advice = _TF1_DATASET_METHODS[func.attr.value]
            self.ctx.flag("KM904", original, f"Dataset.{func.attr.value}() is TF1 graph code: {advice}", marker=advice)
            return updated
        if isinstance(func, cst.Attribute) and func.attr.value in _THEANO_TENSOR_METHODS and self._theano_tensor(func):
            self.ctx.flag("KM902", original, f"`.{func.attr.value}()` is a Theano tensor method (TensorFlow "
                          f"tensors have none; the legacy code ran only on the Theano backend): "
                          f"{_THEANO_TENSOR_METHODS[func.attr.value]}",
                          marker=f"Theano-only .{func.attr.value}(): use K.expand_dims / K.permute_dimensions")
            return updated
        if isinstance(func, cst.Attribute) and self.ctx.involves_keras:
            name = func.attr.value
            if name == "get_keras_embedding" and self.ctx.allows("KM918"):
                # gensim (< 4) builds the layer with `from keras.layers import Embedding`
                self.ctx.flag("KM918", original, "gensim's get_keras_embedding() builds a standalone-Keras "
                              "Embedding, which does not mix with tf.keras models: build it yourself, "
                              "Embedding(kv.vectors.shape[0], kv.vectors.shape[1], "
                              "embeddings_initializer=Constant(kv.vectors), trainable=...)",
                              marker="gensim's Embedding is standalone Keras: build one with Constant(kv.vectors)")
            if name in ("fit", "evaluate", "fit_generator", "evaluate_generator") and callargs.keyword(
                updated, "show_accuracy"
            ) is not None and self.ctx.allows("KM920"):
                self.ctx.flag("KM920", original, "show_accuracy= is Keras 0.x: remove it and compile "
                              "with metrics=['accuracy']")
            elif name == "compile" and callargs.keyword(updated, "class_mode") is not None \
                    and self.ctx.allows("KM920"):
                self.ctx.flag("KM920", original, "class_mode= is Keras 0.x: remove it (the loss decides; "
                              "add metrics=['accuracy'] for accuracy)")
        return updated

    def _theano_tensor(self, func: cst.Attribute) -> bool:
        """``weights.dimshuffle(0, 'x')`` in a Keras file, on a receiver that may be a tensor (not
        known to be another library's object) and no class of the file or project defines it."""
        if not self.ctx.involves_keras or not self.ctx.allows("KM902"):
            return False
        if self.ctx.kinds.kind_of(func.value).is_not_keras:
            return False
        return not self.ctx.kinds.project_defines(func.attr.value)

    def _tf1_dataset_call(self, func: cst.Attribute) -> bool:
        """``dataset.make_one_shot_iterator()`` in a file that imports TensorFlow itself (not only
        tf.keras), where no class of the file or project defines a method of that name."""
        if not self.ctx.allows("KM904") or not any(
            binding.qualified == "tensorflow" or binding.qualified.startswith("tensorflow.")
            and not binding.qualified.startswith("tensorflow.keras")
            for bindings in self.ctx.resolver.bindings.values() for binding in bindings
        ):  # fmt: skip
            return False
        return not self.ctx.kinds.project_defines(func.attr.value)

    def _python2_call(self, original: cst.Call, updated: cst.Call) -> cst.Call | None:
        func = original.func
        if isinstance(func, cst.Name) and func.value == "xrange" and not self.ctx.resolver.is_bound("xrange"):
            if self.ctx.allows("KM915"):
                self.ctx.fixed("KM915", original, "xrange -> range")
                return updated.with_changes(func=cst.Name("range"))
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _DICT_ITERATION
            and isinstance(updated.func, cst.Attribute)
            and not updated.args
            and self.ctx.allows("KM915")
        ):
            new = _DICT_ITERATION[func.attr.value]
            self.ctx.fixed("KM915", original, f".{func.attr.value}() -> .{new}()")
            return updated.with_changes(func=updated.func.with_changes(attr=cst.Name(new)))
        return None

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        """A Keras 1 data generator class with `next(self)` and no `__next__`."""
        if not self.ctx.involves_keras or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        names = set()
        next_index = None
        for index, statement in enumerate(updated.body.body):
            if isinstance(statement, cst.FunctionDef):
                names.add(statement.name.value)
                if statement.name.value == "next" and len(statement.params.params) == 1:
                    next_index = index
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign):
                        names.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
        if next_index is None or "__next__" in names or not self.ctx.allows("KM915"):
            return updated
        self.ctx.fixed("KM915", original, "`next(self)` also serves as Python 3's `__next__`")
        body = list(updated.body.body)
        body.insert(next_index + 1, cst.parse_statement("__next__ = next\n"))
        return updated.with_changes(body=updated.body.with_changes(body=body))

    # -- private attributes ------------------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = original.attr.value
        if name not in _PRIVATE or not self.ctx.involves_keras or deletes_warmup_call(self.ctx, original):
            return updated
        if self.ctx.allows("KM919"):
            self.ctx.flag("KM919", original, f"{name} is a private Keras 2 internal, gone in Keras 3: "
                          f"{_PRIVATE[name]}", marker=_PRIVATE[name])
        return updated

    # -- Python 2 `except E, e:` ---------------------------------------------------------------------
    def leave_ExceptHandler(self, original: cst.ExceptHandler, updated: cst.ExceptHandler) -> cst.ExceptHandler:
        kind = updated.type
        if updated.name is not None or not isinstance(kind, cst.Tuple) or kind.lpar:
            return updated
        if len(kind.elements) != 2 or not isinstance(kind.elements[1].value, cst.Name):
            return updated
        if not self.ctx.allows("KM914"):
            return updated
        first = kind.elements[0].value
        self.ctx.fixed("KM914", original, "Python 2 `except E, e:` -> `except E as e:`")
        return updated.with_changes(
            type=first,
            name=cst.AsName(name=kind.elements[1].value),
        )


def _keras_based(module: str, file_uses_keras: bool) -> str | None:
    """The library built on standalone Keras that ``module`` belongs to, if any."""
    top = module.partition(".")[0]
    if top.startswith("keras_") and top not in _KERAS_NATIVE:
        return top
    for prefix, needs_keras in _KERAS_BASED.items():
        if (module == prefix or module.startswith(prefix + ".")) and (file_uses_keras or not needs_keras):
            return prefix
    return None


def _beside(path: str | None, top: str) -> bool:
    """A folder or ``.py`` file named ``top`` beside ``path`` or in a folder above it, up to
    the project root (the first folder up with a ``.git``, ``setup.py``, ``setup.cfg`` or
    ``pyproject.toml``)."""
    if not path:
        return False
    folder = os.path.dirname(os.path.abspath(path))
    for _ in range(_MAX_LEVELS):
        if os.path.isdir(os.path.join(folder, top)) or os.path.isfile(os.path.join(folder, top + ".py")):
            return True
        if any(os.path.exists(os.path.join(folder, marker)) for marker in _ROOT_MARKERS):
            return False
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent
    return False


_ROOT_MARKERS = (".git", "setup.py", "setup.cfg", "pyproject.toml")
_MAX_LEVELS = 6


FIXER = ManualReviewFixer
