"""Small questions about syntax nodes that every rule family asks.

Argument helpers (positionals, keywords, binding by name) live in ``kmigrate.callargs``; this
module holds what is not about arguments: a node's source text.
"""

from __future__ import annotations

import libcst as cst

# A statement of a module or block body (both kinds carry the comment lines above them).
Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement
# What a transformer's ``leave_`` method may return: LibCST lets it replace a node by a node
# of another type, by several (FlattenSentinel) or by nothing (RemovalSentinel).
LeaveResult = cst.CSTNode | cst.FlattenSentinel[cst.CSTNode] | cst.RemovalSentinel

_EMPTY_MODULE = cst.Module(body=[])


def code(node: cst.CSTNode) -> str:
    """The source text of ``node`` as LibCST would write it (default formatting config)."""
    return _EMPTY_MODULE.code_for_node(node)


def text(node: cst.CSTNode) -> str:
    """``code(node)``, without generating code for a bare name: rules key their facts by a
    receiver's text, and most receivers and assignment targets are names."""
    if type(node) is cst.Name and not node.lpar:
        return node.value
    return code(node)
