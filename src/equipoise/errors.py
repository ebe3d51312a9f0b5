"""The errors equipoise raises about what it was given, under one root.

::

    EquipoiseError
    ├── BadInputError      a file, or one line of it, that cannot be read
    │                      (sources.SourceError, model and gold files)
    ├── UnknownCodeError   a code no table knows (a CAMEO code, a focal or pole code)
    ├── InvalidQueryError  a question the analysis refuses: an unknown option, a window
    │                      out of order, a request over the size bounds
    └── store.StoreError   a store file that cannot be used (missing, locked, foreign)

The command line prints any of these as one line and exits 2; the dashboard answers
bad input, unknown codes and invalid queries with 422 and a store it cannot open with
503. Any other exception is a fault of equipoise itself: exit 3, or 500 with an error id
that the server's log repeats with the traceback.

``InvalidQueryError`` is a ``ValueError`` and ``UnknownCodeError`` a ``LookupError``, so
code written against the built-in classes keeps working.
"""

from __future__ import annotations

__all__ = ["BadInputError", "EquipoiseError", "InvalidQueryError", "UnknownCodeError"]


class EquipoiseError(Exception):
    """Root of the errors about the input, the question or the store, as opposed to a
    fault in equipoise."""


class BadInputError(EquipoiseError):
    """Input that cannot be read; ``path`` and ``line`` say where, when known.

    ``str()`` reads ``path:line: message`` (or ``path: message`` for a whole file, or
    the message alone when there is no file), the form editors can click through.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self):
        # The signature differs from Exception's, so pickling needs the real arguments.
        return (type(self), (self.message, self.path, self.line))


class UnknownCodeError(EquipoiseError, LookupError):
    """A code that no table of the package knows; ``code`` is the code as given."""

    def __init__(self, code: object, message: str | None = None) -> None:
        self.code = code
        super().__init__(code if message is None else message)


class InvalidQueryError(EquipoiseError, ValueError):
    """A question the analysis refuses: its message says what to ask instead."""
