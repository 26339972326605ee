"""pip requirements and constraints files: ``requirements*.txt``, ``requirements/*.txt``,
``constraints*.txt`` and pip-tools ``*.in`` inputs.

One requirement per logical line (``\\`` continues a line); ``#`` starts a comment at the start
of a line or after whitespace; lines starting with ``-`` are options (``-r``/``-c`` include
another file, relative to this one; ``-e`` an editable install).  Edits replace only the
requirement part of a line, so comments, markers and per-requirement options stay.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kmigrate.dependencies.document import Changes, Edit
from kmigrate.dependencies.requirement import (
    MISSING_INCLUDE,
    NOT_REWRITTEN,
    Advice,
    ParsedRequirement,
    advise,
    advise_in_group,
    parse,
    provided_after,
    provided_names,
)

_COMMENT = re.compile(r"(^|\s)#.*$")
_INCLUDE = re.compile(r"^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(?P<file>\S+)")
_EGG = re.compile(r"[#&]egg=(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
# A requirement's own options start at the first ` -` / ` --` (`--hash=...`, `--install-option`).
_OPTIONS = re.compile(r"\s+--?[A-Za-z]")
# Most includes nest a level or two; a loop of includes must still end.
MAX_INCLUDE_DEPTH = 10


@dataclass(frozen=True)
class Line:
    """One logical line: where it starts, its text with continuations joined (same length up to
    the first continuation, which is all an edit needs), and where the requirement part ends."""

    start: int  # offset of the first character in the file
    end: int  # offset after the last physical line's ending
    text: str  # first physical line, without its ending
    continued: bool  # the line goes on with `\`

    @property
    def content(self) -> str:
        """The line without its comment."""
        return _COMMENT.sub("", self.text).rstrip()


def logical_lines(text: str) -> Iterator[Line]:
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end + 1
        first = text[position:end].rstrip("\r\n")
        stop, body = end, first
        while _COMMENT.sub("", body).rstrip().endswith("\\") and stop < len(text):
            following = text.find("\n", stop)
            following = len(text) if following < 0 else following + 1
            body = text[stop:following].rstrip("\r\n")
            stop = following
        yield Line(position, stop, first, stop != end)
        position = stop


def requirement_part(content: str) -> str:
    """The requirement before its per-requirement options (`keras==2.2.4 --hash=...`)."""
    match = _OPTIONS.search(content)
    return (content[: match.start()] if match else content).rstrip().rstrip("\\").rstrip()


def includes(text: str) -> Iterator[tuple[Line, str, bool]]:
    """(line, included file name, whether it adds requirements: -r yes, -c no)."""
    for line in logical_lines(text):
        match = _INCLUDE.match(line.content.strip())
        if match:
            yield line, match.group("file"), line.content.strip().startswith(("-r", "--requirement"))


def requirements(text: str) -> Iterator[tuple[Line, ParsedRequirement]]:
    for line in logical_lines(text):
        content = line.content.strip()
        if not content or content.startswith("-"):
            continue
        parsed = parse(requirement_part(line.content))
        if parsed is not None:
            yield line, parsed


def read_with_includes(path: str, seen: set[str] | None = None, depth: int = 0) -> list[ParsedRequirement]:
    """Every requirement of ``path`` and of the files it includes with ``-r`` (recursively); a
    missing or unreadable include contributes nothing."""
    seen = set() if seen is None else seen
    real = os.path.realpath(path)
    if real in seen or depth > MAX_INCLUDE_DEPTH:
        return []
    seen.add(real)
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return []
    found = [parsed for _, parsed in requirements(text)]
    for _, name, adds in includes(text):
        if adds:
            found += read_with_includes(os.path.join(os.path.dirname(path), name), seen, depth + 1)
    return found


def migrate(changes: Changes, path: str, handles: Callable[[str], bool]) -> None:
    text, target = changes.text, changes.settings.target
    folder = os.path.dirname(path)
    provided = set(provided_names(parsed for _, parsed in requirements(text)))
    for line, name, adds in includes(text):
        included = os.path.join(folder, name)
        if "://" in name:
            continue  # pip can include a URL; nothing to read here
        if not os.path.isfile(included):
            changes.report(
                line.start + line.text.find(name), MISSING_INCLUDE,
                f"{name} (included here) not found next to this file: it is not checked for Keras "
                f"requirements",
            )  # fmt: skip
            continue
        found = read_with_includes(included, {os.path.realpath(path)})
        if adds:  # what the included file provides once kmigrate migrated it too
            provided |= provided_after(found, target) if handles(included) else provided_names(found)
        if not handles(included):
            for parsed in found:
                advice = advise(parsed, target)
                if advice is not None and advice.fixed:
                    changes.report(
                        line.start + line.text.find(name), NOT_REWRITTEN,
                        f"{name} (included here) requires {parsed.text.strip()}; kmigrate rewrites only "
                        f"files named requirements*.txt, requirements/*.txt or constraints*.txt: "
                        f"{advice.message}",
                    )  # fmt: skip
    for line in logical_lines(text):
        _migrate_line(changes, line, provided)  # adds what a `keras` line became (advise_in_group)


def _migrate_line(changes: Changes, line: Line, provided: set[str]) -> None:
    content = line.content.strip()
    if not content:
        return
    if content.startswith("-") and not content.startswith(("-e", "--editable")):
        return
    if content.startswith(("-e", "--editable")) or "://" in content.split(";")[0] and " @ " not in content:
        _report_url(changes, line, content)
        return
    part = requirement_part(line.content)
    parsed = parse(part)
    if parsed is None:
        return
    advice = advise_in_group(parsed, changes.settings.target, provided)
    if advice is None:
        return
    offset = line.start + line.text.find(part.strip())
    if advice.fixed and (line.continued or _OPTIONS.search(line.content)):
        # `--hash` pins (hash-checking mode: every line needs one) or options that belong to the
        # old package: a new requirement would break the file, so a person regenerates it.
        advice = Advice(
            NOT_REWRITTEN,
            f"{advice.message}; not rewritten because the line carries pip options (--hash ...): "
            f"regenerate the file (pip-compile) from the new requirements",
            None,
        )
    changes.apply(advice, offset, _edits(changes, line, parsed, advice, offset))


def _edits(changes: Changes, line: Line, parsed: ParsedRequirement, advice: Advice, offset: int) -> list[Edit]:
    if advice.replacement is None:
        return []
    if not advice.replacement:
        return [Edit(line.start, line.end, "")]
    first, *others = advice.replacement
    edits = [Edit(offset, offset + len(parsed.text.strip()), first.strip())]
    if others:
        # Each extra requirement on a line of its own after this one (after its comment),
        # indented the same.
        indent = line.text[: offset - line.start]
        line_end = line.start + len(line.text)
        edits.append(Edit(line_end, line_end, "".join(f"{changes.newline}{indent}{o.strip()}" for o in others)))
    return edits


def _report_url(changes: Changes, line: Line, content: str) -> None:
    """`-e git+https://github.com/keras-team/keras-contrib.git#egg=keras_contrib`: the name is
    the egg fragment (or the repository name)."""
    advice = url_advice(content, changes.settings.target)
    if advice is not None:
        changes.apply(advice, line.start + line.text.find(content), [])


def url_advice(content: str, target: str) -> Advice | None:
    """The finding for a package installed from a URL or checkout, named by its ``#egg=``
    fragment or its repository: never rewritten, since the URL says which code it is."""
    match = _EGG.search(content)
    if match:
        name = match.group("name")
    else:
        tail = content.split("#")[0].rstrip("/").rsplit("/", 1)[-1]
        name = tail.split("@")[0].removesuffix(".git")
    parsed = parse(name)
    advice = advise(parsed, target) if parsed is not None else None
    if advice is None:
        return None
    if advice.fixed and parsed is not None:  # advice is only given on a parsed name
        return Advice(NOT_REWRITTEN, f"{content}: installs {parsed.name} from a URL; {advice.message}", None)
    return Advice(advice.rule, f"{content}: {advice.message}", None)
