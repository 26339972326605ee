"""The single-traversal machinery: scanners share one read-only pass."""

from __future__ import annotations

import libcst as cst

from kmigrate.transform import _AllOf


class _Recorder(cst.CSTVisitor):
    def __init__(self, skip_functions: bool) -> None:
        super().__init__()
        self.skip_functions = skip_functions
        self.names: list[str] = []
        self.left: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return not self.skip_functions

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.left.append(original_node.name.value)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)


def test_visitors_together_see_what_each_sees_alone():
    module = cst.parse_module("a = b\ndef f(x):\n    return y\nc = d\n")
    alone = [_Recorder(skip_functions=False), _Recorder(skip_functions=True)]
    for visitor in alone:
        module.visit(visitor)
    together = [_Recorder(skip_functions=False), _Recorder(skip_functions=True)]
    module.visit(_AllOf(together))
    for single, shared in zip(alone, together):
        assert single.names == shared.names
        assert single.left == shared.left
    assert "y" not in together[1].names and "y" in together[0].names


def test_a_pass_that_changes_only_markers_settles_the_file_as_full_passes_do(monkeypatch):
    """A confirming pass in which no fixer changes code but markers change (a marker tagged for
    a recheck, a finding about code the last pass wrote) settles the file at once: the output
    and the findings are those of the rewriting pass and the confirming pass it replaces."""
    from pathlib import Path

    from kmigrate import pipeline
    from kmigrate.settings import Settings
    from kmigrate.transform import MigrationTransformer

    programs = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "programs").glob("*.py"))
    settings = Settings()
    shortcut = {}
    for path in programs:
        result = pipeline.migrate_bytes(path.read_bytes(), str(path), settings)
        shortcut[path.name] = (result.output, [(d.rule, d.line, d.message, d.fixed) for d in result.diagnostics])

    original = MigrationTransformer.marker_changes
    used = []

    def full_passes_only(self, module):  # type: ignore[no-untyped-def]
        changes = original(self, module)
        if changes:
            used.append(1)
            return None  # as before: a rewriting pass, then a confirming one
        return changes

    monkeypatch.setattr(MigrationTransformer, "marker_changes", full_passes_only)
    for path in programs:
        result = pipeline.migrate_bytes(path.read_bytes(), str(path), settings)
        assert shortcut[path.name] == (result.output, [(d.rule, d.line, d.message, d.fixed) for d in result.diagnostics]), path.name
    assert used, "no fixture took the marker-only settling: the comparison proves nothing"


def test_facts_several_families_read_are_scanned_once_per_pass():
    """The training, metrics, metric-template and shape-attribute families all read the same
    whole-file facts: one scanner serves them, and the shared scan walks it once."""
    import libcst as cst

    from kmigrate import pipeline
    from kmigrate.rules.training.facts import _FileFacts
    from kmigrate.settings import Settings

    source = "from keras.models import Sequential\nmodel = Sequential()\nmodel.fit(x, y, nb_epoch=2)\n"
    settings = Settings()
    fixer_types = list(pipeline.enabled_fixers(settings))
    rules = pipeline.rule_set(settings)
    _, transformer, _ = pipeline._start_pass(cst.parse_module(source), source, settings, None, None, rules,
                                             fixer_types, None)  # fmt: skip
    readers = [fixer for fixer in transformer._fixers if isinstance(getattr(fixer, "_facts", None), _FileFacts)]
    assert len(readers) >= 4
    assert len({id(fixer._facts) for fixer in readers}) == 1
