"""conda ``environment.yml``: the ``dependencies`` list (conda specs such as ``keras=2.2.4``)
and its ``pip:`` section (pip requirement strings).

The file is loaded with PyYAML to make sure it is valid; edits are made on its lines, so the
layout, comments and quotes stay.  Both lists install into the same environment: a TensorFlow
in either counts as already required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from kmigrate.dependencies.document import Changes, Edit, FormatError
from kmigrate.dependencies.requirement import (
    NOT_REWRITTEN,
    Advice,
    ParsedRequirement,
    advise,
    advise_in_group,
    parse,
    provided_names,
)
from kmigrate.dependencies.requirements_txt import url_advice

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:")
# A comment starts at a `#` after whitespace (`#egg=` in a URL is part of the value).
_ITEM = re.compile(r"^(?P<indent>\s*)-(?P<gap>\s+)(?P<value>.*?)(?:\s+#.*)?\s*$")
# conda MatchSpec: [channel::]name[ version[ build]] or name=version[=build] or name>=version ...
_CONDA_SPEC = re.compile(
    r"^(?:[\w.-]+::)?(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]*)\s*(?P<version>(?:[=<>!~]=?|\s)\s*[^\s=]+)?"
)


@dataclass(frozen=True)
class Entry:
    offset: int  # the value's start in the file (inside quotes)
    length: int
    requirement: ParsedRequirement  # for conda specs: the equivalent pip requirement
    line_start: int
    line_end: int
    indent: str
    gap: str
    conda: bool  # a conda spec, not a pip requirement


def _as_requirement(spec: str) -> ParsedRequirement | None:
    """``keras=2.2.4`` / ``keras 2.2.4`` / ``keras>=2.0`` as the pip requirement it means."""
    match = _CONDA_SPEC.match(spec)
    if match is None or spec.strip() in ("pip",):
        return None
    version = (match.group("version") or "").strip()
    if version and version[0] not in "=<>!~":
        version = "==" + version
    elif version.startswith("=") and not version.startswith("=="):
        version = "=" + version  # conda `=2.2` is pip `==2.2` (a prefix; close enough for advice)
    return parse(f"{match.group('name')}{version}")


def entries(text: str, urls: list[tuple[int, str]] | None = None) -> list[Entry]:
    """The dependencies written one per line; pip items installed from a URL go to ``urls``
    (offset, text) when it is given."""
    found: list[Entry] = []
    in_dependencies, pip_indent = False, None
    position = 0
    for raw in text.splitlines(keepends=True):
        start, position = position, position + len(raw)
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        top = _TOP_KEY.match(line)
        if top:
            in_dependencies, pip_indent = top.group("key") == "dependencies", None
            continue
        item = _ITEM.match(line)
        if not in_dependencies or item is None:
            continue
        indent = len(item.group("indent"))
        if pip_indent is not None and indent <= pip_indent:
            pip_indent = None
        value = item.group("value")
        if pip_indent is None and re.fullmatch(r"pip\s*:", value):
            pip_indent = indent
            continue
        unquoted = value.strip("'\"") if value[:1] in "'\"" and value[-1:] == value[:1] else value
        offset = start + item.start("value") + (1 if unquoted is not value else 0)
        conda = pip_indent is None
        parsed = _as_requirement(unquoted) if conda else parse(unquoted)
        if parsed is None and not conda and "://" in unquoted and urls is not None:
            urls.append((offset, unquoted))
        if parsed is not None:
            found.append(Entry(offset, len(unquoted), parsed, start, position, item.group("indent"), item.group("gap"), conda))
    return found


def _loaded_requirements(data: object) -> list[str]:
    if not isinstance(data, dict):
        raise FormatError("not a conda environment file (no top-level mapping)")
    dependencies = data.get("dependencies") or []
    if not isinstance(dependencies, list):
        raise FormatError("`dependencies` is not a list")
    found = []
    for item in dependencies:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict) and isinstance(item.get("pip"), list):
            found += [str(pip) for pip in item["pip"]]
    return found


def migrate(changes: Changes) -> None:
    try:
        loaded = yaml.safe_load(changes.text)
    except yaml.YAMLError as exc:
        raise FormatError(str(exc).splitlines()[0]) from exc
    if loaded is None:
        return
    listed = _loaded_requirements(loaded)
    urls: list[tuple[int, str]] = []
    found = entries(changes.text, urls)
    for offset, url in urls:
        advice = url_advice(url, changes.settings.target)
        if advice is not None:
            changes.apply(advice, offset, [])
    provided = set(provided_names(e.requirement for e in found))
    target = changes.settings.target
    for entry in found:
        advice = advise_in_group(entry.requirement, target, provided)
        if advice is not None and entry.conda:
            advice = advice.as_written(entry.requirement, changes.text[entry.offset : entry.offset + entry.length])
        if advice is not None:
            changes.apply(advice, entry.offset, _edits(changes, entry, advice.replacement))
    # Dependencies written in a form the line scan does not read (flow lists `[keras, numpy]`).
    seen = {e.requirement.name for e in found}
    for spec in listed:
        parsed = _as_requirement(spec) or parse(spec)
        if parsed is None or parsed.name in seen:
            continue
        advice = advise(parsed, target, frozenset(provided))
        if advice is not None and advice.fixed:
            changes.apply(Advice(NOT_REWRITTEN, f"{advice.message}; not rewritten: edit it by hand", None), 0, [])


def _edits(changes: Changes, entry: Entry, replacement: tuple[str, ...] | None) -> list[Edit]:
    if replacement is None:
        return []
    if not replacement:
        return [Edit(entry.line_start, entry.line_end, "")]
    first, *others = (r.strip() for r in replacement)
    edits = [Edit(entry.offset, entry.offset + entry.length, first)]
    if others:
        line = changes.text[entry.line_start : entry.line_end].rstrip("\r\n")
        line_end = entry.line_start + len(line)
        added = "".join(f"{changes.newline}{entry.indent}-{entry.gap}{other}" for other in others)
        edits.append(Edit(line_end, line_end, added))
    return edits


def requirements(text: str) -> list[ParsedRequirement]:
    """Every conda and pip dependency of the environment, for reading only."""
    return [entry.requirement for entry in entries(text)]
