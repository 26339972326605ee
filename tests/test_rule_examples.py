"""Every rule's documented `before` example migrates to code that parses, and a second run
changes nothing (the examples in `kmigrate rules` / docs/rules.md are programs, not prose)."""

from __future__ import annotations

import pytest

from kmigrate.diagnostics import Status
from kmigrate.rules import all_rules
from tests.helpers import assert_second_run_is_noop, run

# The examples are written as a user reads them, with the usual legacy imports implied.
PRELUDE = "".join(
    f"from keras.{module} import *\n"
    for module in ("layers", "models", "optimizers", "callbacks", "regularizers", "constraints",
                   "utils", "preprocessing.image", "preprocessing.sequence")
) + "import keras\nfrom keras import backend as K\nimport tensorflow as tf\nimport numpy as np\n"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_documented_example(rule):
    settings = {"select": (rule.id,)} if rule.opt_in else {}
    result = run(PRELUDE + rule.before + "\n", **settings)
    if result.status is Status.ERROR and "cannot parse" in (result.error or ""):
        pytest.skip("the example is a fragment, not a program")
    assert result.status is not Status.ERROR, result.error
    output = result.output if result.status is Status.CHANGED else PRELUDE + rule.before + "\n"
    compile(output, "<example>", "exec")
    assert_second_run_is_noop(output, **settings)
