"""The analyst's judgements of events: ``equipoise judge`` and ``equipoise judgements``."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from equipoise.outputs.cli.group import console, out
from equipoise.outputs.cli.options import DbOption
from equipoise.outputs.cli.stores import _open_store


def judge(
    doc: Annotated[str, typer.Option("--doc", help="The event's document id (doc_id).")],
    sent_start: Annotated[int, typer.Option("--start", help="Its sentence start (sent_start).")],
    source: Annotated[str, typer.Option("--source", help="Its source code.")],
    target: Annotated[str, typer.Option("--target", help="Its target code.")],
    root: Annotated[str, typer.Option("--root", help="Its CAMEO root, e.g. 11.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: kept with the judgement.")] = "",
    cameo: Annotated[str | None, typer.Option(
        "--cameo", help="Mark the event miscoded, with the right CAMEO code, instead of "
        "excluding it.")] = None,
    who: Annotated[str, typer.Option("--who", help="Who judged.")] = "",
    undo: Annotated[bool, typer.Option("--undo", help="Withdraw the judgement.")] = False,
    db: DbOption = None,
) -> None:
    """Exclude a coded event from every analysis, or mark it miscoded, with a reason.

    The event is named as `equipoise events` lists it. A judgement is kept apart from the
    coder's output, so it holds when the document is coded again; the report lists them.
    """
    import getpass

    from equipoise.reference.cameo import cameo_table

    if cameo is not None and cameo not in cameo_table():
        raise typer.BadParameter(f"unknown CAMEO code {cameo!r}", param_hint="--cameo")
    with _open_store(db) as store:
        key = (doc, sent_start, source.upper(), target.upper(), root)
        if undo:
            done = store.unjudge(*key)
            console.print("judgement withdrawn" if done else "no judgement to withdraw")
            return
        store.judge(*key, verdict="exclude" if cameo is None else "miscoded", reason=reason,
                    who=who or getpass.getuser(), cameo=cameo)
    console.print(f"{source.upper()}->{target.upper()} root {root} at {doc}:{sent_start}: "
                  + ("excluded" if cameo is None else f"marked miscoded (should be {cameo})"))


def judgements(
    fmt: Annotated[str, typer.Option(
        "--format", help="table, csv, or gold: corrections in the gold format (miscoded "
        "events as gold events, excluded ones as negatives) to feed `equipoise train`.")
    ] = "table",
    db: DbOption = None,
) -> None:
    """The analyst's judgements of coded events."""
    if fmt not in ("table", "csv", "gold"):
        raise typer.BadParameter("use table, csv or gold", param_hint="--format")
    with _open_store(db, read_only=True) as store:
        table = store.judgements()
    if fmt == "csv":
        sys.stdout.write(table.to_csv(index=False))
        return
    if fmt == "gold":
        from equipoise.reference.cameo import quad_of

        for row in table.itertuples(index=False):
            if row.verdict == "miscoded" and row.cameo:
                record = {"doc": row.doc_id, "sentence": row.sentence, "source": row.source,
                          "target": row.target, "cameo": str(row.cameo)[:2],
                          "quad": quad_of(str(row.cameo)), "core": True, "note": row.reason}
            else:
                record = {"doc": row.doc_id, "sentence": row.sentence, "why": row.reason}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    shown = Table("event", "verdict", "reason", "who", "when")
    for row in table.itertuples(index=False):
        verdict = row.verdict if row.verdict == "exclude" else f"miscoded -> {row.cameo}"
        shown.add_row(f"{row.source}->{row.target} {row.root} {row.doc_id}:{row.sent_start}",
                      verdict, row.reason, row.who, str(row.judged_at)[:16])
    out.print(shown if len(table) else "no judgements")
