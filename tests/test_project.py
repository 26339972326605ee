"""Project-wide promises: the codemod never imports TensorFlow, docs follow the registry."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from kmigrate.report import rules_markdown
from kmigrate.rules import all_rules, fixers

ROOT = Path(__file__).resolve().parent.parent
CATALOG_ID = re.compile(r"^(A\d\d|B\d\d|C-[A-Z]+\d*|C-K-\w+|D\d\d)")


def test_codemod_never_imports_tensorflow_or_the_harness():
    code = (
        "import sys, kmigrate.cli, kmigrate.pipeline, kmigrate.rules as r\n"
        "r.fixers()\n"
        "from kmigrate.pipeline import migrate_bytes\n"
        "from kmigrate.settings import Settings\n"
        "migrate_bytes(b'import keras\\nfrom keras.layers import Dense, LSTM\\n', 'a.py', Settings())\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'tf_keras', 'keras') "
        "or m.startswith('kmigrate.harness')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_docs_rule_reference_is_generated_from_the_registry():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "run: kmigrate rules --format markdown > docs/rules.md"


def test_every_rule_is_documented_completely():
    for rule in all_rules():
        assert re.fullmatch(r"KM\d{3}", rule.id), rule.id
        assert rule.name and rule.summary and rule.before and rule.after and rule.safety_note, rule.id
        assert all(CATALOG_ID.match(c) for c in rule.catalog), rule.id
        # KM6xx: breakers found in real code that the catalog has no row for.
        assert rule.catalog or rule.id.startswith("KM6"), rule.id


def test_every_family_has_its_own_test_module():
    # A one-module family has tests/rules/test_<family>.py; a family split into one module per
    # concern (kmigrate/rules/<family>/) has tests/rules/<family>/test_<concern>.py for each.
    for fixer in fixers():
        family = fixer.__module__.split(".")[2]  # kmigrate.rules.<family>[.<concern>]
        if (ROOT / "tests" / "rules" / f"test_{family}.py").is_file():
            continue
        concerns = {k.__module__.split(".")[3] for k in fixer.__mro__ if vars(k).get("implements")}
        assert concerns, family
        for concern in concerns:
            assert (ROOT / "tests" / "rules" / family / f"test_{concern}.py").is_file(), (family, concern)


def test_flag_only_rules_never_claim_to_fix_in_examples():
    for rule in all_rules():
        if rule.safety.value == "flag-only":
            assert rule.after.strip(), rule.id


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_starts_with_exactly_two_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert len(commands) == 2
    assert "--diff fixtures/example" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_bundled_example_has_something_to_migrate():
    from kmigrate.diagnostics import Status
    from kmigrate.pipeline import migrate_path
    from kmigrate.settings import Settings

    results = [
        migrate_path(str(path), Settings(), write=False)
        for path in sorted((ROOT / "fixtures" / "example").glob("*.py"))
    ]
    assert results and all(r.status is Status.CHANGED for r in results)
