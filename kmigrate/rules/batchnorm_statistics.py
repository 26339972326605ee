"""KM613: BatchNormalization moving statistics were zero-debiased in Keras 2.1.3-2.2.5.

The TensorFlow backend's ``moving_average_update`` called
``moving_averages.assign_moving_average(..., zero_debias=True)`` from Keras 2.1.3 to 2.2.5
(checked in the released sources: 2.1.2 and earlier, Keras 1 included, passed
``zero_debias=False``; 2.3.0 replaced it with a plain ``assign_sub``, which is what Keras 3 does).
With debiasing, the moving mean after the first step is the batch mean itself instead of
``0.01 * mean``, so a model trained after migration gives different inference outputs.  Training
itself (batch statistics) is unchanged.  No exact rewrite survives saving without adding weights,
so trained models that use BatchNormalization are marked once each.  So are models that train a
``keras.applications`` network built with BatchNormalization (every one but VGG16/VGG19), unless
the file freezes it whole before compiling (``base.trainable = False``, ``model.layers[0].trainable =
False`` for an application added first to a Sequential, or ``layer.trainable = False`` for every
layer of ``base.layers``) and sets no ``trainable = True`` anywhere: legacy Keras
collected no updates of a frozen layer, and Keras 3 runs frozen BatchNormalization in inference
mode, so frozen statistics stay equal.  Those models get another marker instead, whatever the
version: legacy BatchNormalization ignored ``trainable`` in ``call()`` and normalized with the
batch's statistics while fitting, where Keras 3 uses the moving statistics of a frozen layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate.context import FileContext
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM613",
        name="batchnorm-zero-debias",
        summary=(
            "BatchNormalization trained under Keras 2.1.3-2.2.5 zero-debiased its moving statistics; Keras 3 "
            "does not."
        ),
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense, BatchNormalization\n"
            "\n"
            "x, y = np.zeros((64, 3)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(), Dense(1)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(x, y, epochs=2)"
        ),
        after=(
            "model.fit(x, y, epochs=2)  # kmigrate: KM613 re-validate predictions: BatchNorm moving stats lost zero-debias (assumed 2.2.4)"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Keras 2.1.3-2.2.5 updated moving_mean/moving_variance with TF's zero-debiased moving average; "
            "Keras 3 uses the plain exponential average, so after the same training the moving statistics "
            "(and every prediction in inference mode) differ, most in short trainings. Marked once per "
            "trained model in files that build BatchNormalization or a keras.applications model that "
            "contains it (all but VGG16/VGG19: ResNet50, InceptionV3, InceptionResNetV2, Xception, "
            "MobileNet(V2), DenseNet, NASNet) and do not freeze it whole before compile (base.trainable = "
            "False, model.layers[i].trainable = False for the application added as layer i of a Sequential, "
            "or every layer of base.layers set untrainable, and no trainable = True anywhere: a "
            "frozen BatchNormalization updates nothing in either version); skipped when --from-version is "
            "before 2.1.3 or 2.3.0 and later. A model trained on an application frozen that way gets "
            "another marker, whatever the version: every legacy BatchNormalization normalized with the "
            "batch's statistics while fitting, trainable or not, and Keras 3 runs a frozen one in "
            "inference mode, so the head trains on other features (measured with a frozen MobileNet "
            "base under genuine Keras 2.2.4)."
        ),
        catalog=(),
        details=(
            "Measured by the verify fixtures (batchnorm_keras1_mode0 declares the moving statistics not "
            "comparable). Without --from-version the code is assumed to be 2.2.4 and the message says so."
        ),
    ),
)

_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch"})
# keras.applications networks built with BatchNormalization (keras_applications 1.0.6-1.0.8, which
# Keras 2.2.4-2.3 import): every one but VGG16 and VGG19.
_BATCHNORM_APPLICATIONS = frozenset({
    "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2", "ResNeXt50",
    "ResNeXt101", "InceptionV3", "InceptionResNetV2", "Xception", "MobileNet", "MobileNetV2",
    "DenseNet121", "DenseNet169", "DenseNet201", "NASNetMobile", "NASNetLarge",
})  # fmt: skip


@dataclass
class _Uses(cst.CSTVisitor):
    """Does the file build a legacy BatchNormalization, or an application containing one that it
    does not freeze whole before its first compile()?"""

    ctx: FileContext
    legacy_batchnorm: bool = False
    _order: int = 0
    _applications: list[str | None] = field(default_factory=list)  # the names they are bound to
    _frozen: dict[str, int] = field(default_factory=dict)  # name -> where first frozen whole
    _first_compile: int | None = None
    _unfreezes: bool = False
    _counted: set[int] = field(default_factory=set)  # application calls already bound to a name
    _adds: dict[str, int] = field(default_factory=dict)  # model name -> layers added so far

    @property
    def uses_batchnorm(self) -> bool:
        if self.legacy_batchnorm:
            return True
        return any(not self._frozen_before_compile(name) for name in self._applications)

    @property
    def frozen_batchnorm(self) -> bool:
        """An application with BatchNormalization frozen whole before compile: its statistics stay
        equal, but legacy Keras still normalized it with each batch's statistics while fitting."""
        return any(self._frozen_before_compile(name) for name in self._applications)

    def _frozen_before_compile(self, name: str | None) -> bool:
        if name is None or self._unfreezes or name not in self._frozen:
            return False
        return self._first_compile is None or self._frozen[name] < self._first_compile

    def visit_Call(self, node: cst.Call) -> None:
        self._order += 1
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "compile" and self._first_compile is None:
            self._first_compile = self._order
        if isinstance(func, cst.Attribute) and func.attr.value == "add" and isinstance(func.value, cst.Name):
            self._added(func.value.value, node)
        if not self.legacy_batchnorm:
            api = self.ctx.api(func)
            self.legacy_batchnorm = api is not None and api.legacy and api.leaf == "BatchNormalization"

    def visit_Assign(self, node: cst.Assign) -> None:
        self._order += 1
        value = node.value
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        if isinstance(value, cst.Call) and self._is_batchnorm_application(value):
            self._applications.append(names[0] if len(names) == 1 else None)
            self._counted.add(id(value))
        elif isinstance(value, cst.Call) and len(names) == 1 and value.args \
                and isinstance(value.args[0].value, (cst.List, cst.Tuple)):
            for index, element in enumerate(value.args[0].value.elements):  # Sequential([ResNet50(...), ...])
                self._layer_at(names[0], index, element.value)
        for target in node.targets:
            trainable = _trainable_flag(target.target, value)
            if trainable is True:
                self._unfreezes = True
            elif trainable is False and isinstance(target.target, cst.Attribute):
                frozen = _frozen_name(target.target.value)
                if frozen is not None:
                    self._frozen.setdefault(frozen, self._order)

    def _added(self, model: str, call: cst.Call) -> None:
        """``model.add(ResNet50(...))``: the application is ``model.layers[i]``."""
        index = self._adds.get(model, 0)
        self._adds[model] = index + 1
        if call.args:
            self._layer_at(model, index, call.args[0].value)

    def _layer_at(self, model: str, index: int, layer: cst.BaseExpression) -> None:
        if isinstance(layer, cst.Call) and self._is_batchnorm_application(layer):
            self._applications.append(f"{model}.layers[{index}]")  # frozen by model.layers[i].trainable = False
            self._counted.add(id(layer))

    def leave_Call(self, original_node: cst.Call) -> None:
        # an application built inside an expression (Sequential([ResNet50(...), ...])): never frozen by name
        if id(original_node) not in self._counted and self._is_batchnorm_application(original_node):
            self._applications.append(None)

    def visit_For(self, node: cst.For) -> None:
        self._order += 1
        layers = node.iter
        if not isinstance(node.target, cst.Name) or not isinstance(layers, cst.Attribute) \
                or layers.attr.value != "layers" or not isinstance(layers.value, cst.Name):
            return  # for layer in base.layers[:100]: a part only
        loop_var = node.target.value
        for small in _small_statements(node.body):
            if isinstance(small, cst.Assign) and any(
                _trainable_flag(t.target, small.value) is False and isinstance(t.target, cst.Attribute)
                and isinstance(t.target.value, cst.Name) and t.target.value.value == loop_var
                for t in small.targets
            ):
                self._frozen.setdefault(layers.value.value, self._order)

    def _is_batchnorm_application(self, call: cst.Call) -> bool:
        api = self.ctx.api(call.func)
        return api is not None and api.legacy and api.path.startswith("applications.") \
            and api.leaf in _BATCHNORM_APPLICATIONS

@dataclass
class BatchNormStatisticsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"BatchNormalization", *(n.encode() for n in sorted(_BATCHNORM_APPLICATIONS)))

    _scan: _Uses | None = None
    _marked: set[str] = field(default_factory=set)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Uses(self.ctx)
        return (self._scan,)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _TRAINING:
            return updated
        if self._scan is None or not (self._scan.uses_batchnorm or self._scan.frozen_batchnorm):
            return updated
        version, assumed = self.ctx.settings.legacy_version
        frozen_only = not self._scan.uses_batchnorm
        if not frozen_only and not assumed and not ((2, 1, 3) <= version < (2, 3)):
            return updated
        receiver = code(func.value)
        if receiver in self._marked or not self.ctx.keras_receiver(func.value, func.attr.value, original):
            return updated
        if not self.ctx.allows("KM613"):
            return updated
        self._marked.add(receiver)
        if frozen_only:
            # Every legacy BatchNormalization.call ignored trainable (keras 1 to 2.3.1); Keras 3 runs
            # a frozen one in inference mode. No built-in layer normalizes with batch statistics
            # without updating its moving ones, so this is marked, not rewritten.
            self.ctx.flag("KM613", original, "re-validate training: legacy Keras normalized a frozen "
                          "BatchNormalization (trainable = False) with each batch's statistics while fitting; "
                          "Keras 3 runs it in inference mode with its moving statistics, so the layers "
                          "trained on top see other features (measured under genuine Keras 2.2.4 with a "
                          "frozen MobileNet base: other losses from the first epoch)",
                          marker="frozen BatchNorm: legacy fit normalized with batch statistics")
            return updated
        source = "assumed 2.2.4" if assumed else "Keras " + ".".join(map(str, version))
        self.ctx.flag("KM613", original, f"re-validate predictions: BatchNorm moving stats lost zero-debias ({source})")
        return updated


def _small_statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement]:
    """The simple statements directly in a loop's body (``for l in x: l.trainable = False`` too)."""
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    lines = body.body if isinstance(body, cst.IndentedBlock) else ()
    return [small for line in lines if isinstance(line, cst.SimpleStatementLine) for small in line.body]


def _frozen_name(owner: cst.BaseExpression) -> str | None:
    """What ``owner.trainable = False`` freezes: ``base`` or ``model.layers[0]``."""
    if isinstance(owner, cst.Name):
        return owner.value
    if isinstance(owner, cst.Subscript) and len(owner.slice) == 1 and isinstance(owner.slice[0].slice, cst.Index):
        index = owner.slice[0].slice.value
        layers = owner.value
        if isinstance(index, cst.Integer) and isinstance(layers, cst.Attribute) and layers.attr.value == "layers" \
                and isinstance(layers.value, cst.Name):
            return f"{layers.value.value}.layers[{index.evaluated_value}]"
    return None


def _trainable_flag(target: cst.BaseExpression, value: cst.BaseExpression) -> bool | None:
    """True/False for ``x.trainable = True/False``, None for anything else."""
    if not isinstance(target, cst.Attribute) or target.attr.value != "trainable" or not isinstance(value, cst.Name):
        return None
    return {"True": True, "False": False}.get(value.value)


FIXER = BatchNormStatisticsFixer
