"""The rule registry: every fixer family, and every rule id they can emit.

Each family lives in its own module of this package and exposes ``FIXER``; adding a module
adds its rules.  Order matters only where one family's output feeds another's input, so
fixers run in the order of ``FAMILIES``; new modules not listed there run after them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from kmigrate.documents import document_rules
from kmigrate.rules.base import Fixer, FixSafety, Rule

__all__ = ["Fixer", "FixSafety", "Rule", "fixers", "all_rules", "rule_active", "rule_by_id", "select_rules"]

# Families whose relative order matters; the import family runs last so that rules which
# resolve names see the original imports, and imports they request are merged in.
# metric_templates edits string literals that saving may already have edited (extensions).
FAMILIES: tuple[str, ...] = ("metric_templates", "imports")


@lru_cache(maxsize=None)
def fixers() -> tuple[type[Fixer], ...]:
    names = [m.name for m in pkgutil.iter_modules(__path__) if m.name != "base"]
    ordered = [n for n in names if n not in FAMILIES] + [n for n in FAMILIES if n in names]
    found = []
    for name in ordered:
        module = importlib.import_module(f"{__name__}.{name}")
        fixer = getattr(module, "FIXER", None)
        if fixer is not None:
            found.append(fixer)
    return tuple(found)


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


def rule_active(rule: Rule, settings) -> bool:  # type: ignore[no-untyped-def]
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
