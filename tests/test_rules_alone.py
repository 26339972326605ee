"""Any subset of rules settles: each rule alone, with and without the import rules, on its own
example, for every legacy version that changes what the rules do. A conversion that the next pass
would repeat (units, argument order) must not run while its import stays legacy."""

from __future__ import annotations

import pytest

from kmigrate.diagnostics import Status
from kmigrate.pipeline import migrate_bytes
from kmigrate.rules import all_rules
from kmigrate.settings import Settings
from tests.helpers import run

VERSIONS = (None, "2.0.8", "1.2.2")


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_a_rule_alone_settles_on_its_example(rule):
    for version in VERSIONS:
        for select in ((rule.id,), (rule.id, "KM1")):
            result = migrate_bytes(rule.before.encode(), "example.py", Settings(select=select, from_version=version))
            assert result.status is not Status.ERROR or "parse" in (result.error or ""), (select, version, result.error)


SHEAR = "from keras.preprocessing.image import ImageDataGenerator\n\ndatagen = ImageDataGenerator(shear_range=0.2)\n"
CROSSENTROPY = "from keras import backend as K\n\n\ndef loss(y_true, y_pred):\n    return K.categorical_crossentropy(y_pred, y_true)\n"


def test_km448_converts_only_where_the_import_moves_too():
    assert "shear_range=11.459155902616466" in run(SHEAR, select=("KM448", "KM1"), from_version="2.0.8").output
    alone = run(SHEAR, select=("KM448",), from_version="2.0.8")
    assert alone.status is Status.CHANGED and "shear_range=0.2" in alone.output
    assert "# kmigrate: KM448" in alone.output


def test_km252_swaps_only_where_the_import_moves_too():
    assert "K.categorical_crossentropy(y_true, y_pred)" in run(CROSSENTROPY, select=("KM252", "KM1"), from_version="2.0.5").output
    alone = run(CROSSENTROPY, select=("KM252",), from_version="2.0.5")
    assert "K.categorical_crossentropy(y_pred, y_true)" in alone.output and "# kmigrate: KM252" in alone.output
