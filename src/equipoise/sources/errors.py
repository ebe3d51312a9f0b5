"""The error every reader raises or yields for input it cannot turn into a document."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A file, or one line of it, that could not be read as a document.

    ``str()`` reads ``path:line: message`` (or ``path: message`` for a whole
    file), the form editors and compilers use, so it can be clicked through.
    """

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(self.path, message, line)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self):
        # The signature differs from Exception's, so pickling needs the real arguments.
        return (type(self), (self.path, self.message, self.line))
