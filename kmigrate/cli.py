"""The ``kmigrate`` command.

Exit status: 0 nothing left to do; 1 files were (or would be) changed, or findings that
need a person remain; 2 kmigrate failed on something (bad usage, a file it could not read,
parse or write).  A pre-commit hook relies on 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kmigrate import __version__, source_version
from kmigrate.diagnostics import FileResult, Status
from kmigrate.discovery import discover
from kmigrate.output_tree import OutputDirError, OutputPlan, copy_untouched
from kmigrate.pipeline import migrate_document
from kmigrate.reporting import (
    explain,
    file_report,
    github_annotations,
    json_report,
    markdown_report,
    earlier_marker_note,
    pull_request_summary,
    rule_table,
    rules_markdown,
    sarif_report,
    styled_diff,
    summary_line,
    unified_diff,
)
from kmigrate.reporting.locations import repository_root
from kmigrate.rules import all_rules, select_rules
from kmigrate.runner import Mode, count, default_jobs, project_for, run_all
from kmigrate.settings import DEFAULT_TARGET, TARGETS, ConfigError, Settings, find_project_config

EXIT_CLEAN, EXIT_CHANGES, EXIT_FAILURE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT
# Show a progress bar only when a person is watching and the run is long.
PROGRESS_THRESHOLD = 50
FORMATS = ("text", "json", "sarif", "github", "markdown")


class _DefaultToMigrate(click.Group):
    """``kmigrate PATH...`` means ``kmigrate migrate PATH...``; subcommands win on a clash."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["migrate", *args]
        elif not args:
            args = ["migrate"]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("kmigrate", "[OPTIONS] PATH... | kmigrate COMMAND [ARGS]...")


@click.group(cls=_DefaultToMigrate, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kmigrate")
def main() -> None:
    """Migrate legacy standalone Keras code to tf.keras (TensorFlow 2.21, Keras 3).

    \b
      kmigrate PATH...          rewrite files in place (folders recursively)
      kmigrate --diff PATH...   show what would change, write nothing
      kmigrate --check PATH...  list files that would change, write nothing
      kmigrate --output-dir DIR PATH...  write the migrated copy into DIR
      kmigrate - < in.py        read stdin, write the result to stdout
      kmigrate rules [ID]       list the rules, or explain one
      kmigrate verify           prove the migrations against genuine legacy Keras

    Run `kmigrate migrate --help` for every option.
    """


def _split_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.strip().upper() for value in values for p in value.split(",") if p.strip())


@main.command("migrate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--diff", "diff_mode", is_flag=True, help="Print a unified diff of every change; write nothing.")
@click.option("--check", "check_mode", is_flag=True, help="List the files that would change; write nothing.")
@click.option("--target", type=click.Choice(TARGETS), default=None,
              help=f"What to migrate to (default {DEFAULT_TARGET}: Keras 3 in TF 2.21; "
                   "tf_keras: the Keras 2 API under TF_USE_LEGACY_KERAS=1).")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rules (ids or prefixes, comma-separated).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Not these rules (ids or prefixes, comma-separated).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable).")
@click.option("--from-version", default=None, metavar="X.Y.Z",
              help="The legacy Keras version the code was written for (default: read from the project).")
@click.option("--output-dir", default=None, metavar="DIR",
              help="Write the migrated project into DIR (untouched files copied too); "
                   "leave the sources as they are.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              help="text: findings per file and a summary; json: machine-readable; sarif: SARIF 2.1.0 "
                   "for code scanning; github: workflow annotations; markdown: the summary for a "
                   "pull request.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--show-fixes", is_flag=True, help="Also list every rewrite made, not only findings.")
@click.option("--stdin-filename", default=None, metavar="PATH", help="The name to report for `-`.")
@click.option("--color/--no-color", default=None, help="Colour the diff (default: when stdout is a terminal).")
@click.option("--no-cache", is_flag=True,
              help="Index the whole project afresh instead of reusing the summaries of unchanged files "
                   "(kept in ~/.cache/kmigrate; also KMIGRATE_NO_CACHE=1).")
def migrate(
    paths: tuple[str, ...], diff_mode: bool, check_mode: bool, target: str | None,
    select: tuple[str, ...], ignore: tuple[str, ...], exclude: tuple[str, ...],
    from_version: str | None, output_dir: str | None, output_format: str, jobs: int | None,
    show_fixes: bool, stdin_filename: str | None, color: bool | None, no_cache: bool,
) -> None:  # fmt: skip
    """Rewrite legacy Keras code under PATH... (files or folders; `-` for stdin)."""
    if not paths:
        _usage_error("give at least one PATH (a file or folder), or - to read stdin")
    if diff_mode and check_mode:
        _usage_error("--diff and --check cannot be combined")
    if "-" in paths and len(paths) > 1:
        _usage_error("- (stdin) cannot be combined with other paths")
    plan = None
    if output_dir is not None:
        if diff_mode or check_mode or paths == ("-",):
            what = "--diff" if diff_mode else "--check" if check_mode else "- (stdin)"
            _usage_error(f"--output-dir writes a migrated copy and cannot be combined with {what}")
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            _usage_error(f"no such file or directory: {missing[0]}")
        try:
            plan = OutputPlan.make(paths, output_dir)
        except OutputDirError as exc:
            _usage_error(str(exc))
    mode = Mode.DIFF if diff_mode else Mode.CHECK if check_mode else Mode.COPY if plan else Mode.WRITE
    if color is None and os.environ.get("NO_COLOR"):
        color = False

    settings = _settings(paths, target, select, ignore, exclude, from_version)
    if paths == ("-",):
        if output_format in ("sarif", "github", "markdown") and mode is Mode.WRITE:
            _usage_error(f"--format {output_format} prints a report on stdout, not the migrated code: "
                         "add --check or --diff")
        sys.exit(_run_stdin(settings, mode, output_format, show_fixes, stdin_filename or "-", color,
                            jobs or default_jobs(), not no_cache))

    try:
        files = list(discover(paths, settings.exclude))
    except FileNotFoundError as exc:
        click.echo(f"kmigrate: error: no such file or directory: {exc.args[0]}", err=True)
        sys.exit(EXIT_FAILURE)
    jobs = jobs or default_jobs()
    report_fixes = show_fixes or output_format in ("json", "sarif")
    keep_texts = output_format == "sarif"  # SARIF fixes are computed from the two texts
    try:
        results = _run_files(files, settings, mode, jobs, report_fixes, keep_texts, plan, not no_cache)
        copy_failures = copy_untouched(plan, files) if plan is not None else []
    except KeyboardInterrupt:
        # Writes are atomic: every file is either fully migrated or as it was.
        click.echo("kmigrate: interrupted; each file is either fully migrated or untouched, "
                   "run again to finish", err=True)
        sys.exit(EXIT_INTERRUPTED)
    for path, error in copy_failures:
        results.append(FileResult(path, Status.ERROR, error=error))

    shown_dir = output_dir if plan is not None else None
    if output_format == "text":
        _print_text_report(results, mode, show_fixes, color, shown_dir)
    else:
        for result in results:
            if result.status is Status.ERROR:
                click.echo(f"{result.path}: error: {result.error}", err=True)
    counts = count(results)
    if output_format == "json":
        click.echo(json_report(results, counts, mode.value, settings.target, None))
    elif output_format == "sarif":
        click.echo(sarif_report(results, mode.value, settings.target, repository_root()))
    elif output_format == "github":
        for line in github_annotations(results, mode.value, show_fixes, repository_root(), shown_dir):
            click.echo(line)
    elif output_format == "markdown":
        click.echo(markdown_report(results, mode.value, shown_dir), nl=False)
    click.echo(summary_line(counts, mode.value), err=True)
    sys.exit(_exit_status(counts))


def _print_text_report(
    results: list[FileResult], mode: Mode, show_fixes: bool, color: bool | None, output_dir: str | None
) -> None:
    """Per file: its diff (--diff) or `would rewrite` line (--check), then its findings; at the
    end, when there is anything to say, the summary for a pull request."""
    for result in results:
        if mode is Mode.DIFF and result.status is Status.CHANGED:
            diff = unified_diff(result)
            click.echo(styled_diff(diff) if color is not False else diff, nl=False, color=color)
        checked = mode is Mode.CHECK and result.status is Status.CHANGED
        if checked:
            click.echo(f"would rewrite {result.path}")
        for line in file_report(result, show_fixes, header=not checked):
            click.echo(line)
        if result.status is Status.ERROR:
            click.echo(f"{result.path}: error: {result.error}", err=True)
    if any(r.status in (Status.CHANGED, Status.ERROR) or r.findings for r in results):
        click.echo("")
        click.echo(pull_request_summary(results, mode.value, output_dir))
    elif earlier_marker_note(results):
        click.echo(earlier_marker_note(results))


def _run_files(
    files: list[str], settings: Settings, mode: Mode, jobs: int, report_fixes: bool,
    keep_texts: bool = False, plan: OutputPlan | None = None, cached_index: bool = True,
) -> list[FileResult]:  # fmt: skip
    show_progress = sys.stderr.isatty() and len(files) >= PROGRESS_THRESHOLD
    if not show_progress:
        return list(run_all(files, settings, mode, jobs, report_fixes=report_fixes, keep_texts=keep_texts, plan=plan,
                            cached_index=cached_index))  # fmt: skip
    with click.progressbar(length=len(files), label="kmigrate", file=sys.stderr) as bar:
        return list(run_all(files, settings, mode, jobs, on_result=lambda _: bar.update(1),
                            report_fixes=report_fixes, keep_texts=keep_texts, plan=plan,
                            cached_index=cached_index))  # fmt: skip


def _run_stdin(
    settings: Settings, mode: Mode, output_format: str, show_fixes: bool, name: str, color: bool | None,
    jobs: int = 1, cached_index: bool = True,
) -> int:
    data = sys.stdin.buffer.read()
    # The project around the named file (or the current folder) answers cross-module questions.
    anchor = name if name != "-" else os.path.join(os.getcwd(), "-")
    result = migrate_document(data, name, settings, project=project_for(anchor, jobs, cached_index))
    output = result.output_bytes if result.status is Status.CHANGED else data
    if output_format == "json":
        text = output.decode(errors="replace") if output is not None else None
        click.echo(json_report([result], count([result]), mode.value, settings.target, text))
    elif output_format == "sarif":
        click.echo(sarif_report([result], mode.value, settings.target, repository_root()))
    elif output_format == "github":
        for line in github_annotations([result], mode.value, show_fixes, repository_root()):
            click.echo(line)
    elif output_format == "markdown":
        click.echo(markdown_report([result], mode.value), nl=False)
    elif mode is Mode.DIFF:
        if result.status is Status.CHANGED:
            diff = unified_diff(result)
            click.echo(styled_diff(diff) if color is not False else diff, nl=False, color=color)
    elif mode is Mode.CHECK:
        if result.status is Status.CHANGED:
            click.echo(f"would rewrite {name}", err=True)
    else:
        sys.stdout.buffer.write(output or b"")
        sys.stdout.buffer.flush()
    if output_format == "text":
        for line in file_report(result, show_fixes):
            click.echo(line, err=True)
    if result.status is Status.ERROR:
        click.echo(f"{name}: error: {result.error}", err=True)
    counts = count([result])
    click.echo(summary_line(counts, mode.value), err=True)
    return _exit_status(counts)


def _exit_status(counts: dict[str, int]) -> int:
    if counts["errors"]:
        return EXIT_FAILURE
    if counts["changed"] or counts["findings"]:
        return EXIT_CHANGES
    return EXIT_CLEAN


def _settings(
    paths: tuple[str, ...], target: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
    exclude: tuple[str, ...], from_version: str | None,
) -> Settings:  # fmt: skip
    start = os.getcwd() if paths == ("-",) else (paths[0] if os.path.exists(paths[0]) else os.getcwd())
    try:
        config = find_project_config(Path(start))
    except ConfigError as exc:
        _usage_error(str(exc))
    values = config.values
    chosen_select = _split_ids(select) or _split_ids(tuple(values.get("select", ())))
    chosen_ignore = _split_ids(ignore) + _split_ids(tuple(values.get("ignore", ())))
    unknown = select_rules(chosen_select + chosen_ignore)
    if unknown:
        _usage_error(f"no rule matches {', '.join(unknown)} (see `kmigrate rules`)")
    if not from_version and not values.get("from-version") and paths != ("-",):
        detected = source_version.detect(Path(start))
        if detected is not None:
            from_version = detected[0]
    return Settings(
        target=target or values.get("target", DEFAULT_TARGET),
        select=chosen_select,
        ignore=chosen_ignore,
        exclude=tuple(exclude) + tuple(values.get("exclude", ())),
        from_version=from_version or values.get("from-version"),
    )


def _usage_error(message: str) -> None:
    click.echo(f"kmigrate: error: {message}", err=True)
    sys.exit(EXIT_FAILURE)


@main.command("rules")
@click.argument("rule_id", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text")
def rules_command(rule_id: str | None, output_format: str) -> None:
    """List every rule, or explain one: `kmigrate rules KM101`."""
    if rule_id is not None:
        text = explain(rule_id)
        if text is None:
            _usage_error(f"no rule {rule_id} (see `kmigrate rules`)")
        click.echo(text)
        return
    if output_format == "markdown":
        click.echo(rules_markdown(), nl=False)
    elif output_format == "json":
        import json

        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "summary": r.summary, "safety": r.safety.value,
             "safety_note": r.safety_note, "catalog": list(r.catalog), "tf_keras": r.tf_keras,
             "before": r.before, "after": r.after}
            for r in all_rules()
        ], indent=2))  # fmt: skip
    else:
        click.echo(rule_table())


class _LazyCommand(click.Command):
    """A subcommand whose module is imported only when it is asked for (the harness brings
    TensorFlow; model conversion brings h5py), so `kmigrate PATH` starts fast."""

    def __init__(self, name: str, target: str, what: str, help: str) -> None:
        super().__init__(name, help=help)
        self._target = target  # "module:attribute"
        self._what = what

    def _real(self) -> click.Command:
        import importlib

        module, attribute = self._target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context) -> Any:
        return self._real().invoke(ctx)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:  # fmt: skip
        try:
            real = self._real()
        except ImportError as exc:
            click.echo(f"kmigrate: error: {self._what} is not available ({exc})", err=True)
            sys.exit(EXIT_FAILURE)
        return real.make_context(info_name, args, parent=parent, **extra)


main.add_command(_LazyCommand(
    "verify", "kmigrate.harness.cli:verify", "the verification harness",
    "Run legacy fixtures under genuine Keras and their migrations under TF 2.21, and compare.",
))  # fmt: skip
main.add_command(_LazyCommand(
    "convert-model", "kmigrate.models.cli:convert_model", "model conversion",
    "Convert legacy Keras .h5 model files so that TF 2.21 loads them with plain load_model.",
))  # fmt: skip
