"""The coder's learned layer and its measure: ``equipoise train`` and ``equipoise evaluate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from equipoise.outputs.cli.coding import _print_failures
from equipoise.outputs.cli.group import _progress, console, out
from equipoise.records import Document


def train(
    gold: Annotated[tuple[Path, Path], typer.Option(
        "--gold", help="DOCS.jsonl GOLD.jsonl: documents and their hand-coded events.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the model here.")],
    negatives: Annotated[Path | None, typer.Option(
        "--negatives", help="Sentences that hold no event, JSONL (doc, sentence).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Shuffles documents into folds.")] = 0,
    l2: Annotated[float, typer.Option("--l2", min=0.0, help="Penalty on the weights.")] = 10.0,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0.0, max=1.0,
        help="Event probability from which a pair the rules missed is added. "
             "Default: chosen by cross-validation.")] = None,
) -> None:
    """Train the coder's learned layer on your own hand-coded events."""
    from equipoise.coding.coder import Coder
    from equipoise.coding.evaluate import EvaluationError, load_jsonl
    from equipoise.coding.training import train as fit_model

    docs_path, gold_path = gold
    try:
        gold_events = load_jsonl(gold_path)
        negative_sentences = load_jsonl(negatives) if negatives is not None else []
    except EvaluationError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    documents = _all_documents(docs_path)
    with console.status(f"Training on {len(documents)} documents"):
        try:
            model = fit_model(Coder(model=None), documents, gold_events, negative_sentences,
                              l2=l2, seed=seed, threshold=threshold)
        except ValueError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    meta = model.meta
    console.print(f"{meta['documents']} documents, {meta['pairs']} actor pairs, "
                  f"{meta['events']} events; {len(model.features)} features; "
                  f"thresholds add {model.threshold:.2f}, keep {model.keep_threshold:.2f} "
                  f"-> {output}")


def evaluate(
    docs: Annotated[Path, typer.Option(
        "--docs", help="JSONL documents the gold events are in (id, date, text).")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold events, JSONL (docs/evaluate.md).")],
    pred: Annotated[Path | None, typer.Option(
        "--pred", help="Coded events to score, JSONL. Default: code DOCS now.")] = None,
    negatives: Annotated[Path | None, typer.Option(
        "--negatives",
        help="Sentences that hold no event, JSONL. Default: negatives.jsonl beside GOLD.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    errors: Annotated[int, typer.Option(
        "--errors", min=0, help="How many misses and false alarms to list.")] = 20,
) -> None:
    """Score the coder (or a file of coded events) against hand-coded gold events."""
    from equipoise.coding.evaluate import EvaluationError, load_docs, load_jsonl
    from equipoise.coding.evaluate import evaluate as score

    if fmt not in ("table", "json"):
        raise typer.BadParameter("use table or json", param_hint="--format")
    if negatives is None and (gold.parent / "negatives.jsonl").is_file():
        negatives = gold.parent / "negatives.jsonl"
    try:
        texts = load_docs(docs)
        gold_events = load_jsonl(gold)
        negative_sentences = load_jsonl(negatives) if negatives is not None else []
        predicted = load_jsonl(pred) if pred is not None else _coded_events(docs)
        result = score(texts, gold_events, predicted, negative_sentences)
    except EvaluationError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_evaluation(result, errors, negatives)


def _all_documents(path: Path) -> list[Document]:
    """Every document of a JSONL file, or a one-line error at the first bad line: scoring
    or training on part of a file would quietly give other figures."""
    from equipoise.sources import SourceError, read_jsonl

    documents: list[Document] = []
    for item in read_jsonl(path):
        if isinstance(item, SourceError):
            console.print(f"[red]error:[/red] {item}")
            raise typer.Exit(2)
        documents.append(item)
    return documents


def _coded_events(path: Path) -> list[dict]:
    """Code a JSONL document file in memory: the events as ``equipoise code`` writes them."""
    from equipoise.coding.coder import Coder

    documents = _all_documents(path)
    events: list[dict] = []
    failures: list[tuple[Document, str]] = []
    coder = Coder()
    with _progress() as progress:
        task = progress.add_task("Coding", total=len(documents))
        for coded in coder.code_each(documents):
            if coded.failure is not None:
                failures.append((coded.doc, coded.failure))  # scored as if it had no event
            events.extend(event.to_json(coded.doc.ref or coded.doc.id) for event in coded.events)
            progress.advance(task)
    console.print(f"{len(documents) - len(failures)} documents coded, {len(events)} events, "
                  f"{len(failures)} failed ({coder.version})")
    _print_failures(failures)
    return events


def _print_evaluation(result, errors: int, negatives: Path | None) -> None:
    from equipoise.reference.quads import QUAD_NAMES

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    summary = Table(title="Events against the gold standard", show_header=False)
    summary.add_column("measure")
    summary.add_column("value", justify="right")
    summary.add_row("core gold events", str(result.gold_core))
    summary.add_row("predicted events", str(result.predicted))
    summary.add_row("true positives / false alarms / misses",
                    f"{result.tp} / {result.fp} / {result.fn}")
    summary.add_row("neutral (non-core or mirror matches)", str(result.neutral))
    summary.add_row("precision", pct(result.precision))
    summary.add_row("recall", pct(result.recall))
    summary.add_row("F1", pct(result.f1))
    summary.add_row("root accuracy", f"{pct(result.root_accuracy)} of {result.root_checked}")
    summary.add_row("date accuracy", f"{pct(result.date_accuracy)} of {result.date_checked}")
    if result.unknown_docs:
        summary.add_row("predictions in unknown documents", str(result.unknown_docs))
    out.print(summary)

    quads = Table(title="By quad class")
    quads.add_column("quad")
    for name in ("gold", "tp", "fp", "fn", "precision", "recall", "F1"):
        quads.add_column(name, justify="right")
    for q, s in result.per_quad.items():
        quads.add_row(f"{q} {QUAD_NAMES.get(q, '')}", str(s.tp + s.fn), str(s.tp), str(s.fp),
                      str(s.fn), pct(s.precision), pct(s.recall), pct(s.f1))
    out.print(quads)

    confused = sorted(((n, g, p) for g, row in result.root_confusion.items()
                       for p, n in row.items() if g != p), reverse=True)
    if result.root_checked:
        pairs = ", ".join(f"{g}→{p} ×{n}" for n, g, p in confused) or "none"
        out.print(f"Roots of true positives: {result.root_correct} of {result.root_checked} "
                  f"right; gold→predicted confusions: {pairs}")
    near = ", ".join(f"{g}→{p} ×{n}" for g, row in result.quad_confusion.items()
                     for p, n in row.items())
    if near:
        out.print(f"Near misses, gold quad→predicted quad: {near}")

    classes = Table(title="Error classes")
    for name in ("kind", "class"):
        classes.add_column(name)
    classes.add_column("count", justify="right")
    for kind, counts in result.error_classes().items():
        for name, n in counts.items():
            classes.add_row(kind.replace("_", " "), name, str(n))
    out.print(classes)
    if negatives is not None:
        on_negatives = ", ".join(f"{why} {n}" for why, n in result.negatives.items()) or "none"
        out.print(f"False alarms on the {result.negatives_listed} negative sentences of "
                  f"{negatives.name}: {on_negatives}")

    if errors and result.misses:
        table = Table(title=f"Misses ({min(errors, len(result.misses))} of {len(result.misses)})")
        _error_columns(table, "gold event")
        for m in result.misses[:errors]:
            table.add_row(m.doc, f"{m.source}→{m.target} {m.cameo} (q{m.quad})", m.error,
                          m.sentence)
        out.print(table)
    if errors and result.false_alarms:
        shown = min(errors, len(result.false_alarms))
        table = Table(title=f"False alarms ({shown} of {len(result.false_alarms)})")
        _error_columns(table, "predicted event")
        for f in result.false_alarms[:errors]:
            event = f"{f.source}→{f.target} {f.cameo} (q{f.quad})"
            if f.trigger:
                event += f" “{f.trigger}”"
            error = f.error if f.negative is None else f"{f.error}; negative: {f.negative}"
            table.add_row(f.doc, event, error, f.sentence)
        out.print(table)


def _error_columns(table: Table, event: str) -> None:
    table.add_column("doc", no_wrap=True)
    table.add_column(event, max_width=20)
    table.add_column("class", max_width=16)
    table.add_column("sentence", ratio=1, overflow="fold")
