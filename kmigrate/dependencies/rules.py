"""The rules of dependency files (KM7xx), documented like the code rules.

Their examples are requirement lines, not Python: `before` is what a requirements.txt holds,
`after` what kmigrate writes there (tests/test_dependencies_rules.py runs each of them).
"""

from __future__ import annotations

from kmigrate.rule_types import FixSafety, Rule

_FILES = (
    "Read in requirements*.txt (and the files they include with -r), requirements/*.txt, "
    "constraints*.txt, setup.py (install_requires, extras_require), setup.cfg, pyproject.toml "
    "(PEP 621 and Poetry), Pipfile and environment.yml."
)

RULES: tuple[Rule, ...] = (
    Rule(
        id="KM701",
        name="keras-requirement",
        summary="A legacy `keras` requirement becomes the target's TensorFlow (and tf-keras)",
        before="keras==2.2.4",
        after="tensorflow>=2.16",
        safety=FixSafety.SAFE,
        safety_note=(
            "The migrated code imports tf.keras, which TensorFlow 2.16+ provides as Keras 3; "
            "under --target tf_keras the requirement becomes `tensorflow>=2.16` and "
            "`tf-keras>=2.16` (pip picks the matching pair). When TensorFlow (or tf-keras) is "
            "already required, the keras line is dropped instead of adding a duplicate."
        ),
        catalog=("A01", "C-E01"),
        details=(
            _FILES + " Environment markers, comments, order, quotes and line endings are kept; "
            "extras of the old package are dropped. `keras>=3` (already Keras 3) is left alone; a "
            "keras requirement with no version counts as legacy, since the project is being "
            "migrated from standalone Keras."
        ),
    ),
    Rule(
        id="KM702",
        name="keras-bundled-package",
        summary="`keras-applications` and `keras-preprocessing` are removed: TensorFlow ships them",
        before="keras-applications==1.0.8\nkeras-preprocessing==1.1.0",
        after="(both lines removed; the code imports tf.keras.applications and tf.keras.preprocessing)",
        safety=FixSafety.SAFE,
        safety_note=(
            "Standalone Keras 2.2 split these modules out; the migrated imports use the copies "
            "inside TensorFlow (catalog A08, A09), so the packages are no longer imported."
        ),
        catalog=("A08", "A09"),
        details=_FILES,
    ),
    Rule(
        id="KM703",
        name="keras-extension-package",
        summary="A package built on standalone Keras (keras-contrib, keras-vis, keras-rl, ...) is reported with advice",
        before="keras-contrib==2.0.8",
        after="(left as written: replace it with the maintained equivalent the message names, or vendor it)",
        safety=FixSafety.FLAG,
        safety_note=(
            "These libraries import `keras` themselves: after the migration they get Keras 3 (or "
            "mix Keras 3 objects into a tf_keras model) and break. Which replacement fits depends "
            "on what the project uses from them, so kmigrate only reports them."
        ),
        catalog=("D18",),
        details=(
            _FILES + " The advice per package is a table in kmigrate/dependencies/packages.py "
            "(keras-contrib, keras-vis, keras-rl, keras-rl2, keras-resnet, recurrentshop, "
            "keras-self-attention, keras-bert, keras-tqdm, keras-retinanet, segmentation-models, "
            "efficientnet, keras2onnx, ...)."
        ),
    ),
    Rule(
        id="KM704",
        name="tensorflow-too-old",
        summary="A TensorFlow requirement that excludes 2.16+ (or `tensorflow-gpu`) is reported",
        before="tensorflow==1.15.0",
        after="tensorflow>=2.16   (written by a person once the TensorFlow 1.x code is migrated)",
        safety=FixSafety.FLAG,
        safety_note=(
            "The migrated code needs TensorFlow 2.16+, but an old pin usually goes with TensorFlow "
            "1.x code (sessions, placeholders) and a CUDA stack that kmigrate does not migrate, so "
            "the pin is reported, not changed. tensorflow-gpu stopped at 2.12: "
            "`tensorflow[and-cuda]` replaces it."
        ),
        catalog=("A01", "D04"),
        details=_FILES,
    ),
    Rule(
        id="KM705",
        name="missing-requirements-include",
        summary="A `-r`/`-c` include of a requirements file points to a file that does not exist",
        before="-r requirements-base.txt   (no such file next to it)",
        after="(a finding: the included file cannot be checked for Keras requirements)",
        safety=FixSafety.FLAG,
        safety_note="Nothing is rewritten; the include is resolved relative to the including file, as pip does.",
        catalog=("D17",),
        details="Included files are read to know what is already required (a TensorFlow there means "
        "the keras line is dropped rather than replaced) and for the legacy Keras version.",
    ),
    Rule(
        id="KM706",
        name="keras-requirement-not-rewritten",
        summary="A legacy Keras requirement kmigrate cannot rewrite safely is reported",
        before="keras==2.2.4 --hash=sha256:1a2b...",
        after="tensorflow>=2.16   (regenerate the hashes, e.g. with pip-compile)",
        safety=FixSafety.FLAG,
        safety_note=(
            "Hash-pinned lines (a new requirement would need its hashes), Keras installed from a URL "
            "or an editable checkout, a requirement list setup.py computes, and included files "
            "kmigrate does not rewrite: the message says what to write instead."
        ),
        catalog=("A01",),
        details=_FILES,
    ),
)
