"""What the page takes in safely: the inlined chart script, embedded JSON and links."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from markupsafe import Markup


@lru_cache(maxsize=1)
def chart_script() -> str:
    """The source of ``static/charts.js``, checked safe to inline in a ``<script>``."""
    source = resources.files("equipoise.outputs").joinpath("static", "charts.js")
    text = source.read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("charts.js cannot be inlined: it contains '</script' or '<!--'")
    return text


def embed_json(data: object) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` (and the two JavaScript line terminators) are written as
    ``\\uXXXX`` escapes, which JSON reads back as the same characters, so no
    string can end the script element or open a comment. NaN is not JSON and is
    refused: convert missing values to None first.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL without spaces or control characters."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
