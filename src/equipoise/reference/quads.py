"""The four quad classes of CAMEO events, in the words every output uses.

Roots 01-05 are verbal cooperation, 06-08 material cooperation, 09-13 verbal conflict
and 14-20 material conflict; :func:`equipoise.reference.cameo.quad_of` gives a code's.
The dashboard's script (``outputs/static/dashboard.js``) mirrors these names and
columns in its ``QUADS`` list.
"""

from __future__ import annotations

__all__ = ["COOPERATION", "CONFLICT", "QUAD_COLUMNS", "QUAD_NAMES"]

QUAD_NAMES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
# The column of each quad's event count in analysis tables, in quad order.
QUAD_COLUMNS: tuple[str, ...] = (
    "verbal_coop",
    "material_coop",
    "verbal_conflict",
    "material_conflict",
)
COOPERATION: tuple[int, ...] = (1, 2)
CONFLICT: tuple[int, ...] = (3, 4)
