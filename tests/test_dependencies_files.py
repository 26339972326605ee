"""Dependency files, one format at a time: realistic legacy files (shapes taken from Keras
projects of 2017-2019) rewritten byte for byte as expected, no-op cases, a second run that
changes nothing, --target tf_keras, and files that cannot be parsed."""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml

from kmigrate.dependencies import handles, migrate
from kmigrate.diagnostics import FileResult, Status
from kmigrate.settings import Settings


def run(path: Path, text: str | bytes, **settings: object) -> FileResult:
    data = text if isinstance(text, bytes) else textwrap.dedent(text).encode()
    path.write_bytes(data)
    return migrate(data, str(path), Settings(**settings))  # type: ignore[arg-type]


def assert_rewrites(path: Path, before: str, after: str, **settings: object) -> FileResult:
    """``before`` becomes exactly ``after``, and a second run over ``after`` changes nothing."""
    result = run(path, before, **settings)
    assert result.status is Status.CHANGED, (result.status, result.error)
    assert result.output == textwrap.dedent(after), f"got:\n{result.output}"
    assert result.output_bytes == result.output.encode()
    assert_unchanged(path, after, **settings)
    return result


def assert_unchanged(path: Path, text: str, **settings: object) -> FileResult:
    result = run(path, text, **settings)
    assert result.status is Status.UNCHANGED, (result.status, result.error, result.output)
    assert not result.fixes
    return result


def rules(result: FileResult, fixed: bool | None = None) -> list[str]:
    return [d.rule for d in result.diagnostics if fixed is None or d.fixed is fixed]


# -- which files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["requirements.txt", "requirements-dev.txt", "dev-requirements.txt", "requirements_gpu.txt",
     "constraints.txt", "requirements.in", "requirements/base.txt", "requirements/test.in", "setup.py",
     "setup.cfg", "pyproject.toml", "Pipfile", "environment.yml", "environment-gpu.yaml", "Requirements.txt"],
)  # fmt: skip
def test_handles_dependency_files(name):
    assert handles(f"project/{name}")


@pytest.mark.parametrize("name", ["train.py", "README.txt", "notes/base.txt", "Pipfile.lock", "config.yml", "x.toml"])
def test_leaves_other_files_to_others(name):
    assert not handles(f"project/{name}")


# -- requirements.txt ----------------------------------------------------------------------

REQUIREMENTS_2018 = textwrap.dedent("""\
    # Core
    numpy==1.14.5
    scipy>=1.0.0
    Keras==2.2.4  # the model code
    keras_applications==1.0.6
    Keras-Preprocessing==1.0.5
    h5py==2.8.0 ; python_version < "3.7"
    Pillow
    -e git+https://github.com/keras-team/keras-contrib.git#egg=keras_contrib
    keras-vis==0.4.1
    """)


def test_requirements_txt(tmp_path):
    result = assert_rewrites(
        tmp_path / "requirements.txt",
        REQUIREMENTS_2018,
        """\
        # Core
        numpy==1.14.5
        scipy>=1.0.0
        tensorflow>=2.16  # the model code
        h5py==2.8.0 ; python_version < "3.7"
        Pillow
        -e git+https://github.com/keras-team/keras-contrib.git#egg=keras_contrib
        keras-vis==0.4.1
        """,
    )
    assert rules(result, fixed=True) == ["KM701", "KM702", "KM702"]
    assert rules(result, fixed=False) == ["KM703", "KM703"]
    contrib = next(d for d in result.findings if "keras_contrib" in d.message)
    assert (contrib.line, contrib.column) == (9, 1)
    assert "TensorFlow Addons" in contrib.message


def test_requirements_txt_tf_keras_target_adds_tf_keras_after_the_line(tmp_path):
    assert_rewrites(
        tmp_path / "requirements.txt",
        "numpy\nkeras==2.2.4  # model\nh5py\n",
        "numpy\ntensorflow>=2.16  # model\ntf-keras>=2.16\nh5py\n",
        target="tf_keras",
    )


def test_existing_tensorflow_means_the_keras_line_is_dropped(tmp_path):
    result = assert_rewrites(
        tmp_path / "requirements.txt",
        "keras==2.2.4\ntensorflow>=2.16\nnumpy\n",
        "tensorflow>=2.16\nnumpy\n",
    )
    assert "already required" in result.fixes[0].message


def test_old_tensorflow_pin_is_reported_not_changed(tmp_path):
    result = assert_rewrites(
        tmp_path / "requirements.txt",
        "keras==2.2.4\ntensorflow==1.15.0\n",
        "tensorflow==1.15.0\n",
    )
    finding = result.findings[0]
    assert (finding.rule, finding.line) == ("KM704", 2)
    assert "tensorflow>=2.16" in finding.message


def test_tensorflow_gpu_is_reported(tmp_path):
    result = run(tmp_path / "requirements.txt", "tensorflow-gpu==1.13.1\n")
    assert result.status is Status.UNCHANGED
    assert rules(result) == ["KM704"] and "and-cuda" in result.findings[0].message


def test_markers_spacing_and_crlf_are_kept(tmp_path):
    before = b'Keras >= 2.1.0, < 2.3 ; python_version<"3.8"   # old\r\nnumpy\r\n'
    result = run(tmp_path / "requirements.txt", before, target="tf_keras")
    assert result.output_bytes == (
        b'tensorflow >= 2.16 ; python_version<"3.8"   # old\r\ntf-keras >= 2.16 ; python_version<"3.8"\r\nnumpy\r\n'
    )
    assert run(tmp_path / "requirements.txt", result.output_bytes, target="tf_keras").status is Status.UNCHANGED


def test_bom_and_missing_final_newline_are_kept(tmp_path):
    result = run(tmp_path / "requirements.txt", b"\xef\xbb\xbfnumpy\nkeras==2.0.8")
    assert result.output_bytes == b"\xef\xbb\xbfnumpy\ntensorflow>=2.16"


@pytest.mark.parametrize(
    "text",
    [
        "numpy\nscipy\n",  # no Keras at all
        "keras>=3\nnumpy\n",  # already Keras 3
        "keras==3.4.1\n",
        "tensorflow>=2.16\n",  # TensorFlow only
        "tensorflow==2.21.0\ntf-keras~=2.21\n",
        "# keras==2.2.4 was here\n",  # a comment is not a requirement
        "",
    ],
)
def test_requirements_txt_no_op(tmp_path, text):
    result = assert_unchanged(tmp_path / "requirements.txt", text)
    assert not result.diagnostics


def test_hash_pinned_line_is_reported_not_rewritten(tmp_path):
    text = "keras==2.2.4 \\\n    --hash=sha256:794d0c92c6c4122f1f0fcf3a7bc2f49054c6a54ddbef8d8ffafca62795d760b6\n"
    result = assert_unchanged(tmp_path / "requirements.txt", text)
    assert rules(result) == ["KM706"] and "pip-compile" in result.findings[0].message


def test_includes_are_followed_relative_to_the_including_file(tmp_path):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("tensorflow==2.17.0\nnumpy\n")
    result = assert_rewrites(
        tmp_path / "requirements" / "dev.txt",
        "-r base.txt\nkeras==2.2.4\npytest\n",
        "-r base.txt\npytest\n",
    )
    assert "already required" in result.fixes[0].message


def test_an_included_legacy_keras_counts_as_the_target_once_migrated(tmp_path):
    (tmp_path / "requirements.txt").write_text("keras==2.2.4\n")
    assert_rewrites(
        tmp_path / "requirements-dev.txt",
        "--requirement requirements.txt\nkeras==2.2.4\npytest\n",
        "--requirement requirements.txt\npytest\n",
    )


def test_missing_include_is_a_finding_not_a_crash(tmp_path):
    result = assert_rewrites(
        tmp_path / "requirements.txt",
        "-r requirements-common.txt\n-c constraints.txt\nkeras==2.2.4\n",
        "-r requirements-common.txt\n-c constraints.txt\ntensorflow>=2.16\n",
    )
    assert [(d.rule, d.line) for d in result.findings] == [("KM705", 1), ("KM705", 2)]


def test_include_loop_terminates(tmp_path):
    (tmp_path / "requirements-a.txt").write_text("-r requirements-b.txt\nkeras==2.2.4\n")
    result = run(tmp_path / "requirements-b.txt", "-r requirements-a.txt\nnumpy\n")
    assert result.status is Status.UNCHANGED


def test_constraints_file(tmp_path):
    assert_rewrites(tmp_path / "constraints.txt", "Keras==2.1.6\nh5py==2.7.1\n", "tensorflow>=2.16\nh5py==2.7.1\n")


def test_rule_selection_applies(tmp_path):
    result = run(tmp_path / "requirements.txt", "keras==2.2.4\nkeras-applications\n", ignore=("KM702",))
    assert result.output == "tensorflow>=2.16\nkeras-applications\n"
    result = run(tmp_path / "requirements.txt", "keras==2.2.4\nkeras-contrib\n", select=("KM703",))
    assert result.status is Status.UNCHANGED and rules(result) == ["KM703"]


# -- setup.py ------------------------------------------------------------------------------

SETUP_PY_2017 = textwrap.dedent("""\
    from setuptools import setup
    from setuptools import find_packages

    long_description = '''
    Keras layers for faces: a 2017-style package.
    '''

    REQUIRED = [
        'numpy>=1.9.1',
        'scipy>=0.14',
        'six>=1.9.0',
        "keras>=2.0.8",  # the framework
        'keras_applications>=1.0.6',
    ]

    setup(name='keras-faces',
          version='0.3.1',
          description='Face layers for Keras',
          long_description=long_description,
          install_requires=REQUIRED,
          extras_require={
              'visualize': ['pydot>=1.2.0'],
              'tests': ['pytest',
                        'pytest-xdist',
                        'keras==2.1.6; python_version<"3.0"',
                        ],
              'tf': ["tensorflow"],
              'tf_gpu': ["tensorflow-gpu"],
          },
          packages=find_packages())
    """)


def test_setup_py(tmp_path):
    result = assert_rewrites(
        tmp_path / "setup.py",
        SETUP_PY_2017,
        SETUP_PY_2017.replace("    \"keras>=2.0.8\",  # the framework\n    'keras_applications>=1.0.6',\n",
                              "    \"tensorflow>=2.16\",  # the framework\n")
        .replace("                    'keras==2.1.6; python_version<\"3.0\"',\n", ""),
    )  # fmt: skip
    assert rules(result, fixed=True) == ["KM701", "KM702", "KM701"]
    assert rules(result, fixed=False) == ["KM704"]  # tensorflow-gpu
    compile(result.output, "setup.py", "exec")


def test_setup_py_inline_lists_and_tf_keras(tmp_path):
    assert_rewrites(
        tmp_path / "setup.py",
        "from setuptools import setup\nsetup(name='x', install_requires=['keras==2.2.4', 'h5py'])\n",
        "from setuptools import setup\nsetup(name='x', install_requires=['tensorflow>=2.16', 'tf-keras>=2.16', 'h5py'])\n",
        target="tf_keras",
    )
    assert_rewrites(
        tmp_path / "setup.py",
        "import setuptools\nsetuptools.setup(install_requires=('numpy', \"Keras\"), tests_require=[])\n",
        "import setuptools\nsetuptools.setup(install_requires=('numpy', \"tensorflow>=2.16\"), tests_require=[])\n",
    )


def test_setup_py_only_touches_the_requirement_lists(tmp_path):
    text = (
        "from setuptools import setup\n"
        "KERAS = 'keras==2.2.4'  # not a requirement list\n"
        "setup(name='keras==2.2.4', keywords=['keras==2.2.4'], install_requires=open('requirements.txt').read().split())\n"
    )
    result = assert_unchanged(tmp_path / "setup.py", text)
    assert not result.diagnostics


def test_setup_py_no_op(tmp_path):
    assert_unchanged(tmp_path / "setup.py", "from setuptools import setup\nsetup(install_requires=['tensorflow>=2.16', 'keras>=3'])\n")


def test_python2_setup_py_is_an_error_left_alone(tmp_path):
    result = run(tmp_path / "setup.py", "from setuptools import setup\nprint 'building'\nsetup(install_requires=['keras==2.0.8'])\n")
    assert result.status is Status.ERROR and "Python 2" in (result.error or "")


# -- setup.cfg -----------------------------------------------------------------------------


def test_setup_cfg(tmp_path):
    result = assert_rewrites(
        tmp_path / "setup.cfg",
        """\
        [metadata]
        name = keras-faces

        [options]
        packages = find:
        install_requires =
            numpy>=1.14
            # the network
            Keras==2.2.4
            h5py
        tests_require = pytest; keras==2.2.4

        [options.extras_require]
        gpu =
            tensorflow-gpu>=1.12
            keras>=2.2
        """,
        """\
        [metadata]
        name = keras-faces

        [options]
        packages = find:
        install_requires =
            numpy>=1.14
            # the network
            tensorflow>=2.16
            h5py
        tests_require = pytest

        [options.extras_require]
        gpu =
            tensorflow-gpu>=1.12
        """,
    )
    assert rules(result, fixed=False) == ["KM704"]


def test_setup_cfg_tf_keras(tmp_path):
    assert_rewrites(
        tmp_path / "setup.cfg",
        "[options]\ninstall_requires =\n    keras==2.2.4\n    numpy\n",
        "[options]\ninstall_requires =\n    tensorflow>=2.16\n    tf-keras>=2.16\n    numpy\n",
        target="tf_keras",
    )


def test_setup_cfg_no_op_and_unparseable(tmp_path):
    assert_unchanged(tmp_path / "setup.cfg", "[metadata]\nname = keras\n[options]\ninstall_requires = tensorflow>=2.16\n")
    result = run(tmp_path / "setup.cfg", "[options\ninstall_requires = keras==2.2.4\n")
    assert result.status is Status.ERROR and "cannot parse" in (result.error or "")


# -- pyproject.toml ------------------------------------------------------------------------

PYPROJECT_PEP621 = textwrap.dedent("""\
    [build-system]
    requires = ["setuptools>=61", "wheel"]
    build-backend = "setuptools.build_meta"

    [project]
    name = 'faces'
    dependencies = [
        "numpy>=1.16",
        'keras==2.3.1 ; python_version < "3.8"',  # pinned for the paper
        "Keras-Preprocessing",
    ]

    [project.optional-dependencies]
    gpu = ["tensorflow-gpu==1.15.0", "keras"]
    k3 = ["keras>=3"]

    [tool.kmigrate]
    target = "tf.keras"
    """)


def test_pyproject_pep621(tmp_path):
    result = assert_rewrites(
        tmp_path / "pyproject.toml",
        PYPROJECT_PEP621,
        PYPROJECT_PEP621.replace(
            "    'keras==2.3.1 ; python_version < \"3.8\"',  # pinned for the paper\n    \"Keras-Preprocessing\",\n",
            "    'tensorflow>=2.16 ; python_version < \"3.8\"',  # pinned for the paper\n",
        ).replace('gpu = ["tensorflow-gpu==1.15.0", "keras"]', 'gpu = ["tensorflow-gpu==1.15.0"]'),
    )
    assert rules(result, fixed=False) == ["KM704"]
    tomllib.loads(result.output)


def test_pyproject_inline_arrays_tf_keras(tmp_path):
    assert_rewrites(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\ndependencies = ["keras>=2.2,<2.4", "h5py"]\n',
        '[project]\nname = "x"\ndependencies = ["tensorflow>=2.16", "tf-keras>=2.16", "h5py"]\n',
        target="tf_keras",
    )
    assert_rewrites(
        tmp_path / "pyproject.toml",
        '[project]\ndependencies = [\n  "h5py",\n  "keras"\n]\n',
        '[project]\ndependencies = [\n  "h5py",\n  "tensorflow>=2.16",\n  "tf-keras>=2.16"\n]\n',
        target="tf_keras",
    )


PYPROJECT_POETRY = textwrap.dedent("""\
    [tool.poetry]
    name = "faces"
    version = "0.1.0"

    [tool.poetry.dependencies]
    python = "^3.6"
    Keras = "^2.2.4"   # standalone Keras
    numpy = "^1.16"
    keras-contrib = { git = "https://github.com/keras-team/keras-contrib.git" }
    tensorflow = {version = "^2.0", optional = true}

    [tool.poetry.dev-dependencies]
    pytest = "^4.0"
    keras = "2.2.4"

    [tool.poetry.extras]
    gpu = ["tensorflow", "Keras"]
    """)


def test_pyproject_poetry(tmp_path):
    result = assert_rewrites(
        tmp_path / "pyproject.toml",
        PYPROJECT_POETRY,
        PYPROJECT_POETRY.replace('Keras = "^2.2.4"   # standalone Keras\n', "")
        .replace('keras = "2.2.4"\n', "")
        .replace('gpu = ["tensorflow", "Keras"]', 'gpu = ["tensorflow"]'),
    )
    assert rules(result, fixed=False) == ["KM703"]


def test_pyproject_poetry_without_tensorflow_renames_and_follows_extras(tmp_path):
    assert_rewrites(
        tmp_path / "pyproject.toml",
        '[tool.poetry.dependencies]\npython = "^3.6"\nkeras = {version = "~2.1", optional = true}\n\n'
        '[tool.poetry.extras]\nml = ["keras"]\n',
        '[tool.poetry.dependencies]\npython = "^3.6"\ntensorflow = {version = ">=2.16", optional = true}\n'
        'tf-keras = {version = ">=2.16", optional = true}\n\n'
        '[tool.poetry.extras]\nml = ["tensorflow", "tf-keras"]\n',
        target="tf_keras",
    )


@pytest.mark.parametrize(
    "text",
    [
        '[project]\nname = "x"\ndependencies = ["numpy"]\n',
        '[project]\ndependencies = ["keras>=3.0", "tensorflow>=2.16"]\n',
        '[tool.poetry.dependencies]\npython = "^3.9"\nkeras = "^3.1"\n',
        '[tool.kmigrate]\ntarget = "tf_keras"\n',
    ],
)
def test_pyproject_no_op(tmp_path, text):
    assert not assert_unchanged(tmp_path / "pyproject.toml", text).diagnostics


def test_invalid_toml_is_an_error_left_alone(tmp_path):
    result = run(tmp_path / "pyproject.toml", '[project]\ndependencies = ["keras==2.2.4"\n')
    assert result.status is Status.ERROR and "cannot parse as pyproject" in (result.error or "")


# -- Pipfile -------------------------------------------------------------------------------

PIPFILE_2018 = textwrap.dedent("""\
    [[source]]
    url = "https://pypi.org/simple"
    verify_ssl = true
    name = "pypi"

    [packages]
    keras = "==2.2.4"
    numpy = "*"
    "keras-preprocessing" = {version = "*"}
    tensorflow-gpu = "==1.12.0"

    [dev-packages]
    keras = {version = ">=2.0", markers = "python_version < '3.7'"}
    pytest = "*"

    [requires]
    python_version = "3.6"
    """)


def test_pipfile(tmp_path):
    result = assert_rewrites(
        tmp_path / "Pipfile",
        PIPFILE_2018,
        PIPFILE_2018.replace('keras = "==2.2.4"\n', "")
        .replace('"keras-preprocessing" = {version = "*"}\n', "")
        .replace("keras = {version = \">=2.0\", markers = \"python_version < '3.7'\"}\n", ""),
    )
    assert rules(result, fixed=False) == ["KM704"]


def test_pipfile_tf_keras_keeps_markers(tmp_path):
    assert_rewrites(
        tmp_path / "Pipfile",
        "[packages]\nkeras = {version = \">=2.0\", markers = \"python_version < '3.7'\"}\nnumpy = \"*\"\n",
        "[packages]\ntensorflow = {version = \">=2.16\", markers = \"python_version < '3.7'\"}\n"
        "tf-keras = {version = \">=2.16\", markers = \"python_version < '3.7'\"}\nnumpy = \"*\"\n",
        target="tf_keras",
    )


def test_pipfile_no_op(tmp_path):
    assert_unchanged(tmp_path / "Pipfile", '[packages]\ntensorflow = ">=2.16"\nkeras = ">=3"\n\n[requires]\npython_version = "3.11"\n')


# -- environment.yml -----------------------------------------------------------------------

ENVIRONMENT_2018 = textwrap.dedent("""\
    name: faces
    channels:
      - conda-forge
      - defaults
    dependencies:
      - python=3.6
      - keras=2.2.4   # conda-forge build
      - numpy
      - pip
      - pip:
        - "keras-contrib==2.0.8"
        - keras-applications==1.0.8
        - opencv-python
    """)


def test_environment_yml(tmp_path):
    result = assert_rewrites(
        tmp_path / "environment.yml",
        ENVIRONMENT_2018,
        ENVIRONMENT_2018.replace("  - keras=2.2.4   # conda-forge build", "  - tensorflow>=2.16   # conda-forge build")
        .replace("    - keras-applications==1.0.8\n", ""),
    )
    assert rules(result, fixed=False) == ["KM703"]
    assert yaml.safe_load(result.output)["dependencies"][1] == "tensorflow>=2.16"


def test_environment_yml_pip_section_and_tensorflow_in_conda(tmp_path):
    assert_rewrites(
        tmp_path / "environment.yml",
        "dependencies:\n  - tensorflow=2.17\n  - pip:\n      - keras==2.2.4\n      - tqdm\n",
        "dependencies:\n  - tensorflow=2.17\n  - pip:\n      - tqdm\n",
    )
    assert_rewrites(
        tmp_path / "environment.yml",
        "dependencies:\n- keras\n- pip\n",
        "dependencies:\n- tensorflow>=2.16\n- tf-keras>=2.16\n- pip\n",
        target="tf_keras",
    )


def test_environment_yml_no_op_and_invalid(tmp_path):
    assert_unchanged(tmp_path / "environment.yml", "name: x\ndependencies:\n  - python=3.11\n  - tensorflow>=2.16\n")
    result = run(tmp_path / "environment.yml", "dependencies:\n  - keras=2.2.4\n   - numpy: [\n")
    assert result.status is Status.ERROR and "left unchanged" in (result.error or "")


def test_environment_yml_flow_list_is_reported(tmp_path):
    result = assert_unchanged(tmp_path / "environment.yml", "dependencies: [python=3.6, keras=2.2.4]\n")
    assert rules(result) == ["KM706"]


def test_setup_py_options_dict_and_concatenated_lists(tmp_path):
    assert_rewrites(
        tmp_path / "setup.py",
        "from setuptools import setup\n"
        "BASE = ['numpy', 'Keras==2.0.6']\n"
        "options = dict(name='x', install_requires=BASE + ['keras_preprocessing'],\n"
        "               extras_require={'viz': ['keras-vis', 'keras']})\n"
        "setup(**options)\n",
        "from setuptools import setup\n"
        "BASE = ['numpy', 'tensorflow>=2.16']\n"
        "options = dict(name='x', install_requires=BASE + [],\n"
        "               extras_require={'viz': ['keras-vis']})\n"
        "setup(**options)\n",
    )


def test_setup_py_that_imports_keras_also_gets_the_code_rules(tmp_path):
    result = run(
        tmp_path / "setup.py",
        "from setuptools import setup\nimport keras\nsetup(version=keras.__version__, install_requires=['keras==2.2.4'])\n",
    )
    assert result.status is Status.CHANGED
    assert "from tensorflow import keras" in result.output and "'tensorflow>=2.16'" in result.output


def test_setup_py_without_keras_imports_gets_no_code_rules(tmp_path):
    result = run(
        tmp_path / "setup.py",
        "from setuptools import setup\nsetup(name='x', install_requires=['keras==2.2.4'])\n",
        target="tf_keras",
    )
    assert "TF_USE_LEGACY_KERAS" not in result.output  # an entry-point line has no place here


def test_conda_keras_gpu_package(tmp_path):
    assert_rewrites(
        tmp_path / "environment.yml",
        "dependencies:\n  - keras-gpu=2.2.4\n  - numpy\n",
        "dependencies:\n  - tensorflow>=2.16\n  - numpy\n",
    )


def test_vcs_urls_are_named_by_their_repository(tmp_path):
    result = assert_unchanged(
        tmp_path / "requirements.txt",
        "git+https://github.com/keras-team/keras.git@2.2.4\ngit+https://github.com/raghakot/keras-vis.git\n",
    )
    assert rules(result) == ["KM706", "KM703"]


def test_setup_cfg_dashed_keys(tmp_path):
    assert_rewrites(
        tmp_path / "setup.cfg",
        "[options]\ninstall-requires =\n    keras==2.1.3\n",
        "[options]\ninstall-requires =\n    tensorflow>=2.16\n",
    )


def test_selecting_only_code_rules_skips_dependency_files(tmp_path):
    result = run(tmp_path / "pyproject.toml", "[project\n", select=("KM1",))
    assert result.status is Status.SKIPPED
    result = run(tmp_path / "setup.py", "from setuptools import setup\nsetup(install_requires=['keras'])\n", select=("KM1",))
    assert result.status is Status.UNCHANGED and not result.diagnostics


def test_poetry_dotted_keys_inline_tables_and_a_last_line_without_newline(tmp_path):
    assert_rewrites(
        tmp_path / "pyproject.toml",
        '[tool.poetry]\nname = "x"\ndependencies.keras = "^2.2"',
        '[tool.poetry]\nname = "x"\ndependencies.tensorflow = ">=2.16"\ndependencies.tf-keras = ">=2.16"',
        target="tf_keras",
    )
    assert_rewrites(  # one entry of an inline table: renamed in place
        tmp_path / "pyproject.toml",
        '[tool.poetry]\ndependencies = { python = "^3.6", keras = "2.2.4" }\n',
        '[tool.poetry]\ndependencies = { python = "^3.6", tensorflow = ">=2.16" }\n',
    )
    result = assert_unchanged(  # two entries would be needed: reported, not guessed
        tmp_path / "pyproject.toml",
        '[tool.poetry]\ndependencies = { python = "^3.6", keras = "2.2.4" }\n',
        target="tf_keras",
    )
    assert rules(result) == ["KM706"]


def test_environment_yml_pip_urls_are_named(tmp_path):
    result = assert_unchanged(
        tmp_path / "environment.yml",
        "dependencies:\n  - pip:\n    - git+https://www.github.com/keras-team/keras-contrib.git#egg=keras_contrib  # CRF\n",
    )
    assert rules(result) == ["KM703"]


# -- no-op matrix: every format, with keras absent, already Keras 3, or TensorFlow only -------

NO_OP_TEMPLATES = {
    "requirements.txt": "{0}\n{1}\n",
    "constraints.txt": "{0}\n{1}\n",
    "setup.py": "from setuptools import setup\nsetup(name='x', install_requires=['{0}', '{1}'])\n",
    "setup.cfg": "[options]\ninstall_requires =\n    {0}\n    {1}\n",
    "pyproject.toml": '[project]\nname = "x"\ndependencies = ["{0}", "{1}"]\n',
    "Pipfile": '[packages]\n{0.name} = "{0.spec}"\n{1.name} = "{1.spec}"\n',
    "environment.yml": "dependencies:\n  - python=3.11\n  - pip:\n    - {0}\n    - {1}\n",
}


class _Requirement(str):
    """A requirement that also offers its name and version for the table formats."""

    @property
    def name(self) -> str:
        return self.split(">")[0].split("=")[0]

    @property
    def spec(self) -> str:
        return self[len(self.name) :] or "*"


@pytest.mark.parametrize("name", sorted(NO_OP_TEMPLATES))
@pytest.mark.parametrize(
    "pair",
    [("numpy>=1.14", "h5py"), ("keras>=3", "numpy"), ("tensorflow>=2.16", "numpy"), ("tensorflow>=2.16", "keras>=3.1")],
    ids=["keras-absent", "keras3", "tensorflow-only", "both-modern"],
)
@pytest.mark.parametrize("target", ["tf.keras", "tf_keras"])
def test_no_op_in_every_format(tmp_path, name, pair, target):
    text = NO_OP_TEMPLATES[name].format(*map(_Requirement, pair))
    result = assert_unchanged(tmp_path / name, text, target=target)
    assert not result.diagnostics, result.diagnostics


def test_a_long_real_pyproject_is_byte_identical_outside_the_entry(tmp_path):
    """kmigrate's own pyproject.toml (tables, arrays of tables, comments, markers) with a legacy
    keras added: only that entry changes."""
    own = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    anchor = "dependencies = [\n"
    assert anchor in own
    legacy = own.replace(anchor, anchor + '    "Keras>=2.0.8,<2.4",  # legacy\n', 1)
    assert_rewrites(tmp_path / "pyproject.toml", legacy, own.replace(anchor, anchor + '    "tensorflow>=2.16",  # legacy\n', 1))


def test_messages_name_entries_as_the_file_spells_them(tmp_path):
    result = run(tmp_path / "environment.yml", "dependencies:\n  - keras=2.2.4=py36_0\n")
    assert result.fixes[0].message.startswith("keras=2.2.4=py36_0 -> tensorflow>=2.16")
    result = run(tmp_path / "pyproject.toml", '[tool.poetry.dependencies]\nKeras = "^2.2.4"\n')
    assert result.fixes[0].message.startswith('Keras = "^2.2.4" -> tensorflow>=2.16')


# -- a second legacy keras entry in one group ------------------------------------------------


def test_km701_second_keras_line_is_dropped_not_doubled(tmp_path):
    result = assert_rewrites(tmp_path / "requirements.txt", "keras==2.2.4\nnumpy\nkeras>=2.0\n",
                             "tensorflow>=2.16\nnumpy\n")
    assert rules(result, fixed=True) == ["KM701", "KM701"]


def test_km701_second_keras_line_tf_keras_target(tmp_path):
    assert_rewrites(tmp_path / "requirements.txt", "keras==2.2.4\nkeras>=2.0\n",
                    "tensorflow>=2.16\ntf-keras>=2.16\n", target="tf_keras")


def test_km701_keras_lines_with_markers_each_keep_their_replacement(tmp_path):
    assert_rewrites(tmp_path / "requirements.txt",
                    'keras==2.2.4; python_version < "3.8"\nkeras>=2.3; python_version >= "3.8"\n',
                    'tensorflow>=2.16; python_version < "3.8"\ntensorflow>=2.16; python_version >= "3.8"\n')


def test_km701_second_keras_entry_in_pyproject_setup_py_setup_cfg(tmp_path):
    assert_rewrites(tmp_path / "pyproject.toml",
                    '[project]\nname = "x"\ndependencies = [\n  "keras==2.2.4",\n  "numpy",\n  "keras>=2.0",\n]\n',
                    '[project]\nname = "x"\ndependencies = [\n  "tensorflow>=2.16",\n  "numpy",\n]\n')
    assert_rewrites(tmp_path / "setup.py",
                    'from setuptools import setup\nsetup(name="x", install_requires=["keras==2.2.4", "keras>=2"])\n',
                    'from setuptools import setup\nsetup(name="x", install_requires=["tensorflow>=2.16"])\n')
    assert_rewrites(tmp_path / "setup.cfg",
                    "[options]\ninstall_requires =\n    keras==2.2.4\n    keras>=2\n",
                    "[options]\ninstall_requires =\n    tensorflow>=2.16\n")


def test_km701_second_keras_entry_in_environment_yml(tmp_path):
    assert_rewrites(tmp_path / "environment.yml",
                    "name: x\ndependencies:\n  - python=3.11\n  - pip:\n    - keras==2.2.4\n    - keras>=2\n",
                    "name: x\ndependencies:\n  - python=3.11\n  - pip:\n    - tensorflow>=2.16\n")
