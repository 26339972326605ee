"""The per-file pipeline: read, skip cheaply, parse once, transform, check, write.

Nothing here writes a file that does not parse, and nothing here raises for a bad file:
every failure becomes a ``FileResult`` with status ERROR and the file left as it was.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import warnings
from functools import lru_cache

import libcst as cst

from kmigrate.context import FileContext, RuleSet
from kmigrate.diagnostics import Diagnostic, FileResult, Status
from kmigrate.documents import handler_for
from kmigrate.markers import RECHECK
from kmigrate.names import classify
from kmigrate.project import ProjectIndex
from kmigrate.rules import all_rules, fixers, rule_active
from kmigrate.rules.base import Fixer
from kmigrate.settings import Settings
from kmigrate.transform import MigrationTransformer, with_marker_changes
from kmigrate.walk import rewrite

# Spellings that exist only in Keras 3: a file using them is not legacy code.
_KERAS3_CODE = re.compile(
    rb"\bkeras\.(?:ops|src|config|random|tree|distribution)\.|"
    rb"^\s*from\s+keras\s+import\s+[^\n]*\b(?:ops|config|random|tree)\b",
    re.MULTILINE,
)

# Passes run until one changes nothing (the fixed point), so that a second run of kmigrate
# over its own output changes nothing either.  A rule rewritten by another in one pass is seen
# by the others in the next; real files settle in two or three passes.  Rules that keep
# rewriting each other's output would never settle: past this cap the file is an internal
# error and is left as it was, never written half-migrated.
MAX_PASSES = 8


class Unsettled(RuntimeError):
    """The rules kept rewriting the file: no fixed point within MAX_PASSES."""


@lru_cache(maxsize=32)
def enabled_fixers(settings: Settings) -> tuple[type[Fixer], ...]:
    return tuple(f for f in fixers() if any(rule_active(rule, settings) for rule in f.rules))


def rule_set(settings: Settings) -> RuleSet:
    """What the per-file context needs to know of the registry for one run's settings."""
    return _rule_set(settings, enabled_fixers(settings))


@lru_cache(maxsize=32)
def _rule_set(settings: Settings, enabled: tuple[type[Fixer], ...]) -> RuleSet:
    rules = all_rules()
    return RuleSet(
        active=frozenset(
            rule.id for rule in rules
            if rule_active(rule, settings) and (settings.target != "tf_keras" or rule.tf_keras)
        ),
        known=frozenset(rule.id for rule in rules),
        families={rule.id: fixer.__name__ for fixer in fixers() for rule in fixer.rules},
        handled=frozenset(path for fixer in enabled for path in fixer.handles),
        rewritten=frozenset(path for fixer in fixers() for path in fixer.handles),
    )  # fmt: skip


@lru_cache(maxsize=32)
def _trigger_pattern(settings: Settings) -> re.Pattern[bytes] | None:
    triggers = sorted({t for f in enabled_fixers(settings) for t in f.triggers})
    if not triggers:
        return None
    return re.compile(b"|".join(re.escape(t) for t in triggers))


def could_involve_keras(data: bytes, settings: Settings) -> bool:
    pattern = _trigger_pattern(settings)
    return pattern is not None and pattern.search(data) is not None


def migrate_bytes(
    data: bytes, path: str, settings: Settings, report_fixes: bool = True, project: ProjectIndex | None = None,
) -> FileResult:
    """Migrate one file's bytes; the result carries the new text when it changed.

    ``report_fixes=False`` leaves rewrites out of the diagnostics (findings are always there),
    which spares locating them in the source when nobody will read them.
    """
    result = _migrate_bytes(data, path, settings, report_fixes, project)
    result.earlier_markers = len(_EARLIER_MARKER.findall(data))
    return result


# A marker as kmigrate writes it (markers.MARKER_PREFIX + a rule id), at a comment's start.
_EARLIER_MARKER = re.compile(rb"#\s*kmigrate:\s*KM\d{3}\b")


def _migrate_bytes(
    data: bytes, path: str, settings: Settings, report_fixes: bool, project: ProjectIndex | None,
) -> FileResult:  # fmt: skip
    if not could_involve_keras(data, settings) and not (project is not None and project.involves_keras(path, data)):
        return FileResult(path, Status.SKIPPED)
    if _KERAS3_CODE.search(data):
        # `import keras` means Keras 3 here, not the legacy package of the same name.
        return FileResult(path, Status.SKIPPED, note="already Keras 3 code (keras.ops / keras.src / keras.config)")
    try:
        module = cst.parse_module(data)
        original = data.decode(module.encoding)  # what module.code is, without generating it
    except cst.ParserSyntaxError as exc:
        return FileResult(path, Status.ERROR, error=_syntax_message(exc, data))
    except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
        return FileResult(path, Status.ERROR, error=f"cannot decode: {exc}")
    try:
        output, diagnostics = _transform(module, original, settings, report_fixes, path, project)
    except Exception as exc:  # a bug in a fixer must not stop the run or touch the file
        return FileResult(
            path, Status.ERROR,
            error=f"internal error while migrating ({type(exc).__name__}: {exc}); file left unchanged",
        )  # fmt: skip
    if RECHECK.strip() in output and RECHECK.strip() not in original:
        return FileResult(path, Status.ERROR, error="internal error: a marker was left unsettled; file left unchanged")
    if output == original:
        return FileResult(path, Status.UNCHANGED, diagnostics=diagnostics)
    problem = None
    try:
        output_bytes = output.encode(module.encoding)  # the file's own encoding and BOM
    except UnicodeEncodeError as exc:
        problem = f"cannot encode as {module.encoding}: {exc}"
    else:
        problem = _does_not_parse(output_bytes)
    if problem:
        return FileResult(
            path, Status.ERROR, diagnostics=diagnostics,
            error=f"internal error: the migrated code does not parse ({problem}); file left unchanged",
        )  # fmt: skip
    return FileResult(
        path, Status.CHANGED, diagnostics=diagnostics, original=original, output=output,
        output_bytes=output_bytes,
    )  # fmt: skip


def _transform(
    module: cst.Module, source: str, settings: Settings, report_fixes: bool = True,
    path: str | None = None, project: ProjectIndex | None = None,
) -> tuple[str, list[Diagnostic]]:  # fmt: skip
    """The migrated code of ``module`` (whose code is ``source``) and what the rules found.

    Code is generated once per pass that changed something: a pass that rebuilt nothing
    returns the very module it was given (kmigrate.walk), whose code is already known."""
    fixer_types = list(enabled_fixers(settings))
    rules = _rule_set(settings, tuple(fixer_types))
    diagnostics: list[Diagnostic] = []
    messages: dict[tuple[str, str], str] = {}  # (rule, marker text) -> the finding's message
    bindings = None
    for pass_number in range(MAX_PASSES):
        previous = bindings
        ctx, transformer, bindings = _start_pass(module, source, settings, path, project, rules, fixer_types, previous)
        # A confirming pass, or a file that imports no standalone Keras (already migrated, or
        # tf.keras code a pre-commit hook sees again), most likely changes nothing: prove that
        # with a read-only traversal before paying for a rebuilding one.
        dry_run_first = bool(pass_number) or not _imports_legacy_keras(bindings)
        marker_changes = transformer.marker_changes(module) if dry_run_first else None
        if marker_changes is not None:
            # No fixer changes code: the file has settled, up to the markers this pass sets.
            updated = with_marker_changes(module, marker_changes) if marker_changes else module
        else:
            if dry_run_first:  # the dry run saw part of the file: start the pass afresh
                ctx, transformer, _ = _start_pass(module, source, settings, path, project, rules, fixer_types, previous)
            # builds only what changes (kmigrate.walk); a module stays a module
            updated = cst.ensure_type(rewrite(module, transformer, code_only=True), cst.Module)
        reported = {(d.rule, d.message) for d in diagnostics if not d.fixed}
        # A later pass sees the same unfixable code again: report each finding once.
        diagnostics.extend(
            d for d in ctx.diagnostics(report_fixes, known=reported) if d.fixed or (d.rule, d.message) not in reported
        )
        messages.update(ctx.markers.messages)
        for rule, text in ctx.markers.withdrawn:  # markers another rule's rewrite made stale
            stale = next((d for d in diagnostics if not d.fixed and d.rule == rule
                          and d.message == messages.get((rule, text))), None)  # fmt: skip
            if stale is not None:
                diagnostics.remove(stale)
        if updated is module:
            return source, diagnostics
        code = updated.code
        if not ctx.edits or code == source or marker_changes is not None:
            return code, diagnostics
        module, source = updated, code
    raise Unsettled(f"the rules did not settle after {MAX_PASSES} passes")


def _start_pass(
    module: cst.Module, source: str, settings: Settings, path: str | None, project: ProjectIndex | None,
    rules: RuleSet, fixer_types: list[type[Fixer]], previous: dict[str, object] | None,
) -> tuple[FileContext, MigrationTransformer, dict[str, object]]:  # fmt: skip
    """A pass's context (with what its top-level names mean) and transformer, scan done."""
    ctx = FileContext(module, source, settings, path, project, rules)
    bindings = _binding_meanings(ctx)
    ctx.markers.trust_rechecks = previous is not None and _same_meanings(previous, bindings)
    transformer = MigrationTransformer(ctx, fixer_types)
    transformer.scan(module)
    return ctx, transformer, bindings


def _imports_legacy_keras(bindings: dict[str, object]) -> bool:
    stars = bindings.get("*")
    star_modules = stars if isinstance(stars, tuple) else ()  # as _binding_meanings records them
    return any(meaning is True for meaning in bindings.values()) or any(
        (name := classify(star)) is not None and name.legacy for star in star_modules
    )


def _binding_meanings(ctx: FileContext) -> dict[str, object]:
    """What each top-level name of the file stands for, as far as rules can tell: legacy
    Keras, tf.keras, or another module."""
    meanings: dict[str, object] = {"*": tuple(ctx.resolver.star_modules)}
    for local, bindings in ctx.resolver.bindings.items():
        qualified = bindings[0].qualified
        name = classify(qualified)
        meanings[local] = qualified if name is None else name.legacy
    return meanings


def _same_meanings(before: dict[str, object], after: dict[str, object]) -> bool:
    """No name changed meaning between two passes (names added or dropped do not count)."""
    return all(after[local] == meaning for local, meaning in before.items() if local in after)


def _does_not_parse(data: bytes) -> str | None:
    # CPython's own compiler is the judge (syntax and compile-time errors such as a `return`
    # outside a function), and a fast one: re-parsing with LibCST as well cost a tenth of a run.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the user's own SyntaxWarnings are not ours to print
            compile(data, "<migrated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


_PYTHON2_HINTS = (
    (re.compile(rb"^\s*print\s+[^\s(=]", re.M), "a Python 2 print statement"),
    (re.compile(rb"^\s*exec\s+['\"]", re.M), "a Python 2 exec statement"),
    (re.compile(rb"^\s*raise\s+\w+\s*,", re.M), "a Python 2 raise statement"),
    (re.compile(rb"<>"), "the Python 2 operator <>"),
    # Tuple parameters (removed by PEP 3113): `lambda (x, y): ...`, `def f(a, (b, c)):`.
    (re.compile(rb"\blambda\s*\("), "a tuple parameter in a lambda"),
    (re.compile(rb"^\s*def\s+\w+\s*\((?:[^()=]*,)?\s*\(", re.M), "a tuple parameter in a def"),
)


def _syntax_message(exc: cst.ParserSyntaxError, data: bytes) -> str:
    """Where and why the file does not parse. CPython's own message names the cause (`'(' was
    never closed` where it opened, "Perhaps you forgot a comma?"), where LibCST's parser names
    the token it stopped at, lines later; LibCST's is kept for code CPython accepts."""
    message = f"cannot parse (line {exc.raw_line}, column {exc.raw_column + 1}): {exc.message}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, "<source>", "exec", dont_inherit=True)
    except SyntaxError as error:
        if error.lineno is not None:
            column = f", column {error.offset}" if error.offset else ""
            message = f"cannot parse (line {error.lineno}{column}): {error.msg}"
    except ValueError:  # null bytes: LibCST's message stands
        pass
    for pattern, what in _PYTHON2_HINTS:
        if pattern.search(data):
            end = " " if message.endswith((".", "?", "!")) else ". "
            return (
                f"{message}{end}It looks like Python 2 ({what}): convert it to Python 3 first "
                "(e.g. with `python -m fissix`), then run kmigrate (KM914)"
            )
    return message


def migrate_document(
    data: bytes, path: str, settings: Settings, report_fixes: bool = True, project: ProjectIndex | None = None,
) -> FileResult:
    """Migrate one document's bytes, whatever its kind (a named file of unknown kind is Python)."""
    handler = handler_for(path)
    if handler is not None:
        return handler.migrate(data, path, settings, report_fixes, project)
    return migrate_bytes(data, path, settings, report_fixes, project)


# -- files on disk --------------------------------------------------------------------------


def migrate_path(
    path: str, settings: Settings, write: bool, report_fixes: bool = True, project: ProjectIndex | None = None,
) -> FileResult:
    """Migrate one file on disk; with ``write``, replace it atomically when it changed."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return FileResult(path, Status.ERROR, error=f"cannot read: {exc.strerror or exc}")
    result = migrate_document(data, path, settings, report_fixes, project)
    if write and result.status is Status.CHANGED:
        try:
            write_atomically(path, result.output_bytes or b"", expected=data)
            result.written = True
        except ChangedDuringRun:
            result.status = Status.ERROR
            result.error = "changed during the run, not migrated (run kmigrate again on the new content)"
        except (OSError, UnicodeEncodeError) as exc:
            result.status = Status.ERROR
            result.error = f"cannot write: {getattr(exc, 'strerror', None) or exc}; file left unchanged"
    return result


class ChangedDuringRun(RuntimeError):
    """The file on disk is no longer what was read: someone edited it while kmigrate worked."""


def write_atomically(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Write beside the file, then rename over it: readers see the old or the new file.

    With ``expected`` (the bytes the migration was computed from), the file is replaced only if
    it still holds exactly those bytes; otherwise ChangedDuringRun, and the file keeps the edit.
    The comparison runs after the new content is on disk, just before the rename, so the window
    for an edit to be lost is the time of one read, not the time of a migration.
    """
    target = os.path.realpath(path)  # write through symlinks, keep the link
    folder = os.path.dirname(target) or "."
    mode = stat.S_IMODE(os.stat(target).st_mode)
    fd, temporary = tempfile.mkstemp(prefix=".kmigrate-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if expected is not None and _current_bytes(target) != expected:
            raise ChangedDuringRun(path)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _current_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None  # deleted meanwhile: not what was read either
