"""Import statements: ``import keras...`` / ``from keras... import ...`` rewritten to their tf.keras
homes (the module table in ``kmigrate/keras_api.py``), names with no home kept and marked."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate import keras_api
from kmigrate.names import KerasName, classify
from kmigrate.nodes import LeaveResult
from kmigrate.rules.imports.common import (
    _SPECIFIC_FAMILIES,
    ImportsBase,
    _dotted,
    _fix_commas,
    _fix_semicolons,
    _from_import,
    _module_import,
    _rebuild_from,
    _render,
    _Residual,
    _split_module,
    _tf_module,
)

# One statement an import becomes, with the residual import it keeps (None: nothing left over).
_Part = tuple[cst.BaseSmallStatement, _Residual | None]

_IMPORT_TYPES = (cst.Import, cst.ImportFrom)


# Legacy backend modules whose star export handed on the modules the TensorFlow backend imported.
_TF_BACKEND_MODULES = frozenset({"backend", "backend.tensorflow_backend"})
_BACKEND_MODULE_NAMES = {"tf": "tensorflow", "np": "numpy"}

class ImportStatements(ImportsBase):
    """Import statements: ``import keras...`` / ``from keras... import ...`` rewritten to their tf.keras"""

    # -- import statements -----------------------------------------------------------
    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> LeaveResult:
        if not any(type(s) in _IMPORT_TYPES for s in updated.body):  # (by exact type: every statement passes here)
            return updated
        head_body: list[cst.BaseSmallStatement] = []
        head_residuals: list[_Residual] = []
        extra: list[tuple[cst.BaseSmallStatement, _Residual | None]] = []
        changed = False
        for original_small, small in zip(original.body, updated.body):
            parts = None
            # The statement's parts keep their kind: a fixer rewrites whole statements, and
            # nothing inside an import is visited (transform.on_visit).
            if isinstance(small, cst.Import) and isinstance(original_small, cst.Import):
                parts = self._import(original_small, small)
            elif isinstance(small, cst.ImportFrom) and isinstance(original_small, cst.ImportFrom):
                parts = self._import_from(original_small, small)
            if parts is None:
                head_body.append(small)
                continue
            changed = True
            (first, first_residual), *rest = parts
            head_body.append(first)
            if first_residual is not None:
                head_residuals.append(first_residual)
            extra.extend(rest)
        if not changed:
            return updated
        head = updated.with_changes(body=_fix_semicolons(head_body))
        lines = [head]
        for residual in head_residuals:
            self._keep(residual, head)
        for small, extra_residual in extra:
            line = cst.SimpleStatementLine(body=_fix_semicolons([small]))
            lines.append(line)
            if extra_residual is not None:
                self._keep(extra_residual, line)
        return cst.FlattenSentinel(lines) if len(lines) > 1 else head

    def _keep(self, residual: _Residual, statement: cst.SimpleStatementLine) -> None:
        residual.statement = statement
        self._residuals.append(residual)

    def _import(self, original: cst.Import, node: cst.Import) -> list[_Part] | None:
        """`import keras`, `import keras.backend as K`, `import keras, numpy as np`."""
        kept: list[cst.ImportAlias] = []
        homeless: list[tuple[str, str, str]] = []  # (local, rule, message)
        moved: list[cst.BaseSmallStatement] = []
        for alias in node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            name = classify(dotted)
            rule = self._module_rule(name, via_import=True) if name else ""
            if name is None or not name.legacy or not self.ctx.allows(rule):
                kept.append(alias)
                continue
            head = dotted.split(".")[0]
            if alias.asname is None and head in ("keras", "tensorflow"):
                statement = self._unaliased_import(dotted)
                if statement is None:
                    kept.append(alias)
                    continue
            else:
                # `import keras_preprocessing.image` binds and is used as `keras_preprocessing`.
                local = alias.evaluated_alias or head
                if alias.asname is None:
                    name = classify(head) or name
                home = keras_api.legacy_module_home(name.path, self.ctx.target)
                missing = (
                    self._homeless_attributes(name.path, local)
                    if home.path and not name.path.startswith("backend")
                    else []
                )
                if home.path is None or missing:
                    kept.append(alias)
                    note = home.note if home.path is None else (
                        ", ".join(f"`{local}.{m}`" for m in missing[:3]) + " have no tf.keras equivalent"
                    )
                    homeless.append((local, rule, f"`{dotted}`: {note}"))
                    continue
                statement = _module_import(home.path, local)
            moved.append(statement)
            self.ctx.fixed(rule, original, f"`import {dotted}` -> `{_render(statement)}`")
        if not moved and not homeless:
            return None
        parts: list[tuple[cst.BaseSmallStatement, _Residual | None]] = []
        if kept:
            residual = None
            if homeless:
                residual = _Residual(
                    None, tuple(h[0] for h in homeless), homeless[0][1],
                    "; ".join(h[2] for h in homeless), original,
                )
            parts.append((node.with_changes(names=_fix_commas(kept)), residual))
        parts.extend((statement, None) for statement in moved)
        return parts

    def _unaliased_import(self, dotted: str) -> cst.BaseSmallStatement | None:
        """`import keras.layers.core` binds `keras`, and dotted uses spell out the rest."""
        if dotted.split(".")[0] == "keras":
            return _from_import("tensorflow", "keras", None)
        # `import tensorflow.python.keras`: it binds `tensorflow`; uses are respelled.
        return cst.Import(names=[cst.ImportAlias(name=cst.Name("tensorflow"))])

    def _import_from(self, original: cst.ImportFrom, node: cst.ImportFrom) -> list[_Part] | None:
        if node.relative or node.module is None:
            return None
        module_name = get_full_name_for_node(node.module) or ""
        source = classify(module_name)
        if source is None or not source.legacy:
            return None
        target = self.ctx.target
        if isinstance(node.names, cst.ImportStar):
            home = keras_api.legacy_module_home(source.path, target)
            rule = self._module_rule(source, via_import=False)
            if not self.ctx.allows(rule):
                return None
            if home.path is None:
                return [(node, _Residual(None, ("*",), rule, f"`{module_name}`: {home.note}", original))]
            self.ctx.fixed(rule, original, f"`from {module_name} import *` -> tensorflow.keras")
            return [(node.with_changes(module=_dotted(_tf_module(home.path))), None)]

        groups: dict[str, list[cst.ImportAlias]] = {}
        imports: list[cst.Import] = []  # modules the backend re-exported (tf, np)
        claimed = False  # some leftover's uses are rewritten by another family
        leftovers: list[cst.ImportAlias] = []
        notes: list[tuple[str, str]] = []  # for leftovers nobody else rewrites
        for alias in node.names:
            imported = alias.evaluated_name
            local = alias.evaluated_alias or imported
            path = f"{source.path}.{imported}" if source.path else imported
            home = keras_api.legacy_home(path, target)
            rule = self._name_rule(source, home)
            if not self.ctx.allows(rule):
                leftovers.append(alias)
                continue
            library = _BACKEND_MODULE_NAMES.get(imported) if source.path in _TF_BACKEND_MODULES else None
            if library is not None:
                # `from keras.backend import tf as ktf`: the TensorFlow backend's own `import tensorflow
                # as tf`, which its star export handed on (PSPNet ports)
                asname = None if local == library else cst.AsName(name=cst.Name(local))
                imports.append(cst.Import(names=[cst.ImportAlias(name=_dotted(library), asname=asname)]))
                self.ctx.fixed(rule, original, f"`{imported}` from `{module_name}` -> `import {library}`")
                continue
            if home.path is None:
                leftovers.append(alias)
                note = home.note if not home.is_module else f"`{imported}`: {home.note}"
                claimed = claimed or self._claimed(source.path, imported)
                notes.append((rule, note))
                continue
            if home.is_module:
                # Backend attributes (K.*) are the backend family's to rewrite or mark.
                missing = [] if path.startswith("backend") else self._homeless_attributes(path, local)
                if missing:
                    # Aliasing the module would leave `local.X` pointing at nothing: keep it.
                    leftovers.append(alias)
                    shown = ", ".join(f"`{local}.{name}`" for name in missing[:3])
                    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
                    notes.append((rule, f"{shown}{more} have no tf.keras equivalent"))
                    continue
                tf_module, leaf = _split_module(home.path)
            else:
                module, _, leaf = home.path.rpartition(".")
                tf_module = _tf_module(module)
            asname = alias.asname
            if asname is None and leaf != local:
                asname = cst.AsName(name=cst.Name(local))
            groups.setdefault(tf_module, []).append(alias.with_changes(name=cst.Name(leaf), asname=asname))
            self.ctx.fixed(rule, original, f"`{imported}` from `{module_name}` -> `{tf_module}`")
        if not groups and not notes and not leftovers and not imports:
            return None
        parts: list[tuple[cst.BaseSmallStatement, _Residual | None]] = [
            (_rebuild_from(node, tf_module, aliases), None) for tf_module, aliases in groups.items()
        ]
        parts += [(statement, None) for statement in imports]
        if leftovers:
            locals_ = tuple(a.evaluated_alias or a.evaluated_name for a in leftovers)
            rule = notes[0][0] if notes else ""
            residual = _Residual(None, locals_, rule, "; ".join(n for _, n in notes), original)
            residual.removable = claimed
            parts.insert(0, (_rebuild_from(node, module_name, leftovers), residual))
        return parts

    def _claimed(self, module_path: str, name: str) -> bool:
        """Another enabled fixer rewrites uses of this name (e.g. Merge), so do not mark it."""
        homes = keras_api.module_rule(module_path).homes
        api = ".".join(p for p in (homes[0] if homes else module_path, name) if p)
        return api in self.ctx.rules.handled

    def _module_rule(self, name: KerasName, via_import: bool) -> str:
        if not name.qualified.startswith(("keras", "keras_")):
            return "KM118"
        rule = keras_api.module_rule(name.path).rule
        if rule in _SPECIFIC_FAMILIES:
            return rule
        return "KM101" if via_import else "KM102"

    # KM103-KM117: the module table (``kmigrate/keras_api.py``) names which one moves an import.
    implements: ClassVar[tuple[str, ...]] = (
        "KM101", "KM102", "KM103", "KM104", "KM105", "KM106", "KM107", "KM108", "KM109", "KM110",
        "KM112", "KM113", "KM114", "KM115", "KM116", "KM117", "KM118",
    )  # fmt: skip
