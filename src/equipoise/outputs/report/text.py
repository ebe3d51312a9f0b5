"""Cells of the page as text: missing values, dates, intervals, lists and signs."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from equipoise.outputs import jsonify
from equipoise.outputs.specs import number as _number
from equipoise.reference.numbers import signed as _signed


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _interval(lo: object, hi: object) -> str:
    if _number(lo) is None or _number(hi) is None:
        return ""
    return f"{_signed(lo)} to {_signed(hi)}"


def _date_text(value: object, precision: object = "day") -> str:
    if _missing(value):
        return ""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if precision == "year":
        return f"{stamp.year:04d}"
    if precision == "month":
        return f"{stamp.year:04d}-{stamp.month:02d}"
    return jsonify.day(stamp) or ""


def _iso_day(value: object) -> str:
    return "" if _missing(value) else jsonify.day(value) or ""


def _join(items: list[str], word: str = "and") -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _sign_class(value: object) -> str:
    number = _number(value)
    if number is None or round(number, 2) == 0:
        return "zero"
    return "pos" if number > 0 else "neg"


def _slug(focal: str, poles: list[str]) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join([focal, *poles]).lower()).strip("-") or "report"


def _actor(row: Mapping, side: str) -> str:
    code = _text(row.get(side))
    sector = _text(row.get(f"{side}_sector"))
    return f"{code} {sector}" if sector and sector != code else code
