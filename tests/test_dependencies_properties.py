"""Properties over generated files: whatever the layout, the rewritten file parses, says what
the model says it should, keeps every other entry in order, and a second run changes nothing."""

from __future__ import annotations

import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmigrate.dependencies import migrate
from kmigrate.dependencies.requirement import parse
from kmigrate.diagnostics import Status
from kmigrate.settings import Settings

OTHERS = ["numpy>=1.14", "h5py", 'scipy; python_version < "3.8"', "Pillow==5.3.0", "tensorflow>=2.16", "keras>=3"]
LEGACY = ["keras==2.2.4", "Keras>=2.0.8", "keras", 'keras==2.1.6; python_version<"3.7"', "keras_applications==1.0.8"]
TARGETS = ("tf.keras", "tf_keras")


def expected_names(entries: list[str], target: str) -> list[str]:
    """The model: legacy keras becomes the target's packages unless a TensorFlow (or, for the
    tf_keras target, both) is already there, or an earlier keras entry without an environment
    marker already became them; bundled packages go; everything else stays."""
    names = {parse(e).name for e in entries}
    provided = names | ({"tensorflow"} if "tensorflow" in names else set())
    out = []
    for entry in entries:
        requirement = parse(entry)
        if requirement.name == "keras-applications":
            continue
        if requirement.name == "keras" and not entry.startswith("keras>=3"):
            wanted = ["tensorflow"] + (["tf-keras"] if target == "tf_keras" else [])
            out += [name for name in wanted if name not in provided]
            if ";" not in entry:
                provided |= set(wanted)
            continue
        out.append(requirement.name)
    return out


entries_strategy = st.lists(st.sampled_from(OTHERS + LEGACY), min_size=0, max_size=7)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=entries_strategy,
    target=st.sampled_from(TARGETS),
    newline=st.sampled_from(["\n", "\r\n"]),
    comments=st.lists(st.booleans(), min_size=7, max_size=7),
)
def test_requirements_txt(tmp_path, entries, target, newline, comments):
    lines = ["# generated"] + [f"{e}  # note {i}" if comments[i] else e for i, e in enumerate(entries)]
    text = newline.join(lines) + newline
    path = tmp_path / "requirements.txt"
    result = migrate(text.encode(), str(path), Settings(target=target))
    assert result.status is not Status.ERROR, result.error
    output = result.output if result.status is Status.CHANGED else text
    assert newline == "\n" or "\n" not in output.replace("\r\n", "")  # no mixed line endings
    kept = [parse(line.split("  #")[0]) for line in output.splitlines() if line and not line.startswith("#")]
    assert [r.name for r in kept] == expected_names(entries, target)
    for index, entry in enumerate(entries):  # comments of the kept lines are still there
        if comments[index] and parse(entry).name not in ("keras", "keras-applications"):
            assert f"{entry}  # note {index}" in output
    again = migrate(output.encode(), str(path), Settings(target=target))
    assert again.status is Status.UNCHANGED


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=entries_strategy,
    target=st.sampled_from(TARGETS),
    multiline=st.booleans(),
    trailing_comma=st.booleans(),
    quote=st.sampled_from(['"', "'"]),
)
def test_pyproject_arrays(tmp_path, entries, target, multiline, trailing_comma, quote):
    def literal(entry: str) -> str:
        return f"{quote}{entry}{quote}" if quote not in entry else f'"{entry}"' if "'" in entry else f"'{entry}'"

    items = [literal(e) for e in entries]
    if multiline:
        body = "".join(f"    {item},  # {i}\n" for i, item in enumerate(items[:-1]))
        body += f"    {items[-1]}{',' if trailing_comma else ''}\n" if items else ""
        array = f"[\n{body}]"
    else:
        array = "[" + ", ".join(items) + ("," if trailing_comma and items else "") + "]"
    text = f'[project]\nname = "x"\ndependencies = {array}\n\n[tool.other]\nkeep = [1, 2]  # untouched\n'
    path = tmp_path / "pyproject.toml"
    result = migrate(text.encode(), str(path), Settings(target=target))
    assert result.status is not Status.ERROR, result.error
    output = result.output if result.status is Status.CHANGED else text
    data = tomllib.loads(output)
    assert [parse(r).name for r in data["project"]["dependencies"]] == expected_names(entries, target)
    assert output.endswith('[tool.other]\nkeep = [1, 2]  # untouched\n')
    assert migrate(output.encode(), str(path), Settings(target=target)).status is Status.UNCHANGED


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=entries_strategy,
    target=st.sampled_from(TARGETS),
    layout=st.sampled_from(["inline", "own-lines", "hanging"]),
    trailing_comma=st.booleans(),
    quote=st.sampled_from(['"', "'"]),
)
def test_setup_py_lists(tmp_path, entries, target, layout, trailing_comma, quote):
    def literal(entry: str) -> str:
        return f"{quote}{entry}{quote}" if quote not in entry else f'"{entry}"' if "'" in entry else f"'{entry}'"

    items = [literal(e) for e in entries]
    comma = "," if trailing_comma and items else ""
    if layout == "inline":
        listing = "[" + ", ".join(items) + comma + "]"
    elif layout == "own-lines":
        listing = "[\n" + "".join(f"    {item},  # {i}\n" for i, item in enumerate(items[:-1]))
        listing += (f"    {items[-1]}{comma}\n" if items else "") + "]"
    else:  # items under the first one, closing bracket after the last
        listing = "[" + ",\n                  ".join(items) + comma + "]"
    text = f"from setuptools import setup\n\nsetup(\n    name='x',\n    install_requires={listing},\n)\n"
    path = tmp_path / "setup.py"
    result = migrate(text.encode(), str(path), Settings(target=target))
    assert result.status is not Status.ERROR, result.error
    output = result.output if result.status is Status.CHANGED else text
    compile(output, "setup.py", "exec")
    found = eval(output.split("install_requires=", 1)[1].rsplit(",\n)", 1)[0])
    assert [parse(r).name for r in found] == expected_names(entries, target)
    assert migrate(output.encode(), str(path), Settings(target=target)).status is Status.UNCHANGED
