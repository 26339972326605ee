"""KM614: data-loading arguments of fit/evaluate/predict move to the PyDataset (catalog C-T04, C-U04).

Keras 3 ``fit``/``evaluate``/``predict`` reject ``workers``, ``use_multiprocessing`` and
``max_queue_size`` (and Keras 1 spelled them ``nb_worker``, ``pickle_safe``, ``max_q_size``); a
``keras.utils.PyDataset`` (what ``Sequence`` is in Keras 3) takes them in its constructor.  This
family owns the decision for every such call (training.py's KM324 leaves them to it):

* values that are the defaults (``workers`` 0 or 1, ``use_multiprocessing=False``,
  ``max_queue_size=10``) are dropped: the data arrive in the same order in one thread;
* otherwise, when the data argument is an instance of a ``Sequence`` subclass defined in the file,
  created in that call or in the one assignment of a name used nowhere else, the arguments move to
  the instantiation, and the class's ``__init__`` gets ``**kwargs`` passed to
  ``super().__init__`` (other instantiations pass nothing and get PyDataset's defaults);
* otherwise they are dropped (Keras 3 fit() would raise TypeError on them; legacy Keras fed the
  batches in order whatever the number of workers), and a non-default ``use_multiprocessing`` is
  marked: with processes, legacy Keras gave each worker its own copy of a plain generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.context import FileContext
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.walk import find_all

RULES = (
    Rule(
        id="KM614",
        name="data-loading-args-to-pydataset",
        summary=(
            "`workers`, `use_multiprocessing` and `max_queue_size` move from fit/evaluate/predict to the "
            "Sequence's constructor."
        ),
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __init__(self, x):\n"
            "        self.x = x\n"
            "\n"
            "    def __len__(self):\n"
            "        return 1\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return self.x, self.x[:, :1]\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(Batches(np.zeros((8, 4))), epochs=1, workers=4, use_multiprocessing=True)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __init__(self, x, **kwargs):\n"
            "        super().__init__(**kwargs)\n"
            "        self.x = x\n"
            "\n"
            "    def __len__(self):\n"
            "        return 1\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return self.x, self.x[:, :1]\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(Batches(np.zeros((8, 4)), workers=4, use_multiprocessing=True), epochs=1)"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "Keras 3 fit/evaluate/predict raise TypeError on them; a PyDataset reads them from its "
            "constructor. Default values are dropped (same data, same order); other values move to a "
            "Sequence subclass defined in the file when its instance is visible, and are dropped otherwise "
            "(legacy Keras fed the batches in order whatever the worker count: only the loading speed "
            "changes); a non-default use_multiprocessing is also marked, since legacy processes each "
            "iterated their own copy of a plain generator."
        ),
        catalog=("C-T04", "C-U04"),
        tf_keras=False,
    ),
)

_METHODS = frozenset({"fit", "evaluate", "predict", "fit_generator", "evaluate_generator", "predict_generator"})
_NAMES = {"workers": "workers", "use_multiprocessing": "use_multiprocessing", "max_queue_size": "max_queue_size",
          "nb_worker": "workers", "pickle_safe": "use_multiprocessing", "max_q_size": "max_queue_size"}  # fmt: skip
_DEFAULTS = {"workers": (0, 1), "use_multiprocessing": (False,), "max_queue_size": (10,)}


def _is_default(name: str, value: cst.BaseExpression) -> bool:
    try:
        found = callargs.literal(value)
    except ValueError:
        return False
    return any(found == d and type(found) is type(d) for d in _DEFAULTS[_NAMES[name]])


def _keyword(arg: cst.Arg) -> str:
    """The keyword of an argument ``_present`` found (all of them have one)."""
    return arg.keyword.value if arg.keyword is not None else ""


def _class_name(instance: cst.Call) -> str:
    """The class an ``_instantiation`` calls (by a plain name)."""
    return instance.func.value if isinstance(instance.func, cst.Name) else ""




@dataclass
class _Plan(cst.CSTVisitor):
    """Sequence subclasses of the file, single assignments, and name use counts."""

    ctx: FileContext
    sequences: dict[str, cst.ClassDef] = field(default_factory=dict)
    assigned: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)
    calls: list[cst.Call] = field(default_factory=list)  # fit/evaluate/predict(_generator) calls

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _METHODS:
            self.calls.append(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            api = self.ctx.api(base.value)
            if api is not None and api.path == "utils.Sequence":
                self.sequences[node.name.value] = node

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.setdefault(target.target.value, []).append(node.value)

    def visit_Name(self, node: cst.Name) -> None:
        self.uses[node.value] = self.uses.get(node.value, 0) + 1


@dataclass
class DataLoadingArgsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"workers", b"use_multiprocessing", b"max_queue_size",
                                             b"nb_worker", b"pickle_safe", b"max_q_size")  # fmt: skip

    _plan: _Plan | None = None
    _moves: dict[int, list[cst.Arg]] = field(default_factory=dict)  # id(instantiation) -> keywords
    _classes: set[str] = field(default_factory=set)  # classes whose __init__ takes **kwargs now
    _decided: set[int] = field(default_factory=set)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._plan = _Plan(self.ctx)
        return (self._plan,)

    # -- decide on the whole file before the traversal reaches the instantiations -----------------
    def visit_Module(self, node: cst.Module) -> None:
        if self._plan is None or not self._plan.sequences:
            return
        for call in self._plan.calls:
            self._plan_move(call)

    def _plan_move(self, call: cst.Call) -> None:
        present = self._present(call)
        if not present or all(_is_default(_keyword(a), a.value) for a in present):
            return
        instance = self._instantiation(call)
        if instance is None or id(instance) in self._moves or self._init_edit(instance) is None:
            return
        names = {_NAMES[_keyword(a)] for a in present}
        if len(names) < len(present) or any(callargs.keyword(instance, n) for n in names):
            return
        self._moves[id(instance)] = present
        self._decided.add(id(call))
        self._classes.add(_class_name(instance))

    def _present(self, call: cst.Call) -> list[cst.Arg]:
        return [a for a in call.args if a.keyword is not None and a.keyword.value in _NAMES]

    def _instantiation(self, call: cst.Call) -> cst.Call | None:
        data = call.args[0].value if call.args and call.args[0].keyword is None and not call.args[0].star else None
        if data is None:
            arg = callargs.keyword(call, "generator") or callargs.keyword(call, "x")
            data = arg.value if arg is not None else None
        plan = self._plan
        if isinstance(data, cst.Name) and plan is not None:
            values = plan.assigned.get(data.value, [])
            if len(values) != 1 or plan.uses.get(data.value, 0) != 2:
                return None
            data = values[0]
        if not isinstance(data, cst.Call) or not isinstance(data.func, cst.Name) or plan is None:
            return None
        if data.func.value not in plan.sequences or any(a.star for a in data.args):
            return None
        return data

    def _init_edit(self, instance: cst.Call) -> str | None:
        """"none" (the class takes the keywords already), "add" (**kwargs to add), or None."""
        cls = self._plan.sequences.get(_class_name(instance)) if self._plan is not None else None
        if cls is None:  # not reached: _instantiation found the class
            return None
        init = next((s for s in cls.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"), None)
        if init is None:
            return "none"
        supers = find_all(init, cst.Call, m.Call(func=m.Attribute(value=m.Call(func=m.Name("super")), attr=m.Name("__init__"))))
        star = init.params.star_kwarg
        if star is None:
            bare = len(supers) == 1 and not supers[0].args  # e.g. added by KM444
            return "add" if (not supers or bare) and not isinstance(init.params.star_arg, cst.Param) else None
        passed = [c for c in supers if any(a.star == "**" and m.matches(a.value, m.Name(star.name.value)) for a in c.args)]
        return "none" if passed else None

    # -- edits ----------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        moved = self._moves.get(id(original))
        if moved is not None and self.ctx.allows("KM614"):
            for arg in moved:
                updated = callargs.add_keyword(updated, _NAMES[_keyword(arg)], arg.value)
            return updated
        func = original.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _METHODS:
            return updated
        present = self._present(original)
        if not present or not self.ctx.allows("KM614"):
            return updated
        if not self.ctx.keras_receiver(func.value, func.attr.value, original):
            return updated
        spelled = ", ".join(code(a).strip().rstrip(",").strip() for a in present)  # no comma or line break
        if id(original) in self._decided:
            self.ctx.fixed("KM614", original, f"{spelled} moved to the Sequence's constructor (Keras 3 "
                           "PyDataset arguments)")
        elif all(_is_default(_keyword(a), a.value) for a in present):
            self.ctx.fixed("KM614", original, f"{spelled} dropped: default data loading, which Keras 3 does")
        else:
            # No Sequence of the file's own to give them to: Keras 3 would raise TypeError on them.
            # Legacy Keras fed the batches in order whatever the worker count (a Sequence's batches
            # by index; a generator is not thread-safe), so dropping them changes the speed only.
            method = func.attr.value.replace("_generator", "")
            self.ctx.fixed("KM614", original, f"{spelled} dropped: Keras 3 {method}() takes no data-loading "
                           "arguments (a PyDataset's constructor does: workers=, use_multiprocessing=)")
            if any(_NAMES[_keyword(a)] == "use_multiprocessing" and not _is_default("use_multiprocessing", a.value)
                   for a in present):
                # With processes, legacy Keras gave each worker its own copy of a plain generator.
                self.ctx.flag("KM614", original, "data now load in one process; with a plain generator legacy "
                              "use_multiprocessing repeated batches per worker: compare the batches",
                              marker="loads in one process now; legacy multiprocessing could repeat batches")
        for arg in present:
            # Both spellings: the Keras 1 keyword (nb_worker) and the name another family of this
            # pass may have renamed it to (workers); left behind, the next pass reports it again.
            for spelling in {_keyword(arg), _NAMES[_keyword(arg)]}:
                updated = callargs.remove_keyword(updated, spelling)
        return updated

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        name = original.name.value
        if name not in self._classes or self._plan is None or self._plan.sequences.get(name) is not original:
            return updated
        body = list(updated.body.body)
        for index, statement in enumerate(body):
            if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__" \
                    and statement.params.star_kwarg is None:
                body[index] = _accept_kwargs(statement)
                self.ctx.fixed("KM614", original, f"{name}.__init__ passes **kwargs to PyDataset (workers, "
                               "use_multiprocessing, max_queue_size)")
        return updated.with_changes(body=updated.body.with_changes(body=body))


def _accept_kwargs(init: cst.FunctionDef) -> cst.FunctionDef:
    params = init.params.with_changes(star_kwarg=cst.Param(name=cst.Name("kwargs"), star="**"))
    bare = m.Call(func=m.Attribute(value=m.Call(func=m.Name("super")), attr=m.Name("__init__")), args=[])
    if find_all(init, cst.Call, bare):
        return cst.ensure_type(init.with_changes(params=params).visit(_PassKwargs(bare)), cst.FunctionDef)
    statements = list(init.body.body)
    at = 1 if statements and _is_docstring(statements[0]) else 0
    statements.insert(at, cst.parse_statement("super().__init__(**kwargs)\n"))
    return init.with_changes(params=params, body=init.body.with_changes(body=statements))


class _PassKwargs(cst.CSTTransformer):
    """``super().__init__()`` -> ``super().__init__(**kwargs)``."""

    def __init__(self, bare: m.Pattern) -> None:
        super().__init__()
        self.bare = bare

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if m.matches(original_node, self.bare):
            return updated_node.with_changes(args=[cst.Arg(cst.Name("kwargs"), star="**")])
        return updated_node


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr) and isinstance(statement.body[0].value, cst.SimpleString)
    )


FIXER = DataLoadingArgsFixer
