"""The words the page puts on quads, frequencies, weights and directions, and its
thresholds."""

from __future__ import annotations

from equipoise.reference.quads import QUAD_NAMES

# Each quad's heading and the CSS class of its badge.
_QUAD_CSS = {1: "vc", 2: "mc", 3: "vx", 4: "mx"}
QUADS: dict[int, tuple[str, str]] = {
    quad: (name.capitalize(), _QUAD_CSS[quad]) for quad, name in QUAD_NAMES.items()
}
FREQ_WORDS = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}
WEIGHT_WORDS = {
    "count": "event counts (+1 cooperation, −1 conflict)",
    "goldstein": "Goldstein weights / 10",
    "plover": "PLOVER scores / 10",
}
DIRECTION_WORDS = {
    "both": "events in both directions (relations)",
    "out": "the focal state's actions toward the pole",
    "in": "the pole's actions toward the focal state",
}
LEAN_THRESHOLD = 0.05
# Driver events shown per document in the change point list.
DRIVER_EVENTS_SHOWN = 3
