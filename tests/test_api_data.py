"""The committed tf.keras namespace is TF 2.21's: regenerate it and compare."""

from __future__ import annotations

import json

from kmigrate.data import generate_api


def test_committed_namespace_matches_installed_tensorflow():
    committed = json.loads(generate_api.OUTPUT.read_text(encoding="utf-8"))
    fresh = generate_api.generate()
    assert committed["tf.keras"]["tensorflow"] == fresh["tf.keras"]["tensorflow"] == "2.21.0"
    assert committed == json.loads(json.dumps(fresh, sort_keys=True))
