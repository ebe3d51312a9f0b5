"""The CAMEO code table: what a lookup returns and how the table is checked."""

from __future__ import annotations

import pytest

from equipoise.reference.cameo import (
    ROOTS,
    CameoCode,
    UnknownCameoCode,
    cameo_table,
    lookup,
    quad_of,
)


def test_a_visit_is_verbal_cooperation_with_goldstein_1_9():
    visit = lookup("042")
    assert visit == CameoCode(
        code="042",
        root="04",
        label="Make a visit",
        quad=1,
        goldstein=1.9,
        plover_event="CONSULT",
        plover_mode="visit",
        plover_context="",
    )
    assert visit.level == 3


def test_weights_are_the_gdelt_figures():
    assert lookup("016").goldstein == -2.0  # deny responsibility
    assert lookup("057").goldstein == 8.0  # sign formal agreement
    assert lookup("0874").goldstein == 10.0  # retreat or surrender militarily
    assert lookup("163").goldstein == -8.0  # impose embargo, boycott or sanctions
    assert lookup("2042").goldstein == -10.0  # detonate nuclear weapons


def test_lookup_ignores_surrounding_whitespace_only():
    assert lookup(" 042\n").code == "042"
    with pytest.raises(UnknownCameoCode):
        lookup("42")  # the leading zero is part of the code


@pytest.mark.parametrize("code", ["999", "42", "", "0x1", "21"])
def test_unknown_code_raises_and_names_the_code(code):
    with pytest.raises(UnknownCameoCode, match=repr(code)):
        lookup(code)


def test_unknown_code_is_a_key_error():
    with pytest.raises(KeyError):
        lookup("999")


def test_table_has_all_20_roots_and_311_codes():
    table = cameo_table()
    assert len(table) == 311
    assert [c for c in table if len(c) == 2] == list(ROOTS)
    assert lookup("01").label == "Make public statement"
    assert lookup("20").label == "Use unconventional mass violence"


def test_every_sub_code_sits_under_an_existing_parent():
    table = cameo_table()
    for code, entry in table.items():
        assert entry.root == code[:2]
        if len(code) == 4:
            assert code[:3] in table, code


@pytest.mark.parametrize(
    ("root", "quad"),
    [("01", 1), ("05", 1), ("06", 2), ("08", 2), ("09", 3), ("13", 3), ("14", 4), ("20", 4)],
)
def test_quad_follows_the_root(root, quad):
    assert quad_of(root) == quad
    assert quad_of(root + "0") == quad


def test_quad_of_agrees_with_the_table_for_every_code():
    for code, entry in cameo_table().items():
        assert quad_of(code) == entry.quad


def test_quad_of_unknown_code_raises():
    with pytest.raises(UnknownCameoCode):
        quad_of("21")


def test_gdelt_numbering_is_kept_for_105_to_108():
    assert lookup("106").label == "Demand withdrawal"
    assert lookup("108").label == "Demand meeting, negotiation"


def test_plover_mapping():
    assert lookup("010").plover_event == ""  # statements have no PLOVER type
    assert lookup("020").plover_event == "REQUEST"  # appeals are requests
    assert lookup("0256").plover_mode == "yield"
    assert lookup("081").plover_event == "CONCEDE"
    assert lookup("0871").plover_mode == "ceasefire"
    assert lookup("163").plover_event == "COERCE"
    assert lookup("19").plover_event == "ASSAULT"  # a root takes its "x0" code's type


def test_the_package_table_is_read_once():
    assert cameo_table() is cameo_table()


def test_a_malformed_table_names_file_and_line(tmp_path):
    path = tmp_path / "cameo.csv"
    header = "code,root,level,label,quad,goldstein,plover_event,plover_mode,plover_context"
    path.write_text(
        f"{header}\n"
        "04,04,2,Consult,1,1.0,CONSULT,,\n"
        "042,04,3,Make a visit,3,1.9,CONSULT,visit,\n",  # quad 3 under root 04
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"cameo\.csv:3: quad 3"):
        cameo_table(path)
