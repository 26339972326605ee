"""One row of the backend table (``kmigrate.rules.backend_table``) and the kinds of rewrite.

``kind`` says how ``kmigrate.rules.backend`` treats a use:

* ``rename``   call/reference another ``K`` name (``target``), keywords renamed per ``keywords``
* ``tf``       call ``tf.<target>`` with the arguments bound to the legacy signature ``params``
* ``builtin``  call the Python builtin ``target``
* ``remove``   a statement that only calls it is deleted (as a decorator it is dropped)
* ``value``    the call/reference becomes the expression ``target`` (``{tf}`` = TensorFlow)
* ``special``  a dedicated rewrite in the fixer (needs context; falls back to a marker)
* ``flag``     never rewritten: a marker with the replacement in ``message``
"""

from __future__ import annotations

from dataclasses import dataclass, field

RENAME, TF, BUILTIN, REMOVE, VALUE, SPECIAL, FLAG = (
    "rename", "tf", "builtin", "remove", "value", "special", "flag",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    name: str  # the legacy backend name
    kind: str
    target: str = ""
    message: str = ""  # what to do (markers) / what was done (report)
    params: tuple[str, ...] = ()  # legacy positional parameter order (kinds tf/rename)
    keywords: dict[str, str] = field(default_factory=dict)  # legacy keyword -> new keyword
    before: str = ""
    after: str = ""
    note: str = ""  # why the rewrite is safe / what could differ
    tf_keras: bool = True  # the name is missing under --target tf_keras as well

    @property
    def catalog(self) -> str:
        return f"C-K-{self.name}"
