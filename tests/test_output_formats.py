"""Review and CI output: the text report and its pull-request summary, Markdown, GitHub
annotations, SARIF (validated against a schema of SARIF 2.1.0 written from the standard, see tests/sarif_schema.py), JSON, and --output-dir."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from kmigrate.cli import main
from kmigrate.diagnostics import Diagnostic, FileResult, Status
from kmigrate.pipeline import migrate_bytes, migrate_document
from kmigrate.reporting import github_annotations, json_report, sarif_report
from kmigrate.reporting.diff import apply_hunks, hunks
from kmigrate.reporting.github import escape_data, escape_property
from kmigrate.reporting.locations import notebook_line
from kmigrate.settings import Settings
from tests.sarif_schema import SARIF_2_1_0

# The official schema is not in the repository; a maintainer may point here at a copy of it.
OFFICIAL_SCHEMA = os.environ.get("KMIGRATE_SARIF_SCHEMA")

LEGACY = "from keras.layers.core import Dense\nimport keras\nx = keras.layers.core.Dense(3)\n"
FLAGGED = (
    "import keras\n"
    "from keras.wrappers.scikit_learn import KerasClassifier\n"
    "model = keras.models.Sequential()\n"
    "clf = KerasClassifier(build_fn=make)\n"
)


def invoke(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), catch_exceptions=False)
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(previous)


@pytest.fixture
def repo(tmp_path):
    """A small git-less project: one file to rewrite, one with a finding, one untouched."""
    (tmp_path / "train.py").write_text(LEGACY)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "wrap.py").write_text(FLAGGED)
    (tmp_path / "clean.py").write_text("import numpy as np\n")
    return tmp_path


# -- text ---------------------------------------------------------------------------------


def test_text_report_groups_findings_per_file_and_ends_with_a_pull_request_summary(repo):
    result = invoke("--check", ".", cwd=repo)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # The file that changed and has a finding: its line, then its findings indented.
    start = lines.index("would rewrite pkg/wrap.py")
    assert re.fullmatch(r"  2:1  KM110  use scikeras.*", lines[start + 1])
    assert "would rewrite train.py" in lines
    summary = result.stdout.split("\n\n")[-1]
    assert summary.startswith("2 files would be rewritten, 1 place needs a person:\n- pkg/wrap.py: KM110 line 2\n")
    # The one-line summary stays on stderr.
    assert result.stderr.strip().endswith("3 files scanned, 2 would be rewritten, 1 skipped, 1 finding, 0 errors")


def test_text_summary_after_writing_says_rewritten_and_where_the_markers_are(repo):
    result = invoke(".", cwd=repo)
    assert result.exit_code == 1
    assert "2 files rewritten, 1 place needs a person:" in result.stdout
    assert "Places in code are marked with a `# kmigrate: KMxxx` comment" in result.stdout
    again = invoke(".", cwd=repo)
    assert "0 files rewritten, 1 place needs a person:" in again.stdout


def test_clean_tree_prints_no_summary(tmp_path):
    (tmp_path / "a.py").write_text("from tensorflow import keras\n")
    result = invoke("--check", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout == ""


# -- markdown -----------------------------------------------------------------------------


def test_markdown_is_the_summary_with_a_table_per_file_and_rule_ids(repo):
    result = invoke("--check", "--format", "markdown", ".", cwd=repo)
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("### kmigrate: 2 files would be rewritten, 1 place needs a person\n")
    assert "#### `pkg/wrap.py`" in text
    assert "| where | rule | what to do |" in text
    # No documentation address declared by the package: the rule id, not an invented link.
    assert re.search(r"\| line 2 \| `KM110` \| use scikeras", text)
    assert "- `train.py`" in text  # the changed files, folded
    assert "would rewrite" not in text  # nothing but the Markdown on stdout


# -- GitHub annotations -------------------------------------------------------------------

# ::warning file=...,line=N,col=M,title=...::message  (properties escaped, message escaped)
_ANNOTATION = re.compile(
    r"::(warning|error|notice) (file=[^,:%\r\n]*(?:%[0-9A-F]{2}[^,:%\r\n]*)*)"
    r"((?:,(?:line|col|endLine|endColumn|title)=[^,:\r\n]*)*)::[^\r\n]*"
)


def test_github_annotations_follow_the_workflow_command_syntax(repo):
    result = invoke("--check", "--format", "github", ".", cwd=repo)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(_ANNOTATION.fullmatch(line) for line in lines), lines
    assert "::warning file=pkg/wrap.py,line=2,col=1,title=KM110::use scikeras" in result.stdout
    assert any(line.startswith("::warning file=train.py,title=kmigrate::") for line in lines)


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    result = FileResult("dir,x/a:b.py", Status.UNCHANGED, [Diagnostic("KM110", "line one\nline 2: 100%", 3, 5, False)])
    [line] = github_annotations([result], "check", False, Path.cwd())
    assert line == "::warning file=dir%2Cx/a%3Ab.py,line=3,col=5,title=KM110::line one%0Aline 2: 100%25"


def test_github_errors_are_error_annotations(tmp_path):
    (tmp_path / "broken.py").write_text("import keras\ndef f(:\n")
    result = invoke("--check", "--format", "github", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stdout.startswith("::error file=broken.py,title=kmigrate::kmigrate could not migrate this file: cannot parse")


def _notebook(path: Path, cells: list[list[str]], **dump: object) -> None:
    document = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
            for source in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(document, indent=1, **dump) + "\n")  # type: ignore[arg-type]


def test_notebook_findings_name_the_cell_and_give_the_ipynb_line_when_it_can_be_checked(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    _notebook(notebook, [["import numpy\n"], ["import keras\n", "clf = KerasClassifier()\n"], ["import keras\n", "clf = KerasClassifier()\n"]])
    finding = Diagnostic("KM110", "use scikeras", 2, 1, False, cell=3)
    line = notebook_line(str(notebook), finding)
    assert line is not None
    assert notebook.read_text().splitlines()[line - 1].strip() == '"clf = KerasClassifier()\\n"'
    # It is the third cell's line, not the identical second cell's.
    assert line > notebook_line(str(notebook), Diagnostic("KM110", "use scikeras", 2, 1, False, cell=2))
    [annotation] = github_annotations([FileResult(str(notebook), Status.UNCHANGED, [finding])], "check", False, tmp_path)
    assert annotation == f"::warning file=nb.ipynb,line={line},title=KM110::cell 3, line 2: use scikeras"
    # Source stored as one string: no line can be checked, so none is given; the cell is named.
    _notebook(notebook, ["import numpy\n", "import keras\nclf = KerasClassifier()\n", "x = 1\n"])  # type: ignore[list-item]
    [annotation] = github_annotations(
        [FileResult(str(notebook), Status.UNCHANGED, [Diagnostic("KM110", "use scikeras", 2, 1, False, cell=2)])],
        "check", False, tmp_path,
    )  # fmt: skip
    assert annotation == "::warning file=nb.ipynb,title=KM110::cell 2, line 2: use scikeras"


# -- SARIF --------------------------------------------------------------------------------


def _validate(report: dict) -> None:
    schemas = [SARIF_2_1_0] + ([json.loads(Path(OFFICIAL_SCHEMA).read_text())] if OFFICIAL_SCHEMA else [])
    for schema in schemas:
        validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_rules_link_to_the_documentation_address_the_package_declares(monkeypatch):
    from kmigrate.reporting import rules, sarif

    monkeypatch.setattr(rules, "rules_doc_url", lambda: "https://example.org/kmigrate/docs/rules.md")
    descriptor = sarif._rule_descriptor("KM110")
    assert descriptor["helpUri"] == "https://example.org/kmigrate/docs/rules.md#km110"
    assert "[Rule reference](https://example.org/kmigrate/docs/rules.md#km110)" in descriptor["help"]["markdown"]


def test_the_schema_rejects_what_is_not_sarif():
    validator = jsonschema.Draft4Validator(SARIF_2_1_0, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    driver = {"name": "kmigrate"}
    valid = {"version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": [
        {"ruleId": "KM101", "level": "warning", "message": {"text": "m"}, "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": {"startLine": 1}}}]}]}]}
    assert validator.is_valid(valid)
    assert not validator.is_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # driver needs a name
    assert not validator.is_valid({"version": "2.0.0", "runs": []})
    broken = json.loads(json.dumps(valid))
    broken["runs"][0]["results"][0]["level"] = "bad"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(valid))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(valid))
    broken["runs"][0]["results"][0]["message"] = {"txt": "m"}  # misspelt: closed objects catch it
    assert not validator.is_valid(broken)


def _sarif(repo: Path, *args: str) -> dict:
    result = invoke("--format", "sarif", *args, ".", cwd=repo)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_sarif_validates_and_describes_each_rule_once(repo):
    report = _sarif(repo, "--check")
    _validate(report)
    run = report["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and {"KM101", "KM103", "KM110"} <= set(ids)
    km110 = rules[ids.index("KM110")]
    assert "helpUri" not in km110  # the package declares no documentation address: no invented link
    assert km110["shortDescription"]["text"] and km110["fullDescription"]["text"] and km110["help"]["text"]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]
    finding = next(r for r in run["results"] if r["ruleId"] == "KM110")
    assert finding["level"] == "warning" and "fixes" not in finding
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/wrap.py"
    assert finding["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 1}
    assert {r["level"] for r in run["results"] if r["ruleId"] != "KM110"} == {"note"}


def _offset(text: str, line: int, column: int) -> int:
    """A SARIF (line, column) as an offset into ``text``, counted independently of kmigrate."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return starts[line - 1] + column - 1


def test_sarif_fixes_are_per_hunk_replacements_that_rebuild_the_migrated_file(tmp_path):
    source = (
        "import keras\n"
        + "".join(f"# unrelated line {i}\n" for i in range(30))
        + "model = keras.models.Sequential()\n"
        + "model.fit(x, y, nb_epoch=3)\n"
    )
    (tmp_path / "train.py").write_text(source)
    report = _sarif(tmp_path, "--check")
    _validate(report)
    expected = migrate_bytes(source.encode(), "train.py", Settings()).output
    replacements = _replacements(report, "train.py")
    assert len(replacements) >= 2  # the import at the top and the fit call far below: not one whole-file edit
    assert not any(key[0] == 1 and key[2] > 30 for key in replacements)
    assert _apply(source, replacements) == expected


def _replacements(report: dict, uri: str) -> dict[tuple[int, int, int, int], str]:
    found = {}
    for result in report["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            [change] = fix["artifactChanges"]
            assert change["artifactLocation"]["uri"] == uri
            for replacement in change["replacements"]:
                region = replacement["deletedRegion"]
                key = (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"])
                found[key] = replacement["insertedContent"]["text"]
    return found


def _apply(source: str, replacements: dict[tuple[int, int, int, int], str]) -> str:
    rebuilt, position = [], 0
    for (start_line, start_column, end_line, end_column), text in sorted(replacements.items()):
        start, end = _offset(source, start_line, start_column), _offset(source, end_line, end_column)
        assert start >= position  # replacements never overlap
        rebuilt += [source[position:start], text]
        position = end
    rebuilt.append(source[position:])
    return "".join(rebuilt)


def test_sarif_for_a_real_notebook_points_into_the_ipynb_and_its_fixes_rebuild_it(tmp_path):
    cells = [
        ["# Title\n"],
        ["import keras\n", "from keras.layers import Dense\n"],
        ["%matplotlib inline\n", "model = keras.models.Sequential()\n", "model.add(Dense(3, input_dim=2))\n",
         "model.fit(x, y, nb_epoch=3)\n"],
    ]  # fmt: skip
    _notebook(tmp_path / "nb.ipynb", cells)
    source = (tmp_path / "nb.ipynb").read_text()
    report = _sarif(tmp_path, "--check")
    _validate(report)
    results = report["runs"][0]["results"]
    epochs = next(r for r in results if r["message"]["text"].startswith("cell 3, line 4:"))
    line = epochs["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert source.splitlines()[line - 1].strip() == '"model.fit(x, y, nb_epoch=3)\\n"'
    expected = migrate_document(source.encode(), str(tmp_path / "nb.ipynb"), Settings()).output
    assert expected is not None and "epochs=3" in expected
    assert _apply(source, _replacements(report, "nb.ipynb")) == expected


def test_hunks_rebuild_any_change():
    before = "a\nb\nc\nd\n"
    for after in ("a\nB\nc\nd\n", "x\na\nb\nc\nd\n", "a\nb\nc\nd\ne\n", "a\nd\n", "a\nb\nc\nd", ""):
        assert apply_hunks(before, hunks(before, after)) == after


def test_sarif_fingerprints_survive_code_moving_down(tmp_path):
    (tmp_path / "a.py").write_text(FLAGGED)
    first = _sarif(tmp_path, "--check")["runs"][0]["results"]
    (tmp_path / "a.py").write_text("# a comment\n\n" + FLAGGED)
    second = _sarif(tmp_path, "--check")["runs"][0]["results"]

    def km110(results: list[dict]) -> dict:
        return next(r for r in results if r["ruleId"] == "KM110")

    assert km110(first)["locations"] != km110(second)["locations"]
    assert km110(first)["partialFingerprints"] == km110(second)["partialFingerprints"]


def test_sarif_for_a_notebook_finding_and_a_failed_file_validates(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    _notebook(notebook, [["import keras\n", "clf = KerasClassifier()\n"]])
    results = [
        FileResult(str(notebook), Status.UNCHANGED, [Diagnostic("KM110", "use scikeras", 2, 1, False, cell=1)]),
        FileResult(str(tmp_path / "broken.py"), Status.ERROR, error="cannot parse"),
    ]
    report = json.loads(sarif_report(results, "check", "tf.keras", tmp_path))
    _validate(report)
    [result] = report["runs"][0]["results"]
    assert result["message"]["text"] == "cell 1, line 2: use scikeras"
    assert result["properties"]["cell"] == 1
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] > 2
    assert report["runs"][0]["invocations"][0]["executionSuccessful"] is False


# -- JSON ---------------------------------------------------------------------------------


def test_json_keeps_its_shape_and_adds_the_cell_where_there_is_one():
    results = [
        FileResult("a.py", Status.CHANGED, [Diagnostic("KM101", "m", 1, 1, True)]),
        FileResult("nb.ipynb", Status.UNCHANGED, [Diagnostic("KM110", "m", 2, 3, False, cell=4)]),
    ]
    report = json.loads(json_report(results, {"scanned": 2}, "check", "tf.keras", None))
    assert set(report) == {"kmigrate", "target", "mode", "summary", "files", "diagnostics", "errors"}
    assert report["diagnostics"][0] == {"path": "a.py", "rule": "KM101", "line": 1, "column": 1, "message": "m", "fixed": True}
    assert report["diagnostics"][1]["cell"] == 4


# -- --output-dir -------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_output_dir_writes_a_whole_migrated_copy_and_leaves_the_sources_alone(repo, tmp_path_factory):
    (repo / "data").mkdir()
    (repo / "data" / "weights.bin").write_bytes(b"\x00\x01binary")
    (repo / "README.md").write_text("# project\n")
    (repo / "run.sh").write_text("#!/bin/sh\npython train.py\n")
    (repo / "run.sh").chmod(0o755)
    for skipped in (".git", "__pycache__", "venv"):
        (repo / skipped).mkdir()
        (repo / skipped / "x.py").write_text(LEGACY)
    (repo / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    before = _tree(repo)
    out = tmp_path_factory.mktemp("review") / "migrated"

    result = invoke("--output-dir", str(out), str(repo))
    assert result.exit_code == 1
    assert _tree(repo) == before  # sources untouched
    copy = _tree(out)
    expected_files = {k for k in before if not k.startswith((".git/", "__pycache__/", "venv/"))}
    assert set(copy) == expected_files
    changed = {k for k in copy if copy[k] != before[k]}
    assert changed == {"train.py", "pkg/wrap.py"}
    assert "tensorflow" in copy["train.py"].decode()
    assert os.stat(out / "run.sh").st_mode & 0o777 == 0o755
    assert not [p for p in out.rglob(".kmigrate-*")]  # no temporary file left
    assert f"2 files rewritten into {out}" in result.stdout
    # `diff -r` shows only the migrated files.
    diff = subprocess.run(["diff", "-rq", "-x", ".git", "-x", "__pycache__", "-x", "venv", str(repo), str(out)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert sorted(diff.stdout.splitlines()) == sorted(
        f"Files {repo / name} and {out / name} differ" for name in ("pkg/wrap.py", "train.py")
    )


def test_output_dir_bad_file_is_copied_as_it_was_and_reported(repo, tmp_path_factory):
    (repo / "broken.py").write_text("import keras\ndef f(:\n")
    out = tmp_path_factory.mktemp("out")
    result = invoke("--output-dir", str(out), str(repo))
    assert result.exit_code == 2
    assert "broken.py: error: cannot parse" in result.stderr
    assert (out / "broken.py").read_text() == "import keras\ndef f(:\n"
    assert "tensorflow" in (out / "train.py").read_text()


def test_output_dir_paths_for_several_paths_and_single_files(tmp_path):
    project = tmp_path / "project"
    for name in ("app", "lib"):
        (project / name).mkdir(parents=True)
        (project / name / "m.py").write_text(LEGACY)
    out = tmp_path / "out"
    invoke("--output-dir", str(out), str(project / "app"), str(project / "lib"))
    assert sorted(_tree(out)) == ["app/m.py", "lib/m.py"]
    single = tmp_path / "single"
    invoke("--output-dir", str(single), str(project / "app" / "m.py"))
    assert sorted(_tree(single)) == ["m.py"]


@pytest.mark.parametrize("extra", [("--diff",), ("--check",)])
def test_output_dir_refuses_diff_and_check(repo, tmp_path_factory, extra):
    result = invoke("--output-dir", str(tmp_path_factory.mktemp("o")), *extra, str(repo))
    assert result.exit_code == 2
    assert "cannot be combined" in result.stderr


def test_output_dir_refuses_stdin_and_folders_inside_or_equal_to_the_sources(repo):
    runner = CliRunner()
    stdin = runner.invoke(main, ["--output-dir", str(repo.parent / "o"), "-"], input=LEGACY)
    assert stdin.exit_code == 2 and "stdin" in stdin.stderr
    inside = invoke("--output-dir", str(repo / "migrated"), str(repo))
    assert inside.exit_code == 2 and "inside" in inside.stderr and "being migrated" in inside.stderr
    assert not (repo / "migrated").exists()
    same = invoke("--output-dir", str(repo), str(repo))
    assert same.exit_code == 2
    around = invoke("--output-dir", str(repo.parent), str(repo))
    assert around.exit_code == 2 and "contains" in around.stderr
    assert (repo / "train.py").read_text() == LEGACY
