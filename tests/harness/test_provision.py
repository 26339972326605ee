"""Provisioning of the legacy runtime: where it lives, pins, and clear errors."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmigrate.harness import provision
from kmigrate.harness.cli import EXIT_HARNESS_ERROR, verify


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("KMIGRATE_CACHE_DIR", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "b"))
    assert provision.default_cache_dir() == tmp_path / "a"
    monkeypatch.delenv("KMIGRATE_CACHE_DIR")
    assert provision.default_cache_dir() == tmp_path / "b" / "kmigrate"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert provision.default_cache_dir() == Path.home() / ".cache" / "kmigrate"


def test_every_requirement_is_pinned_exactly_and_legacy_keras_is_there():
    lines = [line.strip() for line in provision.PINNED_REQUIREMENTS.read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][A-Za-z0-9.]*", line) for line in lines), lines
    pins = dict(line.lower().split("==") for line in lines)
    assert pins["keras"] == provision.DEFAULT_KERAS_VERSION == "2.2.4"
    assert pins["tensorflow-cpu"] == "2.15.1" and pins["numpy"] == "1.23.5" and pins["tf-keras"] == "2.15.1"
    assert "tensorflow" not in pins  # tensorflow-cpu ships the same package; both would be ~800 MB


def test_runtime_dir_changes_with_the_pins(tmp_path, monkeypatch):
    first = provision.runtime_dir(tmp_path)
    edited = tmp_path / "pins.txt"
    edited.write_text(provision.PINNED_REQUIREMENTS.read_text() + "extra==1.0\n")
    monkeypatch.setattr(provision, "PINNED_REQUIREMENTS", edited)
    assert provision.runtime_dir(tmp_path) != first


def test_offline_provisioning_fails_with_a_clear_message(tmp_path, monkeypatch):
    # An index nobody listens on: pip cannot reach it, as on an offline machine.
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "3")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", "")
    with pytest.raises(provision.ProvisionError, match="package index is unreachable"):
        provision.ensure_legacy_runtime(tmp_path / "cache", log=lambda m: None)
    assert not (provision.runtime_dir(tmp_path / "cache") / provision.READY_MARKER).exists()

    result = CliRunner().invoke(verify, ["--cache-dir", str(tmp_path / "cache2"), "mlp_keras1_sgd"])
    assert result.exit_code == EXIT_HARNESS_ERROR
    assert "unreachable (offline?)" in result.output and "--legacy-python" in result.output


def test_legacy_python_without_legacy_keras_is_rejected():
    with pytest.raises(provision.ProvisionError, match="not a multi-backend Keras|does not import"):
        provision.runtime_from_interpreter(Path(sys.executable))
    result = CliRunner().invoke(verify, ["--legacy-python", sys.executable, "mlp_keras1_sgd"])
    assert result.exit_code == EXIT_HARNESS_ERROR


def test_unknown_legacy_keras_version_is_rejected(tmp_path):
    with pytest.raises(provision.ProvisionError, match="not supported"):
        provision.ensure_legacy_runtime(tmp_path, keras_version="1.2.2")
