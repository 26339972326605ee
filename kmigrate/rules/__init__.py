"""The rule registry: every fixer family, and every rule id they can emit.

Each family lives in its own module (or sub-package) of this package and exposes ``FIXER``;
adding a module adds its rules.  Discovery recurses into sub-packages (``rules/backend/``), so
a family split into one module per concern registers the fixers its modules expose.  Order
matters only where one family's output feeds another's input, so fixers run in the order of
``FAMILIES``; new modules not listed there run before them, in name order.

``rule_module(rule_id)`` names the module that implements a rule: for a fixer composed of one
class per concern, the module of the class that lists the id in its ``implements``; otherwise
the module of the class that declares the family's ``rules``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from kmigrate.documents import document_rules
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.settings import Settings

__all__ = [
    "Fixer", "FixSafety", "Rule", "fixers", "all_rules", "rule_active", "rule_by_id", "rule_module", "select_rules",
]  # fmt: skip

# Families whose relative order matters; the import family runs last so that rules which
# resolve names see the original imports, and imports they request are merged in.
# metric_templates edits string literals that saving may already have edited (extensions).
FAMILIES: tuple[str, ...] = ("metric_templates", "imports")


@lru_cache(maxsize=None)
def fixers() -> tuple[type[Fixer], ...]:
    # Every module of the package and of its sub-packages, by dotted name; a family is the
    # first component after the package (``backend`` for ``backend.session``).
    names = sorted(m.name for m in pkgutil.walk_packages(__path__, prefix=f"{__name__}."))
    family = {name: name[len(__name__) + 1 :].split(".")[0] for name in names}
    names = [n for n in names if family[n] != "base"]
    ordered = [n for n in names if family[n] not in FAMILIES]
    ordered += [n for wanted in FAMILIES for n in names if family[n] == wanted]
    found: list[type[Fixer]] = []
    for name in ordered:
        fixer = getattr(importlib.import_module(name), "FIXER", None)
        if fixer is not None and fixer not in found:  # a package may re-export a module's FIXER
            found.append(fixer)
    return tuple(found)


def rule_module(rule_id: str) -> str | None:
    """The dotted name of the module that implements ``rule_id`` (None for an unknown id or a
    rule of another document kind, which no fixer implements)."""
    wanted = rule_id.upper()
    for fixer in fixers():
        if wanted not in fixer.rule_ids():
            continue
        for klass in fixer.__mro__:
            if wanted in vars(klass).get("implements", ()):
                return klass.__module__
        # Table-driven rules: where the class that declares the family's ``rules`` lives.
        return next(k.__module__ for k in fixer.__mro__ if "rules" in vars(k))
    return None


@lru_cache(maxsize=None)
def all_rules() -> tuple[Rule, ...]:
    # Notebooks and dependency files report under rule ids of their own, without a fixer.
    rules = [rule for fixer in fixers() for rule in fixer.rules] + list(document_rules())
    ids = [rule.id for rule in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"rule ids defined twice: {sorted(duplicates)}")
    return tuple(sorted(rules, key=lambda r: _sort_key(r.id)))


def _sort_key(rule_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in rule_id if ch.isdigit())
    return (int(digits) if digits else 0, rule_id)


def rule_active(rule: Rule, settings: Settings) -> bool:
    """Selected for this run: enabled by --select/--ignore, and opt-in rules only by exact id."""
    if not settings.rule_enabled(rule.id):
        return False
    return not rule.opt_in or rule.id in settings.select


def rule_by_id(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id.upper()), None)


def select_rules(patterns: tuple[str, ...]) -> list[str]:
    """Rule-id prefixes in ``patterns`` that match no rule (for a usage error)."""
    ids = [rule.id for rule in all_rules()]
    return [p for p in patterns if not any(i.startswith(p.upper()) for i in ids)]
