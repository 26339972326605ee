"""KM617: Keras 1 slice_X(X, start, stop) -> X[start:stop] where the file proves X and start/stop."""

import pytest

from kmigrate.rules.keras1_slice_x import RULES
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run

HEAD = "import numpy as np\nfrom keras.engine.training import slice_X\n"


def _km617(result):
    return [d for d in result.diagnostics if d.rule == "KM617"]


def test_km617_project_slice_x_untouched():
    # A function of the project's own that happens to be called slice_X is not Keras's.
    assert_unchanged("import numpy as np\n\n\ndef slice_X(X, a, b=None):\n    return X[a:b]\n\n\ny = slice_X(np.ones(3), 1)\n")


def test_km617_addition_rnn():
    diagnostics = assert_migrates(
        HEAD + "X = np.zeros((100, 7, 12), dtype=np.bool_)\n"
        "indices = np.arange(len(X))\nnp.random.shuffle(indices)\nX = X[indices]\n"
        "split_at = len(X) - len(X) // 10\n"
        "(X_train, X_val) = (slice_X(X, 0, split_at), slice_X(X, split_at))\n",
        "import numpy as np\n"
        "X = np.zeros((100, 7, 12), dtype=np.bool_)\n"
        "indices = np.arange(len(X))\nnp.random.shuffle(indices)\nX = X[indices]\n"
        "split_at = len(X) - len(X) // 10\n"
        "(X_train, X_val) = (X[0:split_at], X[split_at:])\n",
    )
    assert len([d for d in diagnostics if d.rule == "KM617" and d.fixed]) == 2
    assert not [d for d in diagnostics if d.rule == "KM104"]  # the import went with its last use


def test_km617_keywords_methods_and_lists():
    assert_migrates(
        HEAD + "X = np.ones((10, 3)).astype('float32').reshape(10, 3)\nn = int(4)\n"
        "a = slice_X(X, start=-n, stop=None)\n"
        "b = slice_X([X, X * 2], 1, n + 1)\n"
        "c = slice_X(X, [0, 2, 4])\n",
        "import numpy as np\n"
        "X = np.ones((10, 3)).astype('float32').reshape(10, 3)\nn = int(4)\n"
        "a = X[-n:]\n"
        "b = [X[1:n + 1], (X * 2)[1:n + 1]]\n"
        "c = X[[0, 2, 4]]\n",
    )


def test_km617_module_import_spelling():
    assert_migrates(
        "import numpy\nfrom keras.engine import training\nX = numpy.arange(12)\nhead = training.slice_X(X, 0, 5)\n",
        "import numpy\nX = numpy.arange(12)\nhead = X[0:5]\n",
    )


@pytest.mark.parametrize("code", [
    "X = load()\na = slice_X(X, 0, 5)\n",                      # not known to be an array
    "X = np.zeros(4)\nX = [X]\na = slice_X(X, 0, 2)\n",        # one binding is a list
    "X = np.zeros(4)\nidx = pick()\na = slice_X(X, idx)\n",   # idx may be a sequence of indices
    "X = np.zeros(4)\na = slice_X((X, X), 0, 2)\n",           # a tuple was sliced whole
    "X = np.zeros(4)\nfor X in parts:\n    pass\na = slice_X(X, 0, 2)\n",
    "X = np.zeros(4)\n\n\ndef f(X):\n    return slice_X(X, 0, 2)\n",  # inside a function
    "X = np.zeros(4)\na = slice_X(*args)\n",
    "X = np.zeros(4)\na = slice_X([*parts], 0, 2)\n",          # a starred list display
])  # fmt: skip
def test_km617_unprovable_calls_marked(code):
    output = assert_flags(HEAD + code, "KM617")
    assert "slice_X(" in output and "from keras.engine.training import slice_X" in output


def test_km617_marker_spells_both_replacements():
    result = run(HEAD + "X = load()\na = slice_X(X, 0, split)\n")
    (finding,) = _km617(result)
    assert "X[0:split]" in finding.message and "[x[0:split] for x in X]" in finding.message


def test_km617_rule_example_is_what_kmigrate_writes():
    rule = RULES[0]
    assert run(rule.before + "\n", select=(rule.id, "KM1")).output == rule.after + "\n"
