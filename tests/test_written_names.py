"""Every tensorflow.keras name kmigrate writes exists in TF 2.21, except on lines it marks.

Checked on every rule's example.  A removed function that can only be flagged (``K.get_session``)
keeps its spelling, now through tf.keras, on a line that carries the marker saying what to do.
"""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from kmigrate import keras_api
from kmigrate.diagnostics import Status
from kmigrate.names import NameResolver
from kmigrate.rules import all_rules
from tests.helpers import run

PRELUDE = "import keras\nfrom keras import backend as K\nimport tensorflow as tf\nimport numpy as np\n"


def written_tf_keras_names(code: str) -> dict[str, int]:
    """tensorflow.keras names an output imports or spells through its imports, with their line."""
    wrapper = MetadataWrapper(cst.parse_module(code))
    positions = wrapper.resolve(PositionProvider)
    resolver = NameResolver.for_module(wrapper.module)
    names: dict[str, int] = {}

    class Collect(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
                return
            module_name = get_full_name_for_node(node.module) or ""
            if module_name.startswith("tensorflow.keras"):
                for alias in node.names:
                    names[f"{module_name}.{alias.evaluated_name}"] = positions[node].start.line

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            qualified = resolver.qualified_name(node)
            if qualified and qualified.startswith("tensorflow.keras."):
                names[qualified] = positions[node].start.line
            return False

    wrapper.visit(Collect())
    return names


def _marked(lines: list[str], line: int) -> bool:
    """A marker on the statement's line or in the comment block right above it."""
    if "# kmigrate: KM" in lines[line - 1]:
        return True
    index = line - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        if "# kmigrate: KM" in lines[index]:
            return True
        index -= 1
    return False


def _exists(qualified: str) -> bool:
    parts = qualified[len("tensorflow.keras.") :].split(".")
    for index in range(len(parts)):
        candidate = ".".join(parts[: index + 1])
        if keras_api.is_module(candidate, "tf.keras"):
            continue
        return keras_api.exists(candidate, "tf.keras")
    return True


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_rule_example_writes_only_names_that_exist(rule):
    result = run(PRELUDE + rule.before + "\n", select=(rule.id, "KM1") if rule.opt_in else ())
    if result.status is Status.ERROR:
        pytest.skip(f"the example is a fragment that does not parse on its own: {result.error}")
    output = result.output if result.status is Status.CHANGED else PRELUDE + rule.before
    lines = output.splitlines()
    unmarked = sorted(
        name for name, line in written_tf_keras_names(output).items()
        if not _exists(name) and not _marked(lines, line)
    )
    assert not unmarked, f"{rule.id} wrote names that TF 2.21 lacks, unmarked: {unmarked}\n{output}"
