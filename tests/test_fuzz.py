"""Fuzzing: programs composed from every rule's own legacy example, and random Python.

Properties that must hold for any input:
  * kmigrate never fails on valid code and its output parses;
  * a second run over the output changes nothing (the output is a fixed point);
  * every comment of the input is still in the output, and no blank line is lost;
  * Python that does not use Keras comes out byte-identical, even in a file that imports Keras.

The example counts are small so that CI stays quick; set KMIGRATE_FUZZ_EXAMPLES (e.g. 2000)
for a long run.
"""

from __future__ import annotations

import io
import os
import tokenize
import warnings
from collections import Counter

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from kmigrate.diagnostics import FileResult, Status
from kmigrate.pipeline import migrate_bytes
from kmigrate.rules import all_rules
from kmigrate.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith's odd literals

EXAMPLES = int(os.environ.get("KMIGRATE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

# What the rule examples assume is imported (they are written as fragments of a legacy file).
LEGACY_HEADER = """\
import numpy as np
import keras
from keras import backend as K
from keras.models import *
from keras.layers import *
from keras.optimizers import *
from keras.callbacks import *
from keras.utils import np_utils
from keras.preprocessing.image import ImageDataGenerator
"""


def run(code: str) -> FileResult:
    # Not tests.helpers.run: that one dedents, which would change whitespace-only lines.
    return migrate_bytes(code.encode(), "fuzzed.py", Settings())


def _parses(code: str) -> bool:
    try:
        cst.parse_module(code)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # generated code may hold odd literals: `1if x`
            compile(code, "<example>", "exec")
    except (cst.ParserSyntaxError, SyntaxError):
        return False
    return True


# Every rule's documented legacy code that parses on its own (a few are deliberately Python 2).
IDIOMS = sorted({rule.before for rule in all_rules() if rule.before.strip() and _parses(rule.before)})


def _comments(code: str) -> Counter[str]:
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return Counter(token.string for token in tokens if token.type == tokenize.COMMENT)


def _blank_lines(code: str) -> int:
    return sum(1 for line in code.splitlines() if not line.strip())


@st.composite
def legacy_programs(draw: st.DrawFn) -> str:
    """A legacy file: the usual imports, then several rule examples, some inside functions,
    separated by comments and blank lines a migration must keep."""
    idioms = draw(st.lists(st.sampled_from(IDIOMS), min_size=1, max_size=5))
    parts = [LEGACY_HEADER]
    for index, idiom in enumerate(idioms):
        parts.append(f"\n# step {index}: kept as written\n")
        if draw(st.booleans()):
            body = "".join(f"    {line}\n" if line.strip() else "\n" for line in idiom.splitlines())
            parts.append(f"def step_{index}(model, x, y):\n{body}    return model\n")
        else:
            parts.append(idiom if idiom.endswith("\n") else idiom + "\n")
    return "".join(parts)


def test_the_idioms_cover_the_rules():
    assert len(IDIOMS) > 150  # the corpus is the rule examples, not a handful of snippets


@FUZZ
@given(legacy_programs())
def test_programs_of_legacy_idioms_migrate_to_a_fixed_point(program):
    assume(_parses(program))  # an idiom that only parses at top level (`return` outside a def)
    first = run(program)
    assert first.status is not Status.ERROR, f"{first.error}\n--- input:\n{program}"
    output = first.output if first.status is Status.CHANGED else program
    assert _parses(output), output
    second = run(output)
    assert second.status is not Status.ERROR, second.error
    assert second.status is not Status.CHANGED, f"not a fixed point:\n{output}\n--- second run:\n{second.output}"
    lost = _comments(program) - _comments(output)
    assert not lost, f"comments lost: {sorted(lost)}\n{output}"
    assert _blank_lines(output) >= _blank_lines(program), output


@FUZZ
@given(hypothesmith.from_grammar())
def test_python_without_keras_is_byte_identical(code):
    assume("keras" not in code)
    result = run(code)
    assert result.status is Status.SKIPPED


@FUZZ
@given(hypothesmith.from_node())
def test_code_around_a_keras_import_is_byte_identical(code):
    # A file that imports Keras is parsed and goes through every rule; code that uses none of
    # Keras's names must come out exactly as it went in, whatever its shape.
    assume("keras" not in code and not code.startswith(("\ufeff", "#")))
    program = "import keras.backend as K\n" + code
    assume(_parses(program))
    result = run(program)
    assert result.status is not Status.ERROR, f"{result.error}\n--- input:\n{program}"
    output = result.output if result.status is Status.CHANGED else program
    assert output.endswith(code), output
