"""The dashboard API's reference as one HTML page, written from its OpenAPI description.

Works offline: no script, no style sheet or font from elsewhere, unlike the usual
interactive viewers, which load theirs from a CDN.
"""

from __future__ import annotations

from html import escape
from typing import Any

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1f2933;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-top:1px solid #cbd2d9;
padding-top:1rem}code{background:#f0f4f8;padding:0 .25rem;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;
vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #e4e7eb}th{font-weight:600}
.method{font-weight:700;color:#0b6e4f}
@media (prefers-color-scheme:dark){body{background:#111827;color:#e5e7eb}
code{background:#1f2937}th,td{border-color:#374151}.method{color:#6ee7b7}}
"""


def render(spec: dict[str, Any]) -> str:
    """The page for an OpenAPI document ``spec``: every path, what it answers, each
    parameter with its type, default, allowed values and description, and each field
    of its JSON answer (when the answer has a schema) with its type and description."""
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{escape(str(info.get('title', 'API')))}</title><style>{_STYLE}</style>",
        "</head><body>",
        f"<h1>{escape(str(info.get('title', 'API')))} <small>{escape(str(info.get('version', '')))}"
        "</small></h1>",
        f"<p>{escape(str(info.get('description', '')))}</p>",
        "<p>The machine-readable description is at <a href='/openapi.json'>/openapi.json</a>.</p>",
    ]
    schemas = spec.get("components", {}).get("schemas", {})
    for path, operations in sorted(spec.get("paths", {}).items()):
        for method, operation in operations.items():
            parts.append(_operation(path, method, operation))
            parts.append(_answer(operation, schemas))
    parts.append("</body></html>")
    return "".join(parts)


def _operation(path: str, method: str, operation: dict[str, Any]) -> str:
    rows = []
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        kind = schema.get("type") or " or ".join(
            str(s.get("type", "")) for s in schema.get("anyOf", []) if s.get("type"))
        default = schema.get("default")
        allowed = schema.get("enum")
        rows.append(
            "<tr>"
            f"<td><code>{escape(str(parameter.get('name', '')))}</code>"
            f"{' (required)' if parameter.get('required') else ''}</td>"
            f"<td>{escape(kind)}</td>"
            f"<td>{'' if default is None else escape(repr(default))}</td>"
            f"<td>{escape(', '.join(map(str, allowed))) if allowed else ''}</td>"
            f"<td>{escape(str(parameter.get('description', '')))}</td>"
            "</tr>"
        )
    table = ("<table><tr><th>parameter</th><th>type</th><th>default</th><th>values</th>"
             "<th>meaning</th></tr>" + "".join(rows) + "</table>") if rows else ""
    return (
        f"<h2 id='{escape(path.strip('/').replace('/', '-'))}'>"
        f"<span class='method'>{escape(method.upper())}</span> <code>{escape(path)}</code></h2>"
        f"<p><strong>{escape(str(operation.get('summary', '')))}</strong></p>"
        f"<p>{escape(str(operation.get('description', '')))}</p>{table}"
    )


def _answer(operation: dict[str, Any], schemas: dict[str, Any]) -> str:
    """The fields of an operation's JSON answer, read from its response schema."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    ref = str(content.get("application/json", {}).get("schema", {}).get("$ref", ""))
    schema = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    fields = schema.get("properties", {})
    if not fields:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code></td><td>{escape(_kind(field))}</td>"
        f"<td>{escape(str(field.get('description', '')))}</td></tr>"
        for name, field in fields.items()
    )
    return ("<table><tr><th>answer field</th><th>type</th><th>meaning</th></tr>"
            + rows + "</table>")


def _kind(field: dict[str, Any]) -> str:
    """A field's JSON type in a word or two: ``array of object``, ``string or null``."""
    if "anyOf" in field:
        return " or ".join(_kind(option) for option in field["anyOf"])
    kind = str(field.get("type", "any"))
    if kind == "array":
        return f"array of {_kind(field.get('items', {}))}"
    return kind
