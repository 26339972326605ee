"""KM612: `model.add_loss(<symbolic tensor>)` outside a layer (the variational-autoencoder idiom).

Keras 2 let a functional model take a loss built from its graph's tensors
(``vae.add_loss(K.mean(xent + kl)); vae.compile(optimizer)``).  Keras 3's ``Functional.add_loss``
raises NotImplementedError, and backend functions on its symbolic tensors raise too: the loss has
to be computed inside a layer's ``call()`` on the tensors the layer is given.  This family marks
such calls; it does not rewrite them yet (see the rule's details for the measured rewrite and its
limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate.kinds import Kind
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM612",
        name="model-add-loss-symbolic",
        summary=(
            "`model.add_loss(tensor)` on a functional model is rejected by Keras 3: the loss belongs in a "
            "layer's call()."
        ),
        before=(
            "from keras.layers import Input, Dense\n"
            "from keras.models import Model\n"
            "from keras import backend as K\n"
            "\n"
            "inputs = Input(shape=(4,))\n"
            "outputs = Dense(4)(inputs)\n"
            "autoencoder = Model(inputs, outputs)\n"
            "autoencoder.add_loss(K.mean(K.square(outputs - inputs)))\n"
            "autoencoder.compile(optimizer='adam')"
        ),
        after=(
            "ae.add_loss(K.mean(K.square(outputs - inputs)))  # kmigrate: KM612 compute this loss in a Layer's call() with self.add_loss()"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Keras 3 Functional.add_loss raises NotImplementedError and K.* functions raise on symbolic "
            "KerasTensors, so the loss expression must move into a Layer subclass whose call() receives the "
            "tensors it uses, calls self.add_loss(...) and returns the model output; the model is then "
            "rebuilt through that layer."
        ),
        catalog=("C-L19",),
        tf_keras=False,
        details=(
            "Measured on TF 2.21 with the Keras 2.2.4 examples/variational_autoencoder.py graph: a layer "
            "`call(self, t): out, (inputs, outputs, z_mean, z_log_var) = t; <loss statements>; "
            "self.add_loss(...); return out` and `vae = Model(vae.input, Loss()([vae.output, [inputs, "
            "outputs, z_mean, z_log_var]]))` trains with the same weights in the same order and round-trips "
            "through .h5, but the .keras format cannot reload it (z_mean's layers are both inside the nested "
            "encoder and at the top level: 'expected 2 variables, received 0')."
        ),
    ),
)


@dataclass
class SymbolicLossFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"add_loss",)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "add_loss" or not original.args:
            return updated
        receiver = func.value
        if isinstance(receiver, cst.Name) and receiver.value == "self":
            return updated  # inside a layer or model's own methods: still valid
        if self.ctx.kind_of(receiver) is not Kind.MODEL or not self.ctx.allows("KM612"):
            return updated
        self.ctx.flag("KM612", original, "compute this loss in a Layer's call() with self.add_loss(); "
                      "Keras 3 models reject it")
        return updated


FIXER = SymbolicLossFixer
