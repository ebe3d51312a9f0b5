"""The command group: the consoles, the exit statuses, and errors as one line on stderr."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from equipoise.errors import EquipoiseError

console = Console(stderr=True)
out = Console()


# Exit statuses: 1 some inputs failed (the rest went in), 2 the command could not run on
# what it was given, 3 an internal error.
EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 3
# What the options that shrink an analysis are called here (see analysis.limits).
_SIZE_OPTIONS = {"freq": "--freq", "window": "--from/--to", "n_boot": "--n-boot"}


def _error(message: str) -> None:
    """Print ``error: message`` on stderr as one line, whatever the terminal width."""
    line = " ".join(str(message).split())
    if len(line) > 2000:
        line = line[:2000] + "..."
    console.print(f"[red]error:[/red] {escape(line)}", soft_wrap=True, highlight=False)


def _user_message(exc: BaseException) -> str | None:
    """The message for an error in what the user gave (an :class:`EquipoiseError`, a
    store DuckDB cannot read, a file the system refuses); None for an internal error."""
    from equipoise.analysis.limits import TooLargeError

    if isinstance(exc, TooLargeError):
        return exc.message(_SIZE_OPTIONS)
    if isinstance(exc, EquipoiseError):
        return str(exc)
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, duckdb.Error):
        return f"the store cannot be read: {exc}"
    if isinstance(exc, OSError):
        if exc.filename is not None and exc.strerror:
            return f"{exc.filename}: {exc.strerror}"
        return str(exc) or type(exc).__name__
    return None


class _Commands(typer.core.TyperGroup):
    """The command group: any error ends the command with one line on stderr, a
    traceback only with ``equipoise --debug``."""

    def invoke(self, ctx: typer.Context):  # type: ignore[override]  # a click Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # chosen exit statuses and usage errors: typer reports them
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            if isinstance(exc, BrokenPipeError):
                raise  # output piped to `head`: typer ends quietly
            message = _user_message(exc)
            if message is not None:
                _error(message)
                raise typer.Exit(EXIT_USER_ERROR) from None
            detail = " ".join(str(exc).split())[:300]
            _error(f"internal error ({type(exc).__name__}{': ' + detail if detail else ''}); "
                   "run again as `equipoise --debug ...` to see the traceback")
            raise typer.Exit(EXIT_INTERNAL_ERROR) from None


app = typer.Typer(
    cls=_Commands,
    help="Which way does a state lean between rival powers? Code news into events and measure it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the full traceback of an error instead of one line.")] = False,
) -> None:
    """Which way does a state lean between rival powers? Code news into events and measure it."""


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    )
