"""The one exception every harness module raises (kept apart so that fixture
discovery, which must import without NumPy, can raise it too)."""


class HarnessError(RuntimeError):
    """The harness itself could not run (as opposed to a fixture failing)."""
