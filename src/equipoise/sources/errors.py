"""The error every reader raises or yields for input it cannot turn into a document."""

from __future__ import annotations

import os
import re
from pathlib import Path

from equipoise.errors import BadInputError

_SURROGATE = re.compile("[\ud800-\udfff]")


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as printable text: bytes that are not UTF-8 in a file name become U+FFFD.

    Python keeps such bytes as lone surrogates, which can be neither printed nor stored.
    """
    text = os.fspath(path)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


class SourceError(BadInputError):
    """A file, or one line of it, that could not be read as a document.

    ``str()`` reads ``path:line: message`` (or ``path: message`` for a whole
    file), the form editors and compilers use, so it can be clicked through.
    Every reader reports bad input with this class or a subclass of it.
    """

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        # A file name that is not UTF-8 holds lone surrogates, which cannot be printed.
        super().__init__(_SURROGATE.sub("\ufffd", message), display_path(path), line)

    def __reduce__(self):
        return (type(self), (self.path, self.message, self.line))
