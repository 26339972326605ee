"""Package installs in notebook cells (``!pip install keras==2.1.2``, ``%pip install keras``,
``!conda install keras``, ``pip install`` in a ``%%bash`` cell): advice for a person.

kmigrate does not edit shell commands; each legacy Keras requirement on such a line becomes a
finding (KM720) saying what to install instead.  The advice is the dependency files' own
(``kmigrate.dependencies.advice_for_requirement``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from kmigrate.dependencies import advice_for_requirement

_INSTALL = re.compile(
    r"(?:^|[\s!%;&|('\"])(?:(?:python3?|py)\s+-m\s+)?(?P<tool>pip3?|conda|mamba)\s+install\s+(?P<args>.*)"
)
# Shell syntax that ends the install command's arguments.
_END_OF_ARGS = re.compile(r"\s(?:&&|\|\||[;|>#])|[;|]")
# Options whose value is the next argument, not a requirement.
_OPTIONS_WITH_VALUE = frozenset(
    {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
     "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
     "--channel", "-n", "--name", "-p", "--python-version", "--platform", "--trusted-host"}
)  # fmt: skip
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def requirements_installed(line: str) -> Iterator[str]:
    """The requirement arguments of an install command on ``line`` (none if it is not one)."""
    match = _INSTALL.search(line)
    if match is None:
        return
    args = match.group("args").rstrip("\\").strip()
    if match.group("args").rstrip().endswith("')") or match.group("args").rstrip().endswith('")'):
        args = args[:-2]  # get_ipython().system('pip install keras')
    end = _END_OF_ARGS.search(" " + args)
    if end is not None:
        args = args[: max(0, end.start() - 1)]
    try:
        tokens = shlex.split(args)
    except ValueError:
        tokens = args.split()
    skip_next = False
    for token in tokens:
        if skip_next:
            skip_next = False
            continue
        if token.startswith("-"):
            skip_next = token in _OPTIONS_WITH_VALUE
            continue
        if "{" in token or "$" in token or not _NAME.match(token):
            continue  # IPython variable expansion, paths, URLs: not a requirement we can judge
        if match.group("tool") != "pip":
            token = re.sub(r"(?<=[\w])=(?=\d)", "==", token)  # conda's keras=2.1.2
        yield token


def _advice(requirement: str, target: str) -> str | None:
    """The dependency files' advice for one requirement, worded for an install line."""
    found = advice_for_requirement(requirement, target)
    if found is None:
        return None
    if found.replacement:
        wanted = " and ".join(found.replacement)
        return f"pin {wanted} instead of {requirement} (standalone Keras is replaced by tf.keras)"
    if found.replacement == ():  # a package TensorFlow ships now: "removed, TensorFlow ships it as ..."
        return f"drop {requirement}: {found.message.split(': removed, ', 1)[-1]}"
    return found.message


def install_advice(line: str, target: str) -> list[str]:
    """One message per requirement on ``line`` that needs a person."""
    messages = []
    for requirement in requirements_installed(line):
        message = _advice(requirement, target)
        if message:
            messages.append(f"{message}; edit this install line (kmigrate does not edit shell commands)")
    return messages
