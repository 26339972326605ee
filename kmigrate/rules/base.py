"""The base class of the fixers that implement the rules, and helpers every family shares.

A *rule* (``kmigrate.rule_types.Rule``, re-exported here) is one catalog entry with an id
(``KM`` + number, grouped by family), documented for users.  A *fixer* is the code for one rule family: one table plus a small transformer
that may emit any of its family's rule ids.  Fixers do not subclass CSTTransformer: the
pipeline runs all of them in a single traversal, calling each fixer's ``visit_<Node>`` and
``leave_<Node>`` methods in registry order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, ClassVar, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate.context import FileContext
from kmigrate.markers import ignore_comments
from kmigrate.names import Api, KerasName, classify
from kmigrate.rule_types import FixSafety, Rule

__all__ = ["Fixer", "FixSafety", "Rule", "ValueReferences", "in_layer_subclass", "is_layer_base", "is_layer_subclass", "rename_imported_names"]


# Where Keras's Layer base class resolves to, however the code spells it: the legacy
# ``keras.engine.topology.Layer`` / ``keras.engine.Layer`` and ``keras.layers.Layer`` all give
# ``layers.Layer``; ``Layer`` is the package root's own export.
_LAYER_BASES = frozenset({"layers.Layer", "Layer"})


def is_layer_base(base: Api) -> bool:
    """The class a base names is Keras's Layer itself."""
    return base.path in _LAYER_BASES


def is_layer_subclass(ctx: FileContext, node: cst.ClassDef) -> bool:
    """``class X(Layer)``: the class derives directly from Keras's Layer."""
    for base in node.bases:
        api = ctx.api(base.value)
        if api is not None and is_layer_base(api):
            return True
    return False


def in_layer_subclass(ctx: FileContext) -> bool:
    """The innermost class around the traversal derives directly from Keras's Layer."""
    return ctx.in_class_deriving(is_layer_base)


def rename_imported_names(ctx: FileContext, original: cst.ImportFrom, updated: cst.ImportFrom,
                          rename: Callable[[cst.ImportAlias, KerasName], tuple[str, str, str] | None]
                          ) -> cst.ImportFrom:  # fmt: skip
    """``from M import old [as local]`` -> ``from M import new as local``: names that changed
    while the code keeps using its own local name.  ``rename(alias, keras_name)`` returns
    (rule id, new name, message) for the names its family renames."""
    if isinstance(updated.names, cst.ImportStar) or updated.module is None or updated.relative:
        return updated
    module = get_full_name_for_node(updated.module) or ""
    aliases, changed = [], False
    for alias in updated.names:
        keras_name = classify(f"{module}.{alias.evaluated_name}")
        found = rename(alias, keras_name) if keras_name is not None else None
        if found is None or not ctx.allows(found[0]):
            aliases.append(alias)
            continue
        rule, new, message = found
        local = alias.evaluated_alias or alias.evaluated_name
        aliases.append(alias.with_changes(name=cst.Name(new), asname=cst.AsName(name=cst.Name(local))))
        ctx.fixed(rule, original, message)
        changed = True
    return updated.with_changes(names=aliases) if changed else updated


@dataclass
class Fixer:
    """Base of a rule family's transformer; one instance per file."""

    rules: ClassVar[tuple[Rule, ...]] = ()
    # Byte strings of which at least one must occur in a file for this fixer to matter;
    # files that contain none of any enabled fixer's triggers are never parsed.
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    # Legacy API paths with no tf.keras home whose uses this family rewrites ("layers.Merge"):
    # the import family leaves their imports unmarked and drops them once no use is left.
    handles: ClassVar[frozenset[str]] = frozenset()
    # A fixer composed of one class per concern (``rules/backend/``): each class lists the rule
    # ids whose code it holds, so that a rule id leads to one file (``rules.rule_module``).
    implements: ClassVar[tuple[str, ...]] = ()

    ctx: FileContext = field(repr=False)

    @classmethod
    def rule_ids(cls) -> tuple[str, ...]:
        return tuple(rule.id for rule in cls.rules)

    def scanners(self) -> Sequence[cst.CSTVisitor]:
        """Read-only visitors to run over the original module before any rewrite.

        For facts about the whole file (which names hold models, how metrics are spelled in
        compile) that a rewrite may need before the traversal reaches them.  The pipeline runs
        every family's scanners together in one traversal.
        """
        return ()


@dataclass
class ValueReferences(Fixer):
    """For a family that rewrites a Keras function where the code uses it as a value
    (``f = K.batch_dot``, ``activation=hard_sigmoid``): which Name and Attribute nodes are *not*
    such uses. Its ``leave_Name``/``leave_Attribute`` skip ``id(original) in self.not_references``:
    the attribute part of ``x.name``, keywords, the names a def, class, parameter or import binds,
    assignment, augmented-assignment and ``del`` targets."""

    not_references: set[int] = field(default_factory=set)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_references.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_references.add(id(node.keyword))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.not_references.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.not_references.add(id(node.name))

    def visit_Param(self, node: cst.Param) -> None:
        self.not_references.add(id(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        self.not_references.add(id(node.name))
        if node.asname is not None:
            self.not_references.add(id(node.asname.name))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.not_references.add(id(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.not_references.add(id(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.not_references.add(id(node.target))

    def visit_Del(self, node: cst.Del) -> None:
        self.not_references.add(id(node.target))


# The import rules that move a standalone-Keras import to tensorflow.keras.
_IMPORT_RULES = ("KM101", "KM102", "KM108", "KM118")
_LEGACY_MODULES = ("keras.", "keras_preprocessing.", "tensorflow.python.keras", "tensorflow.contrib.keras")


def legacy_import_moves(ctx: FileContext, func: cst.BaseExpression) -> bool:
    """This pass moves the import that ``func`` comes from to tensorflow.keras.

    A rule that converts a value for the new API (exchanging arguments, changing units) is
    undone by running it again, so it may act only where the name it reads stops being legacy
    Keras in the same pass; otherwise (import rules off, an import kept with `kmigrate: ignore`,
    a project module's re-export) the next pass would convert again and the file never settles.
    """
    if not all(ctx.enabled(rule) for rule in _IMPORT_RULES):
        return False
    for codes in ignore_comments(ctx.source).values():
        if codes is None or any(rule.startswith(c.upper()) for c in codes for rule in _IMPORT_RULES):
            return False  # an import kept on purpose: which one is not worth finding out
    root = func
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name):
        return False
    bindings = ctx.resolver.bindings.get(root.value)
    modules = [b.qualified for b in bindings] if bindings else ctx.resolver.star_modules
    return bool(modules) and all(
        m.startswith(_LEGACY_MODULES) or m in ("keras", "keras_preprocessing") for m in modules
    )
