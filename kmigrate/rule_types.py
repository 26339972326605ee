"""What a rule is: one catalog entry with an id (``KM`` + number, grouped by family),
documented for users.  The lowest layer of the rules: documents of other kinds declare their
rules with it too, without importing the registry (``kmigrate.rules``) or any fixer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class FixSafety(str, Enum):
    SAFE = "safe"  # rewrites; behaviour is identical on the target
    CONTEXT = "needs-context"  # rewrites when the code shows enough, else marks the line
    FLAG = "flag-only"  # never rewrites; marks the line and explains


# The short names catalog tables write (``safety=SAFE``): import them from here.
SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG


@dataclass(frozen=True)
class Rule:
    id: str  # KM + number
    name: str  # kebab-case, e.g. "import-keras-root"
    summary: str  # one line
    before: str  # legacy code
    after: str  # what kmigrate writes (for flag-only rules: what a person should write)
    safety: FixSafety
    safety_note: str  # why the fix is safe, or what could change
    catalog: tuple[str, ...]  # ids in shared/reference/rule-catalog.md
    tf_keras: bool = True  # also applies under --target tf_keras
    # Optional modernisations the legacy code does not need: they run only when `--select`
    # names their id exactly (the catalog says "opt-in").
    opt_in: bool = False
    details: str = ""  # longer explanation for `kmigrate rules ID`
