"""How a signed figure (a tilt, a shift, a score) is written in every text the package
produces: verdicts, tables and the report."""

from __future__ import annotations

import math

__all__ = ["finite", "signed"]


def finite(value: object) -> float | None:
    """A finite float, or None for anything missing, not a number, infinite or a bool."""
    if value is None or isinstance(value, bool):
        return None
    try:
        found = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return found if math.isfinite(found) else None


def signed(value: object, digits: int = 2, missing: str = "–") -> str:
    """``value`` rounded to ``digits`` with its sign: ``+0.12``, ``-0.30``, and ``0.00``
    (no sign) for what rounds to zero; ``missing`` for None, NaN or not a number."""
    number = finite(value)
    if number is None:
        return missing
    number = round(number, digits)
    if number == 0:
        return f"{0:.{digits}f}"
    return f"{number:+.{digits}f}"
