"""KM623: `model.trainable = False` after `model.compile(...)`: the GAN freeze idiom.

Legacy Keras fixed a model's trainable weights when it was compiled: a discriminator compiled,
then set ``trainable = False`` before the combined model was compiled, kept training in its own
``train_on_batch`` and stayed frozen inside the combined model. Keras 3 reads ``trainable`` when a
model first trains: the same code never updates the discriminator at all (measured with TF 2.21:
``D.train_on_batch`` leaves its weights unchanged, and setting ``trainable = True`` after that
first call does not bring training back). Setting ``trainable = True`` before the model's own
training calls and ``False`` before the combined model's gives the legacy behaviour (measured).
The toggling depends on the training loop, so the assignment is marked, once per model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Mapping

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate.context import FileContext
from kmigrate.nodes import text
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rule_types import FLAG

RULES = (
    Rule(
        id="KM623",
        name="trainable-after-compile",
        summary="`model.trainable = False` after `compile()` froze the model only in models compiled later; "
        "Keras 3 freezes it everywhere.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential, Model\n"
            "from keras.layers import Dense, Input\n"
            "\n"
            "discriminator = Sequential([Dense(1, input_dim=2)])\n"
            "discriminator.compile(loss='binary_crossentropy', optimizer='sgd')\n"
            "discriminator.trainable = False\n"
            "noise = Input(shape=(2,))\n"
            "combined = Model(noise, discriminator(Dense(2)(noise)))\n"
            "combined.compile(loss='binary_crossentropy', optimizer='sgd')\n"
            "x, y = np.ones((4, 2)), np.zeros((4, 1))\n"
            "discriminator.train_on_batch(x, y)\n"
            "combined.train_on_batch(x, y)"
        ),
        after=(
            "discriminator.trainable = False  # kmigrate: KM623 set discriminator.trainable = True before "
            "discriminator trains (Keras 3 reads it then)"
        ),
        safety=FLAG,
        safety_note=(
            "Legacy Keras took a model's trainable weights at compile(); Keras 3 reads `trainable` when the "
            "model first trains, so a discriminator frozen after its own compile() never trains. Set "
            "`trainable = True` before its own train_on_batch/fit (the first call included) and `False` before "
            "the combined model's. Marked once per model that the file compiles, then freezes, then trains, "
            "unless the file sets `.trainable` to something other than False where that can undo the freeze (it "
            "toggles already; a `d.trainable = True` just before d's own compile() or in a helper the file never "
            "calls does not count). "
            "When the freeze is in a function of another module of the project (`gan = define_gan(g, d)` with "
            "`define_gan` in models.py), the call is marked: the project index records which functions "
            "compile and return a model, train or freeze their parameters (absolute, relative and star imports)."
        ),
        catalog=(),
        details="Found by review on real GANs (eriklindernoren/Keras-GAN wgan.py and others).",
    ),
)

_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch"})


@dataclass
class _Function:
    """What the freeze check needs of a top-level function: its parameters, the receivers it
    compiles and the names it returns (a builder that returns the model it compiled)."""

    params: tuple[str, ...]
    compiled: set[str] = field(default_factory=set)
    returned: set[str] = field(default_factory=set)
    trained: set[str] = field(default_factory=set)
    # Known of functions of other modules of the project only (the file's own are scanned here):
    frozen: set[str] = field(default_factory=set)  # parameters it sets `.trainable = False`
    toggles: bool = False  # it sets `.trainable` to something else as well
    module: str | None = None  # where it is defined


@dataclass
class _Order(cst.CSTVisitor):
    """In source order: which receivers are compiled (by position), trained, and whether the
    file ever sets `.trainable` to anything but the literal False (it toggles by itself).

    Also the builder-function GAN of the tutorials: `d = define_discriminator()` (which compiles
    and returns its model), then `define_gan(g, d)` freezes its parameter `d_model`."""

    ctx: FileContext
    position: int = 0
    compiled: dict[str, int] = field(default_factory=dict)  # receiver -> first compile's position
    trained: set[str] = field(default_factory=set)
    frozen_at: dict[int, int] = field(default_factory=dict)  # id(assign) -> position
    frozen_in: dict[int, str] = field(default_factory=dict)  # id(assign) -> enclosing function
    toggles: bool = False
    # `.trainable = <not False>` as (receiver, position, enclosing top-level function, in a class):
    toggle_sites: list[tuple[str, int, str | None, bool]] = field(default_factory=list)
    compiled_in: dict[str, str | None] = field(default_factory=dict)  # receiver -> function of its first compile
    functions: dict[str, _Function] = field(default_factory=dict)
    built_by: list[tuple[str, str, cst.BaseExpression, int]] = field(default_factory=list)  # (target, callee, its node, position)
    calls: list[tuple[str, cst.Call, int]] = field(default_factory=list)  # (function, call, position)
    _stack: list[str] = field(default_factory=list)
    _classes: int = 0
    _remote: dict[str, _Function | None] = field(default_factory=dict)  # name -> a project function's use
    relative_imports: dict[str, tuple[int, str]] = field(default_factory=dict)  # `from .models import f`: f -> (1, "models.f")

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.position += 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not node.relative or isinstance(node.names, cst.ImportStar):
            return
        module = get_full_name_for_node(node.module) if node.module is not None else ""
        for alias in node.names:
            self.relative_imports[alias.evaluated_alias or alias.evaluated_name] = (
                len(node.relative), ".".join(part for part in (module, alias.evaluated_name) if part),
            )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes += 1

    def leave_ClassDef(self, original: cst.ClassDef) -> None:
        self._classes -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._stack.append(node.name.value)
        if len(self._stack) == 1:
            params = tuple(p.name.value for p in (*node.params.posonly_params, *node.params.params))
            self.functions[node.name.value] = _Function(params)

    def leave_FunctionDef(self, original: cst.FunctionDef) -> None:
        self._stack.pop()

    def _function(self) -> _Function | None:
        return self.functions.get(self._stack[0]) if self._stack else None

    def function(self, name: str, callee: cst.BaseExpression) -> _Function | None:
        """The function a call of ``callee`` (spelt ``name``) calls: the file's own, or one of
        another module of the project (`define_gan`, `ganmodel.define_gan`), from what the
        project index records of it (``project.FunctionUse``)."""
        if name in self.functions:
            return self.functions[name]
        if name not in self._remote:
            self._remote[name] = self._project_function(name, callee)
        return self._remote[name]

    def _project_function(self, name: str, callee: cst.BaseExpression) -> _Function | None:
        project = self.ctx.project
        if project is None:
            return None
        qualified = self.ctx.resolver.qualified_name(callee)
        candidates = [(qualified, 0)] if qualified is not None else []
        head, _, rest = name.partition(".")
        if head in self.relative_imports:  # `from .models import define_gan`, `from . import ganmodel`
            level, imported = self.relative_imports[head]
            candidates.append((".".join(part for part in (imported, rest) if part), level))
        if "." not in name:
            candidates += [(f"{module}.{name}", 0) for module in reversed(self.ctx.resolver.all_star_modules)]
        for candidate, level in candidates:
            use = project.function_use(candidate, self.ctx.path, level)
            if use is not None:
                model = "<the model it compiles and returns>"
                return _Function(
                    use.params, compiled={model} if use.returns_compiled else set(),
                    returned={model} if use.returns_compiled else set(), trained=set(use.trains),
                    frozen=set(use.freezes), toggles=use.toggles, module=candidate.rpartition(".")[0],
                )  # fmt: skip
        return None

    def visit_Return(self, node: cst.Return) -> None:
        function = self._function()
        if function is not None and isinstance(node.value, cst.Name):
            function.returned.add(node.value.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        callee = _callee(self.ctx, func, self.relative_imports)
        if callee is not None:
            self.calls.append((callee, node, self.position))
        if not isinstance(func, cst.Attribute):
            return
        if func.attr.value == "compile" and self.ctx.keras_receiver(func.value, "compile", node):
            if text(func.value) not in self.compiled:
                self.compiled[text(func.value)] = self.position
                self.compiled_in[text(func.value)] = self._stack[0] if self._stack else None
            function = self._function()
            if function is not None:
                function.compiled.add(text(func.value))
        elif func.attr.value in _TRAINING:
            self.trained.add(text(func.value))
            function = self._function()
            if function is not None:
                function.trained.add(text(func.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        callee = _callee(self.ctx, node.value.func, self.relative_imports) if isinstance(node.value, cst.Call) else None
        if callee is not None:
            assert isinstance(node.value, cst.Call)
            for target in node.targets:
                self.built_by.append((text(target.target), callee, node.value.func, self.position))
        if not any(_sets_trainable(target.target) for target in node.targets):
            return
        if isinstance(node.value, cst.Name) and node.value.value == "False":
            self.frozen_at[id(node)] = self.position
            if self._stack:
                self.frozen_in[id(node)] = self._stack[0]
        else:
            self.toggles = True
            for target in node.targets:
                if _sets_trainable(target.target):
                    receiver = text(cst.ensure_type(target.target, cst.Attribute).value)
                    function = self._stack[0] if self._stack else None
                    self.toggle_sites.append((receiver, self.position, function, self._classes > 0))

    # -- after the scan -----------------------------------------------------------------------
    def compiled_before(self, receiver: str, position: int) -> bool:
        """``receiver`` was compiled before ``position``: directly, or made by a function that
        returns the model it compiled."""
        first = self.compiled.get(receiver)
        if first is not None and first < position:
            return True
        for target, function, callee, at in self.built_by:
            builder = self.function(function, callee)
            if target == receiver and at < position and builder is not None and builder.compiled & builder.returned:
                return True
        return False

    def trains(self, name: str) -> bool:
        """``name.fit/train_on_batch`` in the file, or ``name`` given to a function of the file
        that trains the parameter it arrives in (``train(g_model, d_model, gan_model)``)."""
        if name in self.trained:
            return True
        for called, call, _ in self.calls:
            function = self.function(called, call.func)
            if function is None:
                continue
            for index, param in enumerate(function.params):
                if param in function.trained and _argument(call, index, param) == name:
                    return True
        return False

    def compiled_argument(self, assign_id: int, receiver: str) -> str | None:
        """The freeze sets ``<parameter>.trainable = False`` inside a function that some call of
        the file gives an already compiled model: that argument, as the caller spells it."""
        function_name = self.frozen_in.get(assign_id)
        function = self.functions.get(function_name or "")
        if function is None or receiver not in function.params:
            return None
        index = function.params.index(receiver)
        for called, call, at in self.calls:
            if called != function_name:
                continue
            argument = _argument(call, index, receiver)
            if argument is not None and self.compiled_before(argument, at):
                return argument
        return None


    def toggles_anywhere(self) -> bool:
        """The file sets `.trainable` to something other than False where it can undo a freeze,
        or calls a project function that does (`make_trainable(d, True)` from the project's utils)."""
        if any(self._undoes_a_freeze(*site) for site in self.toggle_sites):
            return True
        return any(
            (function := self.function(called, call.func)) is not None and function.toggles for called, call, _ in self.calls
        )

    def _undoes_a_freeze(self, receiver: str, position: int, function: str | None, in_class: bool) -> bool:
        """A `.trainable = True` that cannot re-enable training after a freeze does not count as
        toggling: one set before the same scope compiles that model (`d.trainable = True` then
        `d.compile(...)`), or one in a top-level helper the file defines but never calls (not the
        function that compiles the model)."""
        first = self.compiled.get(receiver)
        if first is not None and position < first and self.compiled_in.get(receiver) == function:
            return False
        if function is not None and not in_class and function in self.functions \
                and function != self.compiled_in.get(receiver) \
                and not any(called == function for called, _, _ in self.calls):  # fmt: skip
            return False
        return True

    def frozen_by_project_call(self, call: cst.Call) -> list[tuple[str, str, str]]:
        """A call of a project function defined in another module that freezes a model it is
        given, compiled before the call and trained by itself (`gan = define_gan(g, d)` of the
        tutorial GAN split over modules): (argument, parameter, module) for each such model."""
        name = _callee(self.ctx, call.func, self.relative_imports)
        if name is None or name in self.functions:
            return []
        function = self.function(name, call.func)
        if function is None or function.module is None or function.toggles or self.toggles_anywhere():
            return []
        position = next((at for _, made, at in self.calls if made is call), None)
        found = []
        for index, param in enumerate(function.params):
            argument = _argument(call, index, param) if param in function.frozen else None
            if argument is not None and position is not None and self.compiled_before(argument, position) \
                    and self.trains(argument):  # fmt: skip
                found.append((argument, param, function.module))
        return found


def _callee(ctx: FileContext, func: cst.BaseExpression, relative: Mapping[str, object]) -> str | None:
    """A call's function as a name: `define_gan`, or `ganmodel.define_gan` when `ganmodel` is
    imported (``relative``: names the file imports relatively); None for a method of some object."""
    if isinstance(func, cst.Name):
        return func.value
    parts: list[str] = []
    while isinstance(func, cst.Attribute):
        parts.append(func.attr.value)
        func = func.value
    if not isinstance(func, cst.Name) or not (ctx.resolver.bindings.get(func.value) or func.value in relative):
        return None
    return ".".join([func.value, *reversed(parts)])


def _argument(call: cst.Call, index: int, keyword: str) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return text(arg.value)
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    return text(positional[index].value) if index < len(positional) else None


def _sets_trainable(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Attribute) and target.attr.value == "trainable"


@dataclass
class TrainableAfterCompileFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"trainable",)

    _scan: _Order | None = None
    _marked: set[str] = field(default_factory=set)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Order(self.ctx)
        return (self._scan,)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        scan = self._scan
        if scan is None or not isinstance(original.func, (cst.Name, cst.Attribute)) or not self.ctx.allows("KM623"):
            return updated
        for argument, param, module in scan.frozen_by_project_call(original):
            if argument in self._marked:
                continue
            self._marked.add(argument)
            function = _callee(self.ctx, original.func, scan.relative_imports)
            self.ctx.flag(
                "KM623", original,
                f"{function} ({module}) sets {param}.trainable = False on {argument}, which was compiled before "
                f"and is trained by itself: legacy Keras kept training {argument} in its own train_on_batch/fit "
                f"and froze it only in models compiled afterwards; Keras 3 reads `trainable` when {argument} "
                f"first trains and never updates it: set {argument}.trainable = True before {argument} trains "
                f"and False before the combined model trains",
                marker=f"set {argument}.trainable = True before {argument} trains ({function} froze it)",
            )  # fmt: skip
        return updated

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        scan = self._scan
        if scan is None or id(original) not in scan.frozen_at or scan.toggles_anywhere() or not self.ctx.allows("KM623"):
            return updated
        for target in original.targets:
            if not _sets_trainable(target.target):
                continue
            receiver = text(cst.ensure_type(target.target, cst.Attribute).value)
            compiled = f"{receiver} was compiled before this line"
            argument = None
            if scan.compiled_before(receiver, scan.frozen_at[id(original)]):
                trains_alone = scan.trains(receiver)
            else:
                argument = scan.compiled_argument(id(original), receiver)
                trains_alone = argument is not None and scan.trains(argument)
                compiled = f"{receiver} arrives here compiled ({argument}, which the file trains by itself)"
            if not trains_alone or receiver in self._marked:
                continue
            self._marked.add(receiver)
            if argument is not None:
                self._marked.add(argument)  # the caller's own `d.trainable = False` freezes the same model
            self.ctx.flag(
                "KM623", original,
                f"{compiled}, so legacy Keras kept training it in its own "
                f"train_on_batch/fit and froze it only in models compiled afterwards; Keras 3 reads `trainable` "
                f"when {receiver} first trains and never updates it: set {receiver}.trainable = True before "
                f"{receiver} trains and False before the combined model trains",
                marker=f"set {receiver}.trainable = True before {receiver} trains (Keras 3 reads it then)",
            )  # fmt: skip
        return updated


FIXER = TrainableAfterCompileFixer
