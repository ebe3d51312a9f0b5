"""``equipoise serve``: the dashboard over a store."""

from __future__ import annotations

from typing import Annotated

import typer

from equipoise.outputs.cli.analysis import _read_un_votes, _un_issue
from equipoise.outputs.cli.group import console
from equipoise.outputs.cli.options import (
    DbOption,
    EventsOption,
    RollCallsOption,
    UnIssueOption,
    UnIssuesOption,
    VotesOption,
)
from equipoise.outputs.cli.stores import _where


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. Keep 127.0.0.1 unless others should see it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8765,
    un_votes: VotesOption = None,
    un_roll_calls: RollCallsOption = None,
    un_issue: UnIssueOption = None,
    un_issues: UnIssuesOption = None,
    events_dir: EventsOption = None,
    annotate: Annotated[bool, typer.Option(
        "--annotate", help="Let the page exclude events or mark them miscoded, with a "
        "reason (as `equipoise judge`); on 127.0.0.1 only, with a store.")] = False,
    who: Annotated[str, typer.Option(
        "--who", help="Who judges, with --annotate (default: the user name).")] = "",
) -> None:
    """Serve a local dashboard of the store to the browser (Ctrl+C stops it).

    The page shows the tilt, equidistance and events by dyad and quad class, with the
    events and sentences behind every point; its JSON API is described at /openapi.json.
    It only reads the store, unless --annotate lets it record judgements of events.
    """
    import getpass

    from equipoise.outputs import server

    if annotate and host not in server.LOCAL_HOSTS:
        raise typer.BadParameter("--annotate serves on 127.0.0.1 only: the page can write "
                                 "to the store", param_hint="--host")
    if annotate and events_dir is not None:
        raise typer.BadParameter("--annotate stores judgements in a store: give --db, not "
                                 "--events", param_hint="--annotate")
    where = _where(db, events_dir)
    issues = _un_issue(un_issue, un_issues, un_votes)
    votes = None
    if un_votes is not None:
        votes = _read_un_votes(un_votes, un_roll_calls, issues)
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]warning:[/yellow] listening on {host}: the dashboard has no "
                      "login, so anyone who can reach this address can read the store")
    shown = where.get("db", where.get("events"))
    console.print(f"equipoise dashboard for {shown} at http://{_url_host(host)}:{port}/")
    if annotate:
        console.print("annotating: judgements made on the page are stored in the store")
    dataset = {"events": where["events"]} if "events" in where else {}
    server.serve(where.get("db"), host=host, port=port, un_votes=votes, annotate=annotate,
                 who=(who or getpass.getuser()) if annotate else "", **dataset)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
