"""Run settings: command-line options merged over ``[tool.kmigrate]`` in pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TARGETS = ("tf.keras", "tf_keras")
DEFAULT_TARGET = "tf.keras"
# When neither --from-version nor the project's files say which legacy Keras the code was
# written for, version-dependent rules assume the last release before 2.3 changed defaults
# (recurrent activations, metric names), and say so in their messages.
ASSUMED_LEGACY_VERSION = "2.2.4"


@dataclass(frozen=True)
class Settings:
    target: str = DEFAULT_TARGET
    select: tuple[str, ...] = ()  # rule ids or prefixes; empty means all
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # extra glob patterns skipped by discovery
    from_version: str | None = None  # legacy Keras version the code was written for

    @property
    def legacy_version(self) -> tuple[tuple[int, ...], bool]:
        """The legacy Keras version as numbers, and whether it was assumed rather than known."""
        text = self.from_version or ASSUMED_LEGACY_VERSION
        numbers = tuple(int(part) for part in _leading_numbers(text))
        return numbers, self.from_version is None

    def rule_enabled(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(p) for p in self.select):
            return False
        return not any(rule_id.startswith(p) for p in self.ignore)


@dataclass
class ProjectConfig:
    """``[tool.kmigrate]`` of the nearest pyproject.toml, with where it was found."""

    path: Path | None = None
    values: dict = field(default_factory=dict)


CONFIG_KEYS = {"target", "select", "ignore", "exclude", "from-version"}


class ConfigError(ValueError):
    pass


def find_project_config(start: Path) -> ProjectConfig:
    """Read ``[tool.kmigrate]`` from the first pyproject.toml at or above ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents) if start.is_dir() else start.parents:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{candidate}: cannot read [tool.kmigrate]: {exc}") from exc
            values = data.get("tool", {}).get("kmigrate", {})
            unknown = set(values) - CONFIG_KEYS
            if unknown:
                raise ConfigError(
                    f"{candidate}: unknown [tool.kmigrate] keys: {', '.join(sorted(unknown))}"
                )
            if "target" in values and values["target"] not in TARGETS:
                raise ConfigError(
                    f"{candidate}: target must be one of {', '.join(TARGETS)}, not {values['target']!r}"
                )
            return ProjectConfig(candidate, values)
    return ProjectConfig()


def _leading_numbers(version: str) -> list[str]:
    """``"2.3.1rc1"`` -> ``["2", "3", "1"]``: the numeric release, ignoring suffixes."""
    match = re.match(r"\s*(\d+(?:\.\d+)*)", version)
    return match.group(1).split(".") if match else ["2", "2", "4"]
