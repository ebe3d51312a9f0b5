"""What the server allows: its address, the hosts it answers, its budget for one request,
and the headers that keep browsers from misusing it.
"""

from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Host headers accepted by default: a page on another site that rebinds its own name to
# 127.0.0.1 sends its own name as the Host, and is refused.
LOCAL_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")
MAX_POLES = 12
MAX_N_BOOT = 2000
MAX_EVENTS = 1000
PARTNERS = 30
# Analyses computed at once; the others wait for their turn, up to busy_timeout seconds.
ANALYSES_AT_ONCE = 1
BUSY_TIMEOUT = 60.0
# Sec-Fetch-Site values of requests the API answers: from the page itself, or typed in.
_OWN_REQUESTS = ("same-origin", "none")
# The header that carries the annotating server's token.
TOKEN_HEADER = "X-Equipoise-Token"
_JUDGEMENTS = "/api/judgements"


# What the browser may do with the page: scripts and data from this server only.
_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
