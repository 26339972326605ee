"""One requirement string: names, versions, what becomes of it, and the public advice function
the notebook helper uses; the documented KM7xx examples run as requirements files."""

from __future__ import annotations

import pytest

from kmigrate.dependencies import RULES, advice_for_requirement, migrate
from kmigrate.dependencies.packages import EXTENSIONS
from kmigrate.dependencies.requirement import (
    admits_target_tensorflow,
    is_keras3,
    legacy_keras_version,
    parse,
    provided_after,
)
from kmigrate.diagnostics import Status
from kmigrate.rules import rule_by_id
from kmigrate.settings import Settings


@pytest.mark.parametrize(
    ("text", "replacement"),
    [
        ("keras==2.2.4", ("tensorflow>=2.16",)),
        ("Keras>=2.0.8", ("tensorflow>=2.16",)),
        ("keras", ("tensorflow>=2.16",)),  # unpinned in a legacy project: legacy
        ("keras[tests]~=2.1", ("tensorflow>=2.16",)),  # the old package's extras are dropped
        ("keras (>=2.0,<2.3)", ("tensorflow>=2.16",)),
        ("keras<3", ("tensorflow>=2.16",)),
        ('keras==2.2.4; python_version < "3.8"', ('tensorflow>=2.16; python_version < "3.8"',)),
        ("keras >= 2.1 ;os_name=='nt'", ("tensorflow >= 2.16 ;os_name=='nt'",)),
    ],
)
def test_legacy_keras_becomes_tensorflow(text, replacement):
    advice = advice_for_requirement(text, "tf.keras")
    assert advice is not None and advice.rule == "KM701" and advice.fixed
    assert advice.replacement == replacement


def test_tf_keras_target_gets_both_packages_with_the_marker():
    advice = advice_for_requirement('keras==2.1.2; sys_platform != "win32"', "tf_keras")
    assert advice.replacement == ('tensorflow>=2.16; sys_platform != "win32"', 'tf-keras>=2.16; sys_platform != "win32"')
    assert "TF_USE_LEGACY_KERAS" in advice.message


@pytest.mark.parametrize("text", ["keras>=3", "keras==3.4.1", "Keras~=3.0", "numpy", "tensorflow>=2.16",
                                  "tf-keras==2.21.0", "keras-tuner>=1.4", "-r base.txt", "not a requirement !", ""])
def test_nothing_to_do(text):
    assert advice_for_requirement(text, "tf.keras") is None


@pytest.mark.parametrize("name", ["keras-applications", "Keras_Applications", "keras.preprocessing", "KERAS-PREPROCESSING"])
def test_bundled_packages_are_removed_whatever_the_spelling(name):
    advice = advice_for_requirement(f"{name}==1.0.8", "tf.keras")
    assert advice.rule == "KM702" and advice.replacement == ()
    assert "tf.keras." in advice.message


@pytest.mark.parametrize("name", sorted(EXTENSIONS))
def test_every_extension_gets_its_advice_and_is_never_rewritten(name):
    advice = advice_for_requirement(f"{name}==0.1", "tf.keras")
    assert advice.rule == "KM703" and advice.replacement is None and not advice.fixed
    assert EXTENSIONS[name].advice in advice.message


def test_issue_examples_are_in_the_extension_table():
    for name in ("keras-contrib", "keras-vis", "keras-rl", "keras-rl2", "keras-resnet", "recurrentshop",
                 "keras-self-attention", "keras-bert", "keras-tqdm", "keras-layer-normalization",
                 "keras-pos-embd", "keras-multi-head", "seq_self_attention"):  # fmt: skip
        assert advice_for_requirement(name, "tf.keras").rule == "KM703", name


@pytest.mark.parametrize(
    ("text", "old"),
    [("tensorflow==1.15", True), ("tensorflow>=1.13,<2", True), ("tensorflow-cpu~=2.3.0", True),
     ("tensorflow-gpu>=2.16", True), ("tensorflow>=1.13", False), ("tensorflow==2.16.1", False),
     ("tensorflow~=2.17", False), ("tensorflow", False), ("tf-nightly", False)],
)  # fmt: skip
def test_old_tensorflow(text, old):
    advice = advice_for_requirement(text, "tf.keras")
    assert (advice is not None and advice.rule == "KM704" and not advice.fixed) is old


def test_keras_from_a_url_is_reported():
    advice = advice_for_requirement("keras @ https://example.org/Keras-2.2.4.tar.gz", "tf.keras")
    assert advice.rule == "KM706" and advice.replacement is None


def test_versions_and_names():
    assert parse("Keras_Applications>=1.0").name == "keras-applications"
    assert legacy_keras_version(parse("keras>=2.1.0,<2.3")) == "2.1.0"
    assert legacy_keras_version(parse("keras~=2.2")) == "2.2"
    assert legacy_keras_version(parse("keras<2.3")) is None
    assert legacy_keras_version(parse("keras==3.1")) is None
    assert legacy_keras_version(parse("keras-applications==1.0.8")) is None
    assert is_keras3(parse("keras>=3").specifier) and not is_keras3(parse("keras>=2,<4").specifier)
    assert admits_target_tensorflow(parse("tensorflow>=2.0,<3").specifier)
    assert not admits_target_tensorflow(parse("tensorflow<2.16").specifier)


def test_provided_after_counts_what_a_legacy_keras_becomes():
    found = [parse("keras==2.2.4"), parse("numpy")]
    assert provided_after(found, "tf.keras") >= {"tensorflow", "keras", "numpy"}
    assert "tf-keras" in provided_after(found, "tf_keras")


def test_public_advice_function_is_documented():
    doc = advice_for_requirement.__doc__ or ""
    for word in ("KM701", "KM703", "replacement", "None", "tf_keras"):
        assert word in doc


# -- the documented examples -----------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rules_are_registered_and_documented(rule):
    assert rule_by_id(rule.id) is rule
    assert rule.id.startswith("KM7") and rule.catalog and rule.details


@pytest.mark.parametrize("rule", [r for r in RULES if r.id not in ("KM705",)], ids=lambda rule: rule.id)
def test_documented_example_fires_in_a_requirements_file(rule, tmp_path):
    """`before` is a requirements.txt text; the rule reports it (and fixes it when it is safe),
    and the file it writes is stable."""
    before = rule.before.split("   (")[0].replace("...", "0" * 64) + "\n"
    path = tmp_path / "requirements.txt"
    path.write_text(before)
    result = migrate(before.encode(), str(path), Settings())
    assert rule.id in {d.rule for d in result.diagnostics}, result.diagnostics
    assert all(d.fixed for d in result.diagnostics if d.rule == rule.id) is (rule.safety.value == "safe")
    if result.status is Status.CHANGED:
        again = migrate(result.output_bytes, str(path), Settings())
        assert again.status is Status.UNCHANGED
        if rule.id == "KM701":
            assert result.output.strip() == rule.after


def test_missing_include_example(tmp_path):
    path = tmp_path / "requirements.txt"
    text = "-r requirements-base.txt\n"
    result = migrate(text.encode(), str(path), Settings())
    assert [d.rule for d in result.findings] == ["KM705"]
