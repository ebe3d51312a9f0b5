"""Reading news text from files: what each reader accepts, and how it reports what it cannot."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import signal
import threading
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from equipoise.outputs.cli import app
from equipoise.records import content_hash
from equipoise.sources import (
    MAX_DOCUMENT_BYTES,
    DateRange,
    SourceError,
    iter_documents,
    parse_date,
    read_html,
    read_jsonl,
    read_text,
)
from equipoise.store import Store

ARTICLE = "Indonesia signed a trade agreement with China on Tuesday.\n\nThe United States objected."

PAGE = """<html><head>
<title>Pact signed | Example News</title>
<meta property="og:title" content="Indonesia and China sign trade pact">
<meta property="article:published_time" content="2020-09-02T10:00:00Z">
<link rel="canonical" href="https://example.org/news/pact">
</head><body>
<nav>Home | World | Sport</nav>
<article><h1>Indonesia and China sign trade pact</h1>
<p>Indonesia signed a trade agreement with China on Tuesday, officials said.</p>
<p>The United States criticised the deal.</p></article>
<footer>Copyright 2021 Example News</footer>
</body></html>"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def set_mtime(path: Path, day: dt.date) -> None:
    # Noon local time, so the date read back does not depend on the time zone.
    stamp = dt.datetime(day.year, day.month, day.day, 12).timestamp()
    os.utime(path, (stamp, stamp))


# -- errors ------------------------------------------------------------------


def test_source_error_reads_like_a_compiler_message():
    assert str(SourceError("news/a.jsonl", "bad JSON", 7)) == "news/a.jsonl:7: bad JSON"
    assert str(SourceError("news/a.txt", "empty document")) == "news/a.txt: empty document"


def test_source_error_survives_pickling():
    err = pickle.loads(pickle.dumps(SourceError("a.jsonl", "bad JSON", 3)))
    assert (err.path, err.line, err.message) == ("a.jsonl", 3, "bad JSON")


# -- dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2020-09-02",
        "2020-09-02T10:00:00Z",
        "2020-09-02 10:00",
        "2020/09/02",
        "2 September 2020",
        "2nd Sept. 2020",
        "September 2, 2020",
        "Sep 2 2020",
        "Wednesday, 2 September 2020, 10:30 GMT",
    ],
)
def test_common_date_forms_are_understood(text):
    assert parse_date(text) == dt.date(2020, 9, 2)


@pytest.mark.parametrize("text", ["02/09/2020", "2020-13-01", "31 June 2020", "last Tuesday", ""])
def test_ambiguous_or_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


# -- plain text ------------------------------------------------------------------


def test_text_headers_give_title_url_and_date(tmp_path):
    path = write(
        tmp_path / "pact.txt",
        "Title: Indonesia and China sign trade pact\n"
        "URL: https://example.org/news/pact\n"
        "Date: 2 September 2020\n"
        "\n" + ARTICLE + "\n",
    )
    doc, warnings = read_text(path)
    assert doc.title == "Indonesia and China sign trade pact"
    assert doc.url == "https://example.org/news/pact"
    assert doc.published == dt.date(2020, 9, 2)
    assert doc.text == ARTICLE
    assert doc.id == content_hash(ARTICLE)
    assert doc.ref == doc.source == str(path)
    assert warnings == []


def test_text_headers_are_case_insensitive_in_any_order_and_published_means_date(tmp_path):
    path = write(tmp_path / "a.txt", "published: 2020-09-02\nTITLE: Pact\n\n" + ARTICLE)
    doc, _ = read_text(path)
    assert (doc.title, doc.published, doc.text) == ("Pact", dt.date(2020, 9, 2), ARTICLE)


def test_text_without_headers_is_all_body(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    doc, _ = read_text(path, date=dt.date(2020, 9, 2))
    assert doc.text == ARTICLE
    assert doc.title is None and doc.url is None


def test_date_argument_beats_date_header(tmp_path):
    path = write(tmp_path / "a.txt", "Date: 2020-09-02\n\n" + ARTICLE)
    doc, warnings = read_text(path, date=dt.date(2021, 1, 5))
    assert doc.published == dt.date(2021, 1, 5)
    assert warnings == []


def test_text_without_any_date_is_an_error(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    with pytest.raises(SourceError, match="no publication date found") as caught:
        read_text(path)
    assert "--date-from-mtime" in caught.value.message


def test_text_without_any_date_may_be_dated_by_its_modification_time_on_request(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    set_mtime(path, dt.date(2019, 5, 17))
    doc, warnings = read_text(path, date_from_mtime=True)
    assert doc.published == dt.date(2019, 5, 17)
    assert warnings == []


def test_unparseable_date_header_names_file_and_line(tmp_path):
    path = write(tmp_path / "a.txt", "Title: Pact\nDate: last Tuesday\n\n" + ARTICLE)
    with pytest.raises(SourceError) as caught:
        read_text(path)
    assert (caught.value.path, caught.value.line) == (str(path), 2)
    assert "last Tuesday" in caught.value.message


def test_windows_line_endings_give_the_same_document(tmp_path):
    unix = write(tmp_path / "unix.txt", "Date: 2020-09-02\n\n" + ARTICLE)
    windows = write(tmp_path / "win.txt", ("Date: 2020-09-02\n\n" + ARTICLE).replace("\n", "\r\n"))
    assert read_text(unix)[0].id == read_text(windows)[0].id


def test_utf8_byte_order_mark_is_dropped(tmp_path):
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbfDate: 2020-09-02\n\n" + ARTICLE.encode())
    doc, _ = read_text(path)
    assert doc.published == dt.date(2020, 9, 2)
    assert doc.text == ARTICLE


def test_headers_with_no_body_are_an_empty_document(tmp_path):
    path = write(tmp_path / "a.txt", "Title: Pact\nDate: 2020-09-02\n\n  \n")
    with pytest.raises(SourceError, match="empty document"):
        read_text(path)


# -- HTML --------------------------------------------------------------------------


def test_html_main_text_and_page_metadata(tmp_path):
    doc, warnings = read_html(write(tmp_path / "pact.html", PAGE))
    assert "Indonesia signed a trade agreement with China" in doc.text
    assert "Home | World" not in doc.text  # navigation is not article text
    assert doc.title == "Indonesia and China sign trade pact"
    assert doc.url == "https://example.org/news/pact"
    assert doc.published == dt.date(2020, 9, 2)
    assert warnings == []


def test_html_date_argument_beats_page_metadata(tmp_path):
    doc, _ = read_html(write(tmp_path / "pact.htm", PAGE), date=dt.date(2021, 1, 5))
    assert doc.published == dt.date(2021, 1, 5)


def test_html_without_date_metadata_needs_a_date_or_its_modification_time(tmp_path):
    # The copyright year in the text must not be taken for a publication date.
    path = write(
        tmp_path / "a.html",
        "<html><body><article><p>Indonesia signed a pact with China.</p>"
        "<p>Copyright 2021</p></article></body></html>",
    )
    set_mtime(path, dt.date(2019, 5, 17))
    with pytest.raises(SourceError, match="no publication date found"):
        read_html(path)
    doc, warnings = read_html(path, date_from_mtime=True)
    assert doc.published == dt.date(2019, 5, 17)
    assert warnings == []


def test_html_without_text_is_an_error(tmp_path):
    path = write(tmp_path / "a.html", "<html><head><title>x</title></head><body></body></html>")
    with pytest.raises(SourceError, match="no main text"):
        read_html(path)


# -- JSON Lines --------------------------------------------------------------------


def test_jsonl_reads_each_line_and_keeps_the_id_as_ref(tmp_path):
    path = write(
        tmp_path / "corpus.jsonl",
        '{"id": "a1", "date": "2020-09-02", "title": "Pact", "url": "https://x.org/1",'
        ' "text": "Indonesia signed a pact with China."}\n'
        "\n"  # blank lines are skipped
        '{"id": 7, "date": "2020-09-03", "text": "The United States objected."}\n'
        '{"date": "2020-09-04", "text": "China welcomed the pact."}\n',
    )
    docs = list(read_jsonl(path))
    assert [d.ref for d in docs] == ["a1", "7", f"{path}:4"]
    assert docs[0].title == "Pact" and docs[0].url == "https://x.org/1"
    assert docs[1].title is None
    assert [d.published for d in docs] == [dt.date(2020, 9, d) for d in (2, 3, 4)]
    assert all(d.source == str(path) for d in docs)


def test_jsonl_bad_lines_are_reported_by_line_and_reading_goes_on(tmp_path):
    path = write(
        tmp_path / "corpus.jsonl",
        "\n".join(
            [
                '{"id": "ok1", "date": "2020-09-02", "text": "Good one."}',
                '{"id": "x", "date": "2020-09-02", "text": "unterminated',
                '{"id": "x", "date": "2020-09-02"}',
                '{"id": "x", "date": "someday", "text": "Bad date."}',
                '["not", "an", "object"]',
                '{"id": "x", "text": "No date."}',
                '{"id": "ok2", "date": "2020-09-03", "text": "Good two."}',
            ]
        ),
    )
    items = list(read_jsonl(path))
    assert [i.ref for i in items if not isinstance(i, SourceError)] == ["ok1", "ok2"]
    errors = {i.line: i.message for i in items if isinstance(i, SourceError)}
    assert sorted(errors) == [2, 3, 4, 5, 6]
    assert errors[2].startswith("bad JSON")
    assert errors[3] == "missing 'text'"
    assert "someday" in errors[4]
    assert "got array" in errors[5]
    assert errors[6] == "missing 'date'"


def test_jsonl_date_argument_fills_in_missing_dates_only(tmp_path):
    path = write(
        tmp_path / "c.jsonl",
        '{"text": "No date."}\n{"date": "2020-09-02", "text": "Own date."}\n',
    )
    docs = list(read_jsonl(path, date=dt.date(2021, 1, 5)))
    assert [d.published for d in docs] == [dt.date(2021, 1, 5), dt.date(2020, 9, 2)]


def test_jsonl_invalid_utf8_names_line_and_byte(tmp_path):
    data = b'{"date": "2020-09-02", "text": "ok"}\n{"date": "2020-09-02", "text": "caf\xe9"}\n'
    path = write(tmp_path / "c.jsonl", data)
    good, error = read_jsonl(path)
    assert not isinstance(good, SourceError)
    assert isinstance(error, SourceError) and error.line == 2
    assert f"not valid UTF-8 at byte {data.index(0xE9)} (0xe9)" in error.message


# -- walking folders ---------------------------------------------------------------


def test_folder_with_good_and_bad_files(tmp_path):
    news = tmp_path / "news"
    write(news / "a.txt", "Date: 2020-09-02\n\n" + ARTICLE)
    write(news / "sub" / "b.html", PAGE)
    write(
        news / "corpus.jsonl",
        '{"id": "j1", "date": "2020-09-02", "text": "China welcomed the pact."}\n'
        "{broken\n"
        '{"id": "j2", "date": "2020-09-03", "text": "Japan expressed concern."}\n',
    )
    write(news / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = "Date: 2020-09-02\n\nCaf\u00e9 talks.".encode("latin-1")
    write(news / "latin1.txt", latin1)
    write(news / "empty.txt", "  \n\n")
    write(news / ".hidden.txt", "Date: 2020-09-02\n\nNot for ingestion.")
    write(news / "notes.pdf", b"%PDF-1.4")  # unsupported types in folders are skipped

    items = list(iter_documents([news]))

    documents = [i.document for i in items if i.ok]
    assert {d.ref for d in documents} == {"j1", "j2", str(news / "a.txt"), str(news / "sub/b.html")}
    errors = {Path(i.error.path).name: i.error for i in items if i.error}
    assert set(errors) == {"corpus.jsonl", "image.txt", "latin1.txt", "empty.txt"}
    assert errors["corpus.jsonl"].line == 2
    assert errors["image.txt"].message == "binary file"
    assert errors["latin1.txt"].message.startswith(f"not valid UTF-8 at byte {latin1.index(0xE9)}")
    assert errors["latin1.txt"].line == 3
    assert errors["empty.txt"].message == "empty document"
    assert all(i.path == Path(i.error.path) for i in items if i.error)


def test_folders_are_walked_in_name_order(tmp_path):
    for name in ["b.txt", "a/z.txt", "c.txt", "a/y.txt"]:
        write(tmp_path / name, f"Date: 2020-09-02\n\nText of {name}.")
    items = list(iter_documents(tmp_path))
    assert [i.path.relative_to(tmp_path).as_posix() for i in items] == [
        "a/y.txt",
        "a/z.txt",
        "b.txt",
        "c.txt",
    ]


def test_named_unsupported_or_missing_files_are_errors(tmp_path):
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4")
    items = list(iter_documents([pdf, tmp_path / "nowhere.txt"]))
    assert [i.ok for i in items] == [False, False]
    assert "unsupported file type '.pdf'" in items[0].error.message
    assert items[1].error.message == "no such file or directory"


def test_named_hidden_file_is_read(tmp_path):
    path = write(tmp_path / ".draft.txt", "Date: 2020-09-02\n\n" + ARTICLE)
    assert [i.ok for i in iter_documents(path)] == [True]


def test_date_arguments_and_warnings_pass_through(tmp_path):
    dated = write(tmp_path / "dated.txt", ARTICLE)
    undated = write(tmp_path / "undated.txt", "Another article.")
    set_mtime(undated, dt.date(2019, 5, 17))
    assert [i.document.published for i in iter_documents(dated, date=dt.date(2021, 1, 5))] == [
        dt.date(2021, 1, 5)
    ]
    (item,) = iter_documents(undated, date_from_mtime=True)
    assert item.document.published == dt.date(2019, 5, 17)
    page = write(tmp_path / "pact.html", PAGE)
    later = DateRange(earliest=dt.date(2021, 1, 1))
    (item,) = iter_documents(page, date_from_mtime=True, dates=later)
    assert item.ok and len(item.warnings) == 1
    assert "ignoring page date 2020-09-02 outside the accepted range" in item.warnings[0]


def test_oversized_document_is_refused(tmp_path):
    path = write(tmp_path / "huge.txt", b"a" * (MAX_DOCUMENT_BYTES + 1))
    (item,) = iter_documents(path)
    assert item.error is not None and "document too large" in item.error.message


# -- bad input: nothing stops a run or loses a good document ---------------------------------


def good_line(n: int) -> str:
    return json.dumps({"id": f"ok{n}", "date": "2020-09-02", "text": f"Good article {n}."})


def test_jsonl_lines_that_used_to_abort_a_run_are_errors_of_their_own_line(tmp_path):
    bad = [
        '{"text": ' + "[" * 1000 + "]" * 1000 + "}",  # nested 1,000 deep
        '{"id": ' + "7" * 4400 + ', "date": "2020-09-02", "text": "Huge id."}',
        '{"id": "s1", "date": "2020-09-02", "url": "https://x.org/\\ud800", "text": "Bad url."}',
        '{"id": "\\udfff", "date": "2020-09-02", "text": "Bad id."}',
        '{"id": "d1", "date": "0001-01-01", "text": "Year one."}',
        '{"id": "d2", "date": "9999-12-31", "text": "Year 9999."}',
        '{"id": "n1", "date": "2020-09-02", "text": "A NUL \0 byte."}',
    ]
    lines = [good_line(1), *bad[:4], good_line(2), *bad[4:], good_line(3)]
    path = write(tmp_path / "c.jsonl", "\n".join(lines) + "\n")
    items = list(read_jsonl(path))
    assert [i.ref for i in items if not isinstance(i, SourceError)] == ["ok1", "ok2", "ok3"]
    errors = {i.line: i.message for i in items if isinstance(i, SourceError)}
    assert sorted(errors) == [2, 3, 4, 5, 7, 8, 9]
    assert errors[2] == "JSON nested more than 64 levels deep"
    assert errors[3] == "bad JSON: integer of 4,400 digits (limit 64)"
    assert errors[4] == "'url' holds an unpaired surrogate escape"
    assert errors[5] == "'id' holds an unpaired surrogate escape"
    assert errors[7].startswith("publication date 0001-01-01 is outside the accepted range")
    assert errors[8].startswith("publication date 9999-12-31 is outside the accepted range")
    assert errors[9] == "NUL byte at column 51"


def test_jsonl_text_and_title_lose_unpaired_surrogates_and_control_characters(tmp_path):
    line = json.dumps({
        "id": "a", "date": "2020-09-02", "title": "Pact\ud800 \u202esigned\u202c\n",
        "url": "https://example.org/\u202egnp.exe", "text": "Bell\x07 and\r\nNUL\x00 \ud83d.\tEnd",
    })
    (doc,) = read_jsonl(write(tmp_path / "c.jsonl", line + "\n"))
    assert doc.title == "Pact\ufffd signed"
    assert doc.url == "https://example.org/gnp.exe"
    assert doc.text == "Bell and\nNUL \ufffd.\tEnd"


def test_a_jsonl_line_with_no_end_is_an_error_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr("equipoise.sources.jsonl.MAX_LINE_BYTES", 1000)
    path = write(tmp_path / "c.jsonl", good_line(1) + "\n" + "x" * 5000 + "\n" + good_line(2))
    items = list(read_jsonl(path))
    assert [i.ref for i in items if not isinstance(i, SourceError)] == ["ok1", "ok2"]
    (error,) = [i for i in items if isinstance(i, SourceError)]
    assert (error.line, error.message) == (2, "line too long (5,001 bytes; limit 1,000)")


def test_a_nul_byte_in_a_long_first_line_costs_that_line_only(tmp_path):
    first = json.dumps({"id": "long", "date": "2020-09-02", "text": "x" * 5_000 + "\0"})
    path = write(tmp_path / "c.jsonl", first.replace("\\u0000", "\0") + "\n" + good_line(1))
    items = list(read_jsonl(path))
    assert [i.ref for i in items if not isinstance(i, SourceError)] == ["ok1"]
    assert [i.line for i in items if isinstance(i, SourceError)] == [1]


def test_a_binary_file_named_jsonl_is_one_error(tmp_path):
    path = write(tmp_path / "c.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n" * 50)
    assert [str(i) for i in read_jsonl(path)] == [f"{path}: binary file"]


def test_ingest_stores_every_good_line_next_to_the_lines_that_used_to_abort_it(tmp_path):
    bad = ['{"text": ' + "[" * 1000, '{"id": ' + "9" * 4301 + "}",
           '{"id": "t", "date": "2020-09-02", "text": "Lone \\ud800 half."}',
           '{"id": "u", "date": "2020-09-02", "title": "\\udc00", "text": "Lone in title."}']
    lines = [good_line(n) for n in range(1, 14)] + bad
    path = write(tmp_path / "c.jsonl", "\n".join(lines) + "\n")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 1
    assert "15 added, 0 already stored, 2 failed" in " ".join(result.output.split())
    with Store(db, read_only=True) as store:
        frame = store.documents_frame()
    assert len(frame) == 15
    assert set(frame["title"].dropna()) == {"\ufffd"}


def test_dates_outside_the_range_are_refused_in_every_document_reader(tmp_path):
    old = write(tmp_path / "old.txt", "Date: 1 January 0001\n\n" + ARTICLE)
    with pytest.raises(SourceError, match="publication date 0001-01-01 is outside") as caught:
        read_text(old)
    assert caught.value.line == 1
    with pytest.raises(SourceError, match="outside the accepted range"):
        read_text(write(tmp_path / "late.txt", ARTICLE), date=dt.date(9999, 1, 1))
    with pytest.raises(SourceError, match="outside the accepted range"):
        read_html(write(tmp_path / "a.html", PAGE), date=dt.date(1066, 10, 14))
    doc, _ = read_text(old, dates=DateRange(earliest=dt.date(1, 1, 1)))
    assert doc.published == dt.date(1, 1, 1)


def test_text_files_keep_line_breaks_and_tabs_and_lose_other_controls(tmp_path):
    path = write(
        tmp_path / "a.txt",
        "Title: Pact \u202eexe.txt\nURL: https://x.org/\u2066a\u2069\nDate: 2020-09-02\n\n"
        "Indonesia\x1b[2J signed\ta pact.\x0cNext page.\r\nDone.\x7f",
    )
    doc, _ = read_text(path)
    assert doc.title == "Pact exe.txt" and doc.url == "https://x.org/a"
    assert doc.text == "Indonesia[2J signed\ta pact.\nNext page.\nDone."


def test_a_nul_byte_anywhere_makes_a_text_file_binary(tmp_path):
    path = write(tmp_path / "a.txt", ("Date: 2020-09-02\n\n" + "x" * 9000 + "\0").encode())
    with pytest.raises(SourceError, match=r"binary file \(NUL byte at byte 9018\)"):
        read_text(path)


def test_a_long_header_line_of_spaces_does_not_hang_the_reader(tmp_path):
    # A header pattern that backtracks would take hours on this line (quadratic in its
    # 200,000 spaces); a linear one reads it at once. The alarm only stops a hang, so a
    # slow machine cannot fail the test.
    path = write(tmp_path / "a.txt", "Title: a" + " " * 200_000 + "b\nDate: 2020-09-02\n\nText.")

    def hung(signum, frame):
        raise AssertionError("the header reader backtracks on a long line")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        doc, _ = read_text(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert doc.title == "a b"


# -- files: regular files only, links kept inside the folder ------------------------------


def read_in_thread(*args, **kwargs) -> list:
    found: list = []
    worker = threading.Thread(target=lambda: found.extend(iter_documents(*args, **kwargs)))
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "reading must not block"
    return found


def test_a_fifo_is_skipped_with_a_note_in_a_folder_and_refused_by_name(tmp_path):
    write(tmp_path / "news" / "a.txt", "Date: 2020-09-02\n\n" + ARTICLE)
    fifo = tmp_path / "news" / "feed.txt"
    os.mkfifo(fifo)
    items = read_in_thread(tmp_path / "news")
    assert [i.ok for i in items] == [True, False]
    assert items[1].error is None
    assert items[1].warnings == (f"{fifo}: not a regular file (a FIFO); skipped",)
    (named,) = read_in_thread(fifo)
    assert named.error.message == "not a regular file (a FIFO); skipped"


def test_links_out_of_the_folder_are_followed_only_on_request(tmp_path):
    secret = write(tmp_path / "private" / "secret.txt", "Date: 2020-09-02\n\nNot for the store.")
    news = tmp_path / "news"
    write(news / "a.txt", "Date: 2020-09-02\n\n" + ARTICLE)
    (news / "leak.txt").symlink_to(secret)
    (news / "same.txt").symlink_to(news / "a.txt")  # inside the folder: read
    (news / "private").symlink_to(tmp_path / "private", target_is_directory=True)
    (news / "loop").symlink_to(news, target_is_directory=True)

    items = list(iter_documents(news))
    assert sorted(i.path.name for i in items if i.ok) == ["a.txt", "same.txt"]
    (note,) = [w for i in items for w in i.warnings]
    assert note.startswith(f"{news / 'leak.txt'}: symbolic link to a file outside {news}")
    assert "--follow-symlinks" in note

    followed = list(iter_documents(news, follow_symlinks=True))
    assert sorted(str(i.path.relative_to(news)) for i in followed if i.ok) == [
        "a.txt", "leak.txt", "private/secret.txt", "same.txt"]


def test_ingest_options_for_dates_and_links(tmp_path):
    news = tmp_path / "news"
    undated = write(news / "undated.txt", ARTICLE)
    set_mtime(undated, dt.date(2019, 5, 17))
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    refused = runner.invoke(app, ["ingest", str(news), "--db", str(db)])
    assert refused.exit_code == 1 and "no publication date found" in refused.output
    dated = runner.invoke(app, ["ingest", str(news), "--date-from-mtime", "--db", str(db)])
    assert dated.exit_code == 0, dated.output
    with Store(db, read_only=True) as store:
        assert list(store.documents_frame()["published"]) == [pd.Timestamp(2019, 5, 17)]
    too_old = runner.invoke(app, ["ingest", str(news), "--date", "1700-01-01", "--db", str(db)])
    assert too_old.exit_code == 2 and "outside the accepted range" in too_old.output
    wide = runner.invoke(app, ["ingest", str(news), "--date", "1700-01-01",
                               "--earliest", "1600-01-01", "--db", str(db)])  # fmt: skip
    assert wide.exit_code == 0, wide.output
    backwards = runner.invoke(app, ["ingest", str(news), "--earliest", "2020-01-01",
                                    "--latest", "2019-01-01", "--db", str(db)])  # fmt: skip
    assert backwards.exit_code == 2


def test_ingest_prints_errors_as_text_not_console_markup(tmp_path):
    path = write(tmp_path / "[bold]a[/red].jsonl", '{"date": "[/red]", "text": "x"}\n')
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert "unparseable date '[/red]'" in result.output


def test_a_file_name_that_is_not_utf8_is_reported_and_stored_printably(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    path = write(tmp_path / name, "Date: 2020-09-02\n\n" + ARTICLE)
    (item,) = iter_documents(tmp_path)
    assert item.document.ref == str(tmp_path / "caf\ufffd.txt")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
