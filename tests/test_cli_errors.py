"""Every command reports an error as one line on stderr; ``--debug`` shows the traceback.

Exit statuses: 2 when the command cannot run on what it was given (a store that is
locked, damaged or not a store, a missing file, a bad option or code, an analysis too
large), 3 for an internal error, which asks to run again with ``--debug``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap

import duckdb
import pytest
from typer.testing import CliRunner

from equipoise.analysis import pipeline
from equipoise.outputs.cli import EXIT_INTERNAL_ERROR, EXIT_USER_ERROR, app
from factories import one_event_each, write_store


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def one_error_line(result) -> str:
    """The single line a failed command wrote to stderr, checked to be just that."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    rows = [("AZE", "TUR", 1, dt.date(2020, m, 5)) for m in range(1, 7)]
    return write_store(tmp_path_factory.mktemp("cli") / "store.duckdb", one_event_each(rows))


ALIGN = ("align", "--focal", "AZE", "--poles", "TUR,RUS")


# --------------------------------------------------------------------------- stores


def test_a_file_that_is_not_a_store(tmp_path):
    notes = tmp_path / "notes.duckdb"
    notes.write_text("shopping list\n", encoding="utf-8")
    for command in (ALIGN, ("report", "--focal", "AZE", "--poles", "TUR"), ("stats",)):
        result = run(*command, "--db", str(notes))
        assert result.exit_code == EXIT_USER_ERROR
        line = one_error_line(result)
        assert "notes.duckdb" in line and "not a valid DuckDB database file" in line
        assert "writer" not in line  # nothing is locking it


def test_a_damaged_store(store, tmp_path):
    damaged = tmp_path / "damaged.duckdb"
    data = bytearray(store.read_bytes())
    data[4096 * 3 : 4096 * 3 + 512] = bytes(512)  # the first block after the headers
    damaged.write_bytes(bytes(data))
    result = run(*ALIGN, "--db", str(damaged))
    assert result.exit_code == EXIT_USER_ERROR
    assert "damaged.duckdb" in one_error_line(result)


def test_an_empty_file(tmp_path):
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    result = run(*ALIGN, "--db", str(empty))
    assert result.exit_code == EXIT_USER_ERROR
    assert "empty.duckdb" in one_error_line(result)


def test_a_missing_store_or_a_folder(tmp_path):
    result = run(*ALIGN, "--db", str(tmp_path / "absent.duckdb"))
    assert "no store at" in one_error_line(result)
    result = run(*ALIGN, "--db", str(tmp_path))
    assert "is not a file" in one_error_line(result)


def test_a_store_another_process_is_writing(store, tmp_path):
    copy = tmp_path / "busy.duckdb"
    copy.write_bytes(store.read_bytes())
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from equipoise.store import Store
            with Store({str(copy)!r}):
                print("open", flush=True)
                sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        for command in (ALIGN, ("report", "--focal", "AZE", "--poles", "TUR")):
            result = run(*command, "--db", str(copy))
            assert result.exit_code == EXIT_USER_ERROR
            assert "another process is writing it" in one_error_line(result)
    finally:
        holder.communicate("\n", timeout=30)


def test_a_store_that_fails_while_it_is_read(store, monkeypatch):
    def failing(*args, **kwargs):
        raise duckdb.IOException("Could not read from file: Input/output error")

    monkeypatch.setattr("equipoise.store.db.Store.dyad_frame", failing)
    result = run(*ALIGN, "--db", str(store))
    assert result.exit_code == EXIT_USER_ERROR
    assert one_error_line(result) == (
        "error: the store cannot be read: Could not read from file: Input/output error"
    )


# --------------------------------------------------------------------------- questions


def test_an_unknown_pole_names_the_closest_codes(store):
    result = run("align", "--db", str(store), "--focal", "AZE", "--poles", "TUR,TRK")
    assert result.exit_code == EXIT_USER_ERROR
    line = one_error_line(result)
    assert line.startswith("error: unknown pole 'TRK'") and "TUR (Turkey)" in line
    assert result.stdout == ""  # nothing ranked, no table


def test_report_refuses_an_unknown_focal(store, tmp_path):
    output = tmp_path / "report.html"
    result = run("report", "--db", str(store), "--focal", "AZR", "--poles", "TUR",
                 "--output", str(output))  # fmt: skip
    assert "unknown focal 'AZR'" in one_error_line(result)
    assert not output.exists()


def test_an_analysis_too_large_says_which_options_shrink_it(store):
    result = run(*ALIGN, "--db", str(store), "--from", "0001-01-01", "--to", "9999-12-31")
    assert result.exit_code == EXIT_USER_ERROR
    line = one_error_line(result)
    assert "239,976 cells" in line
    assert "--freq (quarter or year)" in line and "(--from/--to)" in line
    result = run(*ALIGN, "--db", str(store), "--from", "1900-01-01", "--to", "2020-12-31",
                 "--ci", "--n-boot", "5000")  # fmt: skip
    assert "fewer replicates (--n-boot)" in one_error_line(result)


def test_bad_option_values_are_one_line(store):
    result = run(*ALIGN, "--db", str(store), "--ci", "--n-boot", "0")
    assert "n_boot must be a positive integer" in one_error_line(result)


def test_a_missing_un_votes_file(store, tmp_path):
    result = run(*ALIGN, "--db", str(store), "--un-votes", str(tmp_path / "votes.csv"))
    assert result.exit_code == EXIT_USER_ERROR
    assert "votes.csv" in one_error_line(result)


def test_a_folder_as_the_report_file(store, tmp_path):
    result = run("report", "--db", str(store), "--focal", "AZE", "--poles", "TUR",
                 "--output", str(tmp_path))  # fmt: skip
    assert result.exit_code == 2 and "is a folder" in result.output


# --------------------------------------------------------------------------- far dates


def test_far_dates_leave_align_quick_and_say_what_was_left_out(far_store):
    result = run(*ALIGN, "--db", str(far_store), "--min-events", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["records"]
    assert {r["period"] for r in rows} == {"2020-05"}
    assert "4 events dated before 1800-01-01" in result.stderr
    assert "give --from and --to to include them" in result.stderr


def test_far_dates_leave_the_report_small(far_store, tmp_path):
    output = tmp_path / "far.html"
    result = run("report", "--db", str(far_store), "--focal", "AZE", "--poles", "TUR,RUS",
                 "--output", str(output))  # fmt: skip
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert len(html) < 1_000_000  # the unbounded window wrote 61 MB
    assert "Events left out for implausible dates" in html


# --------------------------------------------------------------------------- internal errors


def test_an_internal_error_is_one_line_that_points_to_debug(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the cells do not add up")

    monkeypatch.setattr(pipeline, "measure_query", broken)
    result = run(*ALIGN, "--db", str(store))
    assert result.exit_code == EXIT_INTERNAL_ERROR
    line = one_error_line(result)
    assert "internal error (RuntimeError: the cells do not add up)" in line
    assert "equipoise --debug" in line


@pytest.mark.parametrize("command", [ALIGN, ("report", "--focal", "AZE", "--poles", "TUR")])
def test_a_value_error_inside_the_analysis_is_internal_not_the_users(store, monkeypatch,
                                                                     tmp_path, command):
    # Only equipoise's own error classes speak of the user's input; a ValueError from
    # pandas is a fault of equipoise.
    def broken(*args, **kwargs):
        raise ValueError("cannot reindex on an axis with duplicate labels")

    monkeypatch.setattr(pipeline, "measure_query", broken)
    result = run(*command, "--db", str(store), *(
        ("--output", str(tmp_path / "r.html")) if command[0] == "report" else ()))
    assert result.exit_code == EXIT_INTERNAL_ERROR, result.output
    assert "internal error (ValueError: cannot reindex" in one_error_line(result)


def test_an_invalid_option_of_the_analysis_is_the_users(store):
    result = run(*ALIGN, "--db", str(store), "--freq", "week")
    assert result.exit_code == EXIT_USER_ERROR
    assert "unknown freq 'week'" in one_error_line(result)


def test_debug_lets_the_error_through_with_its_traceback(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the cells do not add up")

    monkeypatch.setattr(pipeline, "measure_query", broken)
    result = run("--debug", *ALIGN, "--db", str(store))
    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code not in (0, EXIT_USER_ERROR)


def test_the_installed_program_reports_errors_the_same_way(tmp_path):
    notes = tmp_path / "notes.duckdb"
    notes.write_text("not a store\n", encoding="utf-8")
    command = [sys.executable, "-m", "equipoise"]
    plain = subprocess.run([*command, *ALIGN, "--db", str(notes)],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert plain.returncode == EXIT_USER_ERROR
    assert plain.stderr.count("\n") == 1 and plain.stderr.startswith("error: ")
    debug = subprocess.run([*command, "--debug", *ALIGN, "--db", str(notes)],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert debug.returncode != 0
    assert "StoreError" in debug.stderr and debug.stderr.count("\n") > 5


def test_a_reader_that_stops_early_is_no_error(store, monkeypatch):
    # `equipoise align ... --format csv | head -1`: the pipe closes before the table ends.
    def closed(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(pipeline, "measure_query", closed)
    result = run(*ALIGN, "--db", str(store))
    assert result.exit_code == 1
    assert "error" not in result.stderr
