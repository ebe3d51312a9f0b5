"""Documents in: ``equipoise ingest`` (files) and ``equipoise collect`` (feeds and the web)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from equipoise.outputs.cli.coding import _code_stored, _coder, _print_failures
from equipoise.outputs.cli.group import _progress, console, out
from equipoise.outputs.cli.options import (
    DbOption,
    EarliestOption,
    LatestOption,
    ModelOption,
    RulesOnlyOption,
    _date,
    _date_range,
)
from equipoise.outputs.cli.stores import _open_store
from equipoise.records import Document


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt .html .htm .jsonl")],
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date for .txt/.html files.")
    ] = None,
    date_from_mtime: Annotated[
        bool,
        typer.Option("--date-from-mtime",
                     help="Date .txt/.html files that state no date by their modification time."),
    ] = False,
    follow_symlinks: Annotated[
        bool,
        typer.Option("--follow-symlinks",
                     help="Follow symbolic links in folders even when they lead outside."),
    ] = False,
    earliest: EarliestOption = None,
    latest: LatestOption = None,
    db: DbOption = None,
) -> None:
    """Add news documents to the store. Documents already stored are skipped."""
    from rich.markup import escape

    from equipoise.sources import iter_documents, parse_date

    dates = _date_range(earliest, latest)
    published = None
    if date is not None:
        try:
            published = dates.check(parse_date(date))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--date") from None
    errors: list[str] = []
    seen = 0

    def documents(progress: Progress, task) -> Iterator[Document]:
        nonlocal seen
        items = iter_documents(paths, date=published, date_from_mtime=date_from_mtime,
                               follow_symlinks=follow_symlinks, dates=dates)  # fmt: skip
        for item in items:
            for warning in item.warnings:
                console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
            if item.error is not None:
                errors.append(str(item.error))
                console.print(f"[red]error:[/red] {escape(str(item.error))}")
            elif item.document is not None:
                seen += 1
                yield item.document
            progress.advance(task)

    with _open_store(db) as store, _progress() as progress:
        task = progress.add_task("Ingesting", total=None)
        added, skipped = store.add_documents(documents(progress, task))
    console.print(
        f"{added} added, {skipped} already stored, {len(errors)} failed ({escape(str(store.path))})"
    )
    if errors:
        raise typer.Exit(1)


def collect(
    feed: Annotated[list[str] | None, typer.Option(
        "--feed", help="An RSS or Atom feed URL (repeat for more).")] = None,
    feeds: Annotated[Path | None, typer.Option(
        "--feeds", help="A text file of feed URLs, one a line (# starts a comment).")] = None,
    query: Annotated[str | None, typer.Option(
        "--query", help="Search the GDELT DOC 2.0 API, e.g. \"Azerbaijan Turkey\".")] = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="First day searched with --query (YYYY-MM-DD, UTC). Default: six "
        "days before --to.")] = None,
    end: Annotated[str | None, typer.Option(
        "--to", help="Last day searched with --query. Default: today (UTC).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", "--api-url", help="The DOC API endpoint. Default: GDELT's.")] = None,
    delay: Annotated[float, typer.Option(
        "--delay", min=0.0, help="Seconds between two requests to one host.")] = 1.0,
    api_delay: Annotated[float, typer.Option(
        "--api-delay", min=0.0, help="Seconds between two DOC API calls (GDELT asks for "
        "five).")] = 5.0,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, help="Seconds a request may take.")] = 30.0,
    contact: Annotated[str | None, typer.Option(
        "--contact", help="An e-mail address or URL added to the User-Agent, so a site can "
        "reach whoever runs the collection.")] = None,
    max_articles: Annotated[int | None, typer.Option(
        "--max-articles", min=0, help="Fetch at most this many new articles.")] = None,
    no_code: Annotated[bool, typer.Option(
        "--no-code", help="Store the articles without coding them.")] = False,
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
    earliest: EarliestOption = None,
    latest: LatestOption = None,
    db: DbOption = None,
) -> None:
    """Collect news articles from feeds and the GDELT DOC API, then ingest and code them.

    Each article is fetched once: URLs are compared without tracking parameters or
    fragments, and those already in the store are skipped. Requests go one at a time,
    with a pause between two to one host, and a 429 is waited out as the site asks.
    An article that cannot be fetched or read is listed and skipped; the exit status
    is 1 only when a feed, a DOC API call or the coding of a document failed.
    """
    from rich.markup import escape

    from equipoise.sources import docapi
    from equipoise.sources.articles import fetch_articles, known_urls, new_links
    from equipoise.sources.feeds import FeedError, Link, parse_feed, read_feed_list
    from equipoise.sources.web import FetchError, PoliteClient, host_of, normalise_url

    feed_urls = list(feed or [])
    if feeds is not None:
        feed_urls += read_feed_list(feeds)
    if not feed_urls and query is None:
        raise typer.BadParameter("give --feed, --feeds or --query", param_hint="--feed")
    if query is None and (start or end):
        raise typer.BadParameter("--from and --to go with --query", param_hint="--from")
    window = None
    if query is not None:
        last = _date(end, "--to") or dt.datetime.now(dt.UTC).date()
        first = _date(start, "--from") or last - dt.timedelta(days=6)
        if first > last:
            raise typer.BadParameter("--from is after --to", param_hint="--from")
        window = docapi.day_window(first, last)
    api_url = base_url or docapi.DOC_API
    try:
        normalise_url(api_url)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--base-url") from None
    dates = _date_range(earliest, latest)
    coder = None if no_code else _coder(model, rules_only)

    links: list[Link] = []
    problems = feeds_failed = 0  # problems: feeds and DOC API calls that failed
    search = None
    failed: dict[str, int] = {}
    added = stored = 0

    def skipped(error: FetchError) -> None:
        failed[error.reason] = failed.get(error.reason, 0) + 1
        console.print(f"[yellow]skipped:[/yellow] {escape(str(error))}", soft_wrap=True)

    with _open_store(db) as store, PoliteClient(
        delay=delay, host_delays={host_of(api_url): api_delay}, timeout=timeout,
        contact=contact,
    ) as client:
        known = known_urls(store.document_urls())
        with console.status("reading feeds") as status:
            for url in feed_urls:
                status.update(f"reading {escape(url)}")
                try:
                    answer = client.get(url, accept="application/rss+xml, application/atom+xml, "
                                        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1")
                    found = parse_feed(answer.body, answer.final_url)
                except (FetchError, FeedError) as exc:
                    problems += 1
                    feeds_failed += 1
                    console.print(f"[red]error:[/red] feed {escape(str(exc))}", soft_wrap=True)
                    continue
                links.extend(found.links)
            if query is not None and window is not None:
                def called(part: docapi.Window, n: int) -> None:
                    status.update(f"DOC API {part}: {n} articles")

                search = docapi.search(client, query, window, base_url=api_url,
                                       on_call=called)
                links.extend(search.links)
                for part, error in search.failed:
                    problems += 1
                    console.print(f"[red]error:[/red] DOC API, {part}: {escape(str(error))}",
                                  soft_wrap=True)
                for part in search.capped:
                    console.print(f"[yellow]warning:[/yellow] the DOC API lists "
                                  f"{docapi.MAX_RECORDS} or more articles for {part}, the "
                                  "smallest window split: some are missed", soft_wrap=True)
        chosen = new_links(links, known)
        for error in chosen.bad:
            skipped(error)
        todo = chosen.links if max_articles is None else chosen.links[:max_articles]

        def documents(progress: Progress, task) -> Iterator[Document]:
            for article in fetch_articles(client, todo, dates):
                for warning in article.warnings:
                    console.print(f"[yellow]warning:[/yellow] {escape(warning)}",
                                  soft_wrap=True)
                if article.error is not None:
                    skipped(article.error)
                elif article.document is not None:
                    yield article.document
                progress.advance(task)

        with _progress() as progress:
            task = progress.add_task("Fetching", total=len(todo))
            added, stored = store.add_documents(documents(progress, task))
        coding = None
        if coder is not None:
            coding = _code_stored(store, coder)

    n_failed = sum(failed.values())
    if feed_urls:
        out.print(f"feeds: {len(feed_urls) - feeds_failed} read, {feeds_failed} failed",
                  highlight=False, soft_wrap=True)
    if search is not None:
        out.print(f"DOC API: {search.calls} calls, {len(search.failed)} failed, "
                  f"{len(search.links)} articles listed"
                  + (f", {len(search.capped)} windows still at the cap" if search.capped
                     else ""), highlight=False, soft_wrap=True)
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(failed.items()))
    out.print(escape(
        f"articles: {len(chosen.links) + chosen.known + len(chosen.bad):,} found, "
        f"{chosen.known:,} skipped as known, {len(todo):,} to fetch, "
        f"{added + stored:,} fetched ({added:,} added, {stored:,} with a text already "
        f"stored), {n_failed:,} failed" + (f" ({reasons})" if reasons else "")
        + (f"; {chosen.repeated:,} repeated URLs joined" if chosen.repeated else "")
        + (f"; {len(chosen.links) - len(todo):,} left for later (--max-articles)"
           if len(todo) < len(chosen.links) else "")), highlight=False, soft_wrap=True)
    if coding is not None and coder is not None:
        coded_ok, n_events, failures = coding
        out.print(f"coding: {coded_ok} documents coded, {n_events} events, {len(failures)} "
                  f"failed ({coder.version})", highlight=False, soft_wrap=True)
        _print_failures(failures)
        problems += len(failures)
    if problems:
        raise typer.Exit(1)
