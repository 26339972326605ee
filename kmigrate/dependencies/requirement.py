"""One requirement string: parse it, decide what the migration does with it, rewrite it in place.

Every file format reduces to this: it finds requirement strings (a line of requirements.txt, a
string in ``install_requires``, an entry of a TOML array), asks :func:`advise` what to do with
each, and writes the answer back in its own syntax.  Rewrites touch only the name and version
part of the text (``keras==2.2.4``); extras are dropped, everything after (environment
markers, spacing before them) is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from kmigrate.dependencies.packages import (
    BUNDLED_IN_TENSORFLOW,
    EXTENSIONS,
    KERAS_NAMES,
    MINIMUM_TENSORFLOW,
    RETIRED_TENSORFLOW_PACKAGES,
    TARGET_REQUIREMENTS,
    TARGET_TENSORFLOW,
    TENSORFLOW_PACKAGES,
)

KERAS_REQUIREMENT = "KM701"
BUNDLED_PACKAGE = "KM702"
EXTENSION_PACKAGE = "KM703"
OLD_TENSORFLOW = "KM704"
MISSING_INCLUDE = "KM705"
NOT_REWRITTEN = "KM706"

# name [extras] (specifiers): the part a rewrite replaces.  Markers (`; ...`) and URLs
# (`@ ...`) follow it and are kept.
_HEAD = re.compile(
    r"""(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)
        (?P<extras>\s*\[[^\]]*\])?
        (?P<spec>\s*\(?\s*(?:===|==|~=|!=|<=|>=|<|>)\s*[^;,@\s()]+
            (?:\s*,\s*(?:===|==|~=|!=|<=|>=|<|>)\s*[^;,@\s()]+)*(?:\s*\))?)?""",
    re.VERBOSE,
)
_OPERATOR_SPACING = re.compile(r"(\s*)(?:===|==|~=|!=|<=|>=|<|>)(\s*)")


@dataclass(frozen=True)
class ParsedRequirement:
    """A requirement string as written, with where its name-and-version part ends."""

    text: str
    name: str  # canonical: `Keras_Applications` -> `keras-applications`
    specifier: SpecifierSet
    url: str | None
    start: int  # offset of the name in ``text``
    end: int  # offset just past the version specifiers

    @property
    def head(self) -> str:
        return self.text[self.start : self.end]

    def with_head(self, name: str, specifier: str) -> str:
        """The same requirement text naming another package: markers and spacing kept, and the
        operator spacing of the original (`keras >= 2.0` -> `tensorflow >= 2.16`)."""
        spacing = _OPERATOR_SPACING.search(self.head)
        if spacing is not None and specifier:
            operator = re.match(r"===|==|~=|!=|<=|>=|<|>", specifier)
            if operator is not None:
                specifier = f"{spacing.group(1)}{operator.group(0)}{spacing.group(2)}{specifier[operator.end():]}"
        return self.text[: self.start] + name + specifier + self.text[self.end :]


def parse(text: str) -> ParsedRequirement | None:
    """Parse one PEP 508 requirement; None when it is not one (an option, a path, garbage)."""
    try:
        requirement = Requirement(text.strip())
    except InvalidRequirement:
        return None
    match = _HEAD.search(text)
    if match is None:  # pragma: no cover - packaging accepted it, so a name is there
        return None
    return ParsedRequirement(
        text=text,
        name=canonicalize_name(requirement.name),
        specifier=requirement.specifier,
        url=requirement.url,
        start=match.start(),
        end=match.end("spec") if match.group("spec") else match.end("extras") if match.group("extras") else match.end("name"),
    )


def _release(version: str) -> Version | None:
    try:
        return Version(version.rstrip(".*").rstrip("."))
    except InvalidVersion:
        return None


def lower_bound(specifier: SpecifierSet) -> Version | None:
    """The lowest version a specifier set can admit, as far as its clauses say (None: no bound)."""
    bounds = [
        _release(clause.version)
        for clause in specifier
        if clause.operator in ("==", "===", ">=", ">", "~=")
    ]
    known = [b for b in bounds if b is not None]
    return max(known) if known else None


def is_keras3(specifier: SpecifierSet) -> bool:
    """`keras>=3`, `keras==3.4.1`: the requirement already asks for Keras 3 and is not legacy."""
    bound = lower_bound(specifier)
    return bound is not None and bound.major >= 3


def legacy_keras_version(requirement: ParsedRequirement) -> str | None:
    """The legacy Keras 1.x/2.x version a `keras` requirement pins or starts from (`==2.2.4`,
    `>=2.1.0,<2.3`, `~=2.2`), else None (unpinned, only an upper bound, or Keras 3)."""
    if requirement.name not in KERAS_NAMES or requirement.url is not None:
        return None
    for clause in requirement.specifier:
        pins = clause.operator in ("==", "===", ">=", "~=", ">") and "*" not in clause.version
        if pins and clause.version[:2] in ("1.", "2."):
            return clause.version
    return None


def admits_target_tensorflow(specifier: SpecifierSet) -> bool:
    """Whether a TensorFlow requirement allows some 2.16+ release (what the migrated code needs)."""
    candidates = {Version(f"{MINIMUM_TENSORFLOW}.0"), Version(TARGET_TENSORFLOW), Version("2.99")}
    for clause in specifier:
        version = _release(clause.version)
        if version is not None and version >= Version(MINIMUM_TENSORFLOW):
            candidates.add(version)
    return any(specifier.contains(candidate, prereleases=True) for candidate in candidates)


@dataclass(frozen=True)
class Advice:
    """What to do with one requirement: the rule it falls under, a message for the user, and
    ``replacement``: the requirement strings to write instead (``()``: delete it), or None when
    kmigrate leaves it as written and reports it for a person."""

    rule: str
    message: str
    replacement: tuple[str, ...] | None

    @property
    def fixed(self) -> bool:
        return self.replacement is not None

    def as_written(self, requirement: ParsedRequirement, written: str) -> Advice:
        """The same advice naming the entry as the file spells it (`keras=2.2.4` in conda,
        `Keras = "^2.2.4"` in Poetry) rather than as the PEP 508 text it was read as."""
        return replace(self, message=self.message.replace(requirement.text.strip(), written, 1))


def provided_names(requirements: Iterable[ParsedRequirement]) -> frozenset[str]:
    """Canonical names a group of requirements provides; every TensorFlow distribution counts as
    `tensorflow`, so a file with `tensorflow-cpu` gets no second TensorFlow."""
    names = set()
    for requirement in requirements:
        names.add(requirement.name)
        if requirement.name in TENSORFLOW_PACKAGES:
            names.add("tensorflow")
    return frozenset(names)


def provided_after(requirements: Iterable[ParsedRequirement], target: str) -> frozenset[str]:
    """What a group provides once migrated: its names, plus what its legacy `keras` becomes.
    Used for the groups always installed (``install_requires``, ``[packages]``, an included
    requirements file), so that a keras line in an optional group is dropped, not doubled."""
    requirements = list(requirements)
    names = set(provided_names(requirements))
    for requirement in requirements:
        advice = advise(requirement, target)
        if advice is not None and advice.rule == KERAS_REQUIREMENT and advice.replacement:
            names |= provided_names(p for p in map(parse, advice.replacement) if p is not None)
    return frozenset(names)


def advise(requirement: ParsedRequirement, target: str, provided: frozenset[str] = frozenset()) -> Advice | None:
    """What the migration does with ``requirement`` under ``target``; None: nothing to do.

    ``provided``: names the same group already requires (see :func:`provided_names`), so that a
    legacy `keras` next to `tensorflow` is dropped rather than doubled.
    """
    name, written = requirement.name, requirement.text.strip()
    if name in KERAS_NAMES:
        return _advise_keras(requirement, target, provided)
    if name in BUNDLED_IN_TENSORFLOW:
        return Advice(
            BUNDLED_PACKAGE,
            f"{written}: removed, TensorFlow ships it as {BUNDLED_IN_TENSORFLOW[name]} "
            f"(the migrated imports use that)",
            (),
        )
    if name in EXTENSIONS:
        return Advice(EXTENSION_PACKAGE, f"{written} is built on standalone Keras: {EXTENSIONS[name].advice}", None)
    if name in RETIRED_TENSORFLOW_PACKAGES:
        return Advice(OLD_TENSORFLOW, f"{written}: {RETIRED_TENSORFLOW_PACKAGES[name]}", None)
    if name in TENSORFLOW_PACKAGES and requirement.url is None and not admits_target_tensorflow(requirement.specifier):
        return Advice(
            OLD_TENSORFLOW,
            f"{written} excludes TensorFlow {MINIMUM_TENSORFLOW}+, which the migrated code needs: "
            f"change it to {name}>={MINIMUM_TENSORFLOW} (left as written: a TensorFlow pin may also "
            f"hold TensorFlow 1.x code or a CUDA version in place, check those first)",
            None,
        )
    return None


def advise_in_group(requirement: ParsedRequirement, target: str, provided: set[str]) -> Advice | None:
    """:func:`advise` for the requirements of one group taken in order: what a legacy `keras`
    becomes is added to ``provided``, so that a second `keras` entry (a file edited over the
    years) is dropped instead of becoming a second `tensorflow`. An entry with an environment
    marker provides nothing to the others (each marker gets its own replacement)."""
    advice = advise(requirement, target, frozenset(provided))
    if (
        advice is not None and advice.rule == KERAS_REQUIREMENT and advice.replacement
        and ";" not in requirement.text[requirement.end :]
    ):  # fmt: skip
        provided.update(provided_names(p for p in map(parse, advice.replacement) if p is not None))
    return advice


def _advise_keras(requirement: ParsedRequirement, target: str, provided: frozenset[str]) -> Advice | None:
    written = requirement.text.strip()
    if requirement.url is not None:
        return Advice(
            NOT_REWRITTEN,
            f"{written} installs Keras from a URL: replace it with {_target_text(target)} by hand",
            None,
        )
    if is_keras3(requirement.specifier):
        return None  # already Keras 3: not legacy, left alone
    wanted = [(name, spec) for name, spec in TARGET_REQUIREMENTS[target] if name not in provided]
    replacement = tuple(requirement.with_head(name, spec) for name, spec in wanted)
    if replacement:
        message = f"{written} -> {', '.join(r.strip() for r in replacement)} (standalone Keras is replaced by tf.keras"
        message += ", and the Keras 2 API of tf-keras under TF_USE_LEGACY_KERAS=1)" if target == "tf_keras" else ")"
    else:
        already = " and ".join(name for name, _ in TARGET_REQUIREMENTS[target])
        message = f"{written}: removed, {already} already required (the migrated code uses tf.keras)"
    return Advice(KERAS_REQUIREMENT, message, replacement)


def _target_text(target: str) -> str:
    return " + ".join(f"{name}{spec}" for name, spec in TARGET_REQUIREMENTS[target])


def advice_for_requirement(text: str, target: str = "tf.keras") -> Advice | None:
    """What kmigrate advises for one requirement string, as found in a notebook's
    ``!pip install keras==2.1.2`` or any other place that is not a dependency file.

    ``text`` is one PEP 508 requirement (``"keras==2.1.2"``, ``"Keras_Applications>=1.0"``,
    ``"keras-contrib"``); ``target`` is ``Settings.target`` (``"tf.keras"`` or ``"tf_keras"``).

    Returns None when the requirement needs nothing (another package, ``keras>=3``, text that
    is not a requirement).  Otherwise an :class:`Advice` with

    - ``rule``: the rule id (KM701 legacy keras, KM702 keras-applications/keras-preprocessing,
      KM703 a package built on standalone Keras, KM704 a TensorFlow too old for the migrated
      code, KM706 a keras requirement that cannot be rewritten, e.g. a URL);
    - ``message``: one line for the user;
    - ``replacement``: the requirement strings to install instead (``("tensorflow>=2.16",)``;
      ``("tensorflow>=2.16", "tf-keras>=2.16")`` for the tf_keras target; ``()`` when the
      package should simply be dropped), or None when only a person can decide (KM703/704/706).

    The string is judged on its own: unlike in a dependency file, an already required
    TensorFlow is not known, so a legacy ``keras`` always gets the full target replacement.
    """
    requirement = parse(text)
    if requirement is None:
        return None
    return advise(requirement, target if target in TARGET_REQUIREMENTS else "tf.keras")


__all__ = [
    "Advice",
    "ParsedRequirement",
    "advice_for_requirement",
    "advise",
    "advise_in_group",
    "is_keras3",
    "legacy_keras_version",
    "lower_bound",
    "parse",
    "provided_after",
    "provided_names",
]  # fmt: skip
