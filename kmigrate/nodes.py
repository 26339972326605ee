"""Small questions about syntax nodes that every rule family asks.

Argument helpers (positionals, keywords, binding by name) live in ``kmigrate.callargs``; this
module holds what is not about arguments: a node's source text.
"""

from __future__ import annotations

import libcst as cst

_EMPTY_MODULE = cst.Module(body=[])


def code(node: cst.CSTNode) -> str:
    """The source text of ``node`` as LibCST would write it (default formatting config)."""
    return _EMPTY_MODULE.code_for_node(node)
