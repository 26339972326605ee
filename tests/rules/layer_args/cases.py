"""Cases and helpers shared by the layer_args family's test modules."""

from __future__ import annotations

from kmigrate.rules import layer_args

MINE = tuple(rule.id for rule in layer_args.RULES)


# Only this family: the imports stay legacy, so the tests do not depend on other families.
ONLY = {"select": MINE}


WITH_IMPORTS = {"select": MINE + ("KM1",)}
