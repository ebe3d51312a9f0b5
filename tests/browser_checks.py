"""Checks the browser tests of the report and the dashboard share: text contrast and
sideways overflow, measured in the page from computed styles.

No fixtures here: each browser test module starts its own page (and, with ``serving``,
its own server).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

# WCAG 2 contrast of each visible element's text on what is behind it: the backgrounds of
# the element and its ancestors, composited from the root down (a chart's SVG excluded).
CONTRAST_JS = """(selectors) => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1,
  });
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const visible = (n) => {
    const r = n.getBoundingClientRect();
    const s = getComputedStyle(n);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && n.textContent.trim();
  };
  const found = [];
  for (const selector of selectors) {
    const nodes = Array.from(document.querySelectorAll(selector)).filter(visible).slice(0, 5);
    for (const node of nodes) {
      const chain = [];
      for (let n = node; n; n = n.parentElement) chain.unshift(n);
      let ground = { r: 255, g: 255, b: 255, a: 1 };
      for (const n of chain) {
        const bg = parse(getComputedStyle(n).backgroundColor);
        if (bg && bg.a > 0) ground = over(bg, ground);
      }
      const ink = over(parse(getComputedStyle(node).color), ground);
      const [hi, lo] = [lum(ink), lum(ground)].sort((x, y) => y - x);
      found.push({ selector, text: node.textContent.trim().slice(0, 40),
                   ratio: (hi + 0.05) / (lo + 0.05) });
    }
  }
  return found;
}"""

# Elements wider than the viewport, or sticking out of its right edge.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter((n) => {
      const r = n.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      // Inside a box that scrolls sideways on purpose, the box is what must fit.
      for (let p = n.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p).overflowX;
        if (s === 'auto' || s === 'scroll' || s === 'hidden') return false;
      }
      return r.right > width + 1 || r.left < -1;
    })
    .slice(0, 5)
    .map((n) => `${n.tagName.toLowerCase()}#${n.id}.${n.className}`);
}"""


def low_contrast(page, selectors: list[str], least: float = 4.5) -> list[dict]:
    """The text elements of ``selectors`` below ``least`` contrast (none is a pass);
    fails when no element was measured at all."""
    measured = page.evaluate(CONTRAST_JS, selectors)
    assert len({m["selector"] for m in measured}) >= len(selectors) // 2, measured
    return [m for m in measured if m["ratio"] < least]


@contextmanager
def serving(app) -> Iterator[str]:
    """``app`` served by uvicorn on a free port of 127.0.0.1, in a background thread."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the dashboard server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def local_page(browser, base_url, **options):
    """A page that may reach the local server only; blocked requests and script errors
    are recorded on it. ``options`` go to the browser context (viewport, colour scheme)."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(accept_downloads=True, **options)
    opened = context.new_page()
    opened.blocked, opened.errors = [], []

    def route(request_route):
        url = request_route.request.url
        if url == base_url or url.startswith(base_url + "/"):
            request_route.continue_()
        else:
            opened.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    return context, opened
