"""Every rule's documented example is a program that does what the rule's doc says.

The examples are shown by `kmigrate rules KMxxx`, in docs/rules.md and in SARIF help, so each
`before` is complete code (its imports, the names it uses defined). Run the way a user reads it,
`kmigrate --select <id>,KM1 -` (the rule alone, plus the import rules so that `after`
is real tf.keras code; see docs/writing-rules.md, "Examples"):

* a rule that rewrites (safe, needs-context) produces exactly its `after`;
* a flag-only rule leaves its `# kmigrate: KMxxx` marker (its `after` is what a person should
  write, prose-code that is not checked).

Both `before` and the output compile, and a second run changes nothing.
"""

from __future__ import annotations

import json

import pytest

from kmigrate.dependencies import RULES as DEPENDENCY_RULES
from kmigrate.diagnostics import Status
from kmigrate.notebooks import RULES as NOTEBOOK_RULES
from kmigrate.pipeline import migrate_document
from kmigrate.rules import FixSafety, all_rules, rule_by_id
from kmigrate.settings import Settings
from tests.helpers import assert_second_run_is_noop, run

# Rules of other document kinds: their examples are a requirements line or a notebook cell, not
# a Python file; tests/test_dependencies_requirement.py and tests/test_notebooks.py run them.
OTHER_DOCUMENTS = {
    **{rule.id: "a dependency-file rule (tests/test_dependencies_requirement.py runs its example)"
       for rule in DEPENDENCY_RULES},
    **{rule.id: "a notebook rule (its example is a notebook cell: test_notebook_rule_example runs it)"
       for rule in NOTEBOOK_RULES},
}  # fmt: skip

# The import rules run with every example, so that `after` shows tf.keras imports.
IMPORT_RULES = "KM1"

# Rules whose example needs another rule to read as the doc says: the rule rewrites part of a
# legacy call and a companion rule the rest (the documented `after` is then code that runs).
COMPANIONS: dict[str, tuple[str, ...]] = {
    "KM210": ("KM229",),  # global pooling's dim_ordering= is converted (and reported) by KM229
    "KM216": ("KM238", "KM214"),  # Deconvolution2D -> Conv2DTranspose, the kernel folded to (3, 3)
    "KM218": ("KM214",),  # ConvLSTM2D's nb_row=/nb_col= fold into kernel_size=
    "KM223": ("KM321",),  # the Keras 1 keywords are rewritten as fit_generator becomes fit
    "KM228": ("KM201", "KM207"),  # the Keras 1 keywords it binds then get their Keras 2 names
    "KM234": ("KM213", "KM214"),  # AtrousConvolution2D's border_mode= and kernel
    "KM241": ("KM201",),  # W_regularizer= -> kernel_regularizer=
    "KM302": ("KM301",),  # the optimizer rules below also see lr= -> learning_rate=
    "KM303": ("KM301", "KM302"),
    "KM304": ("KM301",),
    "KM306": ("KM301",),
    "KM307": ("KM301",),
    "KM313": ("KM301",),
    "KM515": ("KM523",),  # K.identity -> tf.identity inside the block
    "KM601": ("KM321",),  # fit_generator -> fit
    "KM608": ("KM321",),
}

# Rules that apply only to code of a given legacy version or target: the example says which.
SETTINGS: dict[str, dict[str, str]] = {
    "KM231": {"from_version": "1.2.2"},  # Keras 1 fit trained 10 epochs by default
    "KM252": {"from_version": "2.0.5"},  # argument order of K.categorical_crossentropy before 2.0.7
    "KM448": {"from_version": "2.1.2"},  # shear_range in radians
    "KM465": {"from_version": "2.1.2"},  # frozen BatchNormalization
    "KM461": {"target": "tf_keras"},  # TF_USE_LEGACY_KERAS is set only for the tf_keras target
}

# Examples in Python 2 syntax (the rule rewrites it): only the output has to compile.
PYTHON2_EXAMPLES = {"KM914"}


def example_settings(rule_id: str) -> dict[str, object]:
    """The run a rule's documented example is checked with (`kmigrate --select ...`)."""
    select = (rule_id, IMPORT_RULES, *COMPANIONS.get(rule_id, ()))
    return {"select": tuple(dict.fromkeys(select)), **SETTINGS.get(rule_id, {})}


def example_output(rule) -> str:  # type: ignore[no-untyped-def]
    """What kmigrate writes for a rule's `before` (the input unchanged when nothing applies)."""
    source = rule.before + "\n"
    result = run(source, **example_settings(rule.id))
    assert result.status is not Status.ERROR, result.error
    return result.output if result.status is Status.CHANGED else source


def assert_documented_example(rule_id: str) -> str:
    """The rule's example migrates to exactly its `after` (flag-only rules: carries the marker);
    returns the output. Family tests call it for the rules they hold."""
    rule = rule_by_id(rule_id)
    assert rule is not None and rule.id not in OTHER_DOCUMENTS, rule_id
    if rule.id not in PYTHON2_EXAMPLES:
        compile(rule.before, f"<{rule.id} before>", "exec")
    output = example_output(rule)
    compile(output, f"<{rule.id} output>", "exec")
    if rule.safety is FixSafety.FLAG:
        assert f"# kmigrate: {rule.id}" in output, f"{rule.id}: no marker in\n{output}"
    else:
        assert output == rule.after + "\n", f"{rule.id}: the example migrates to\n{output}"
    assert_second_run_is_noop(output, **example_settings(rule.id))
    return output


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_documented_example(rule):
    if rule.id in OTHER_DOCUMENTS:
        pytest.skip(OTHER_DOCUMENTS[rule.id])
    assert_documented_example(rule.id)


def test_other_documents_are_rules_of_other_document_kinds():
    """The skip list above names only rules of dependency files and notebooks, and all of them."""
    python_rules = {rule.id for rule in all_rules()} - OTHER_DOCUMENTS.keys()
    assert OTHER_DOCUMENTS.keys() == {rule.id for rule in (*DEPENDENCY_RULES, *NOTEBOOK_RULES)}
    assert all(rule_id.startswith("KM7") for rule_id in OTHER_DOCUMENTS)
    assert not python_rules & {rule.id for rule in (*DEPENDENCY_RULES, *NOTEBOOK_RULES)}


@pytest.mark.parametrize("table", [COMPANIONS, SETTINGS], ids=["companions", "settings"])
def test_example_tables_name_existing_rules(table):
    known = {rule.id for rule in all_rules()}
    assert set(table) <= known
    assert all(set(extra) <= known for extra in table.values() if isinstance(extra, tuple))


def _code_cell(source: str) -> dict[str, object]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source.splitlines(keepends=True)}


@pytest.mark.parametrize("rule", NOTEBOOK_RULES, ids=lambda rule: rule.id)
def test_notebook_rule_example(rule):
    """A notebook rule's example is a cell: in a notebook that uses legacy Keras, it is reported
    on that cell (kmigrate leaves such cells as they are: the finding says what to do)."""
    notebook = {"cells": [_code_cell("from keras.models import Sequential\nmodel = Sequential()"),
                          _code_cell(rule.before)],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    result = migrate_document(json.dumps(notebook).encode(), "example.ipynb", Settings())
    assert result.status is not Status.ERROR, result.error
    assert [(d.rule, d.cell) for d in result.diagnostics if d.rule == rule.id] == [(rule.id, 2)]
    assert not any(d.fixed for d in result.diagnostics if d.rule == rule.id)
