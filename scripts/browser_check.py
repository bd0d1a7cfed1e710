#!/usr/bin/env python3
"""Drive a headless Chromium through gongwen's web pages, as a person would.

Run by scripts/browser-check.sh, which starts `gongwen serve` and Chromium
(with --remote-debugging-port) and passes both here. Speaks the Chrome
DevTools Protocol over a WebSocket written with the standard library only
(no pip install, no Node).

Checks, in order:
  1. the start page loads; the `/` key focuses the search box;
  2. typing a query and Enter shows results with highlighted (<mark>) words;
  3. clicking an agency facet narrows the list to that agency (the URL
     holds the filter);
  4. clicking a result opens the notice page with the matched section
     marked, highlighted and scrolled into view;
  5. Back returns to the filtered results.
With --shots DIR it saves DIR/search.png and DIR/notice.png (1280x900).
Exits 1 with a message on the first failed check.
"""

import argparse
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.parse


class WebSocket:
    """A minimal client WebSocket (RFC 6455): text frames, masked."""

    def __init__(self, url, timeout=30):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + (("?" + u.query) if u.query else "")
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("the DevTools socket closed during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"no WebSocket upgrade: {head!r}")

    def _read(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("the DevTools socket closed")
            buf += chunk
        return buf

    def send(self, text):
        data = text.encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(bytes(header) + mask + masked)

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            if opcode == 0x8:
                raise RuntimeError("the DevTools socket was closed")
            if opcode == 0x9:  # ping
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    """One browser tab, driven through the DevTools Protocol."""

    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=1280,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg["method"])

    def wait_load(self, action, timeout=20):
        """Run `action` and wait for the page it leads to to load."""
        self.events.clear()
        action()
        deadline = time.time() + timeout
        while "Page.loadEventFired" not in self.events:
            if time.time() > deadline:
                raise RuntimeError("the page did not load in time")
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg["method"])
        # let the page's own script run (scrolling to the match)
        time.sleep(0.3)

    def js(self, expression):
        r = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in r:
            raise RuntimeError(f"script failed: {expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def go(self, url):
        self.wait_load(lambda: self.call("Page.navigate", url=url))

    def key(self, key, code, vk, text=None):
        params = dict(type="keyDown", key=key, code=code, windowsVirtualKeyCode=vk)
        if text is not None:
            params["text"] = text
        self.call("Input.dispatchKeyEvent", **params)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=vk)

    def click(self, selector):
        """Click the element matching `selector` where a person would."""
        box = self.js(
            "(() => { const e = document.querySelector(%s); if (!e) return null;"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()" % json.dumps(selector)
        )
        if box is None:
            raise RuntimeError(f"nothing to click: {selector}")
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


def check(cond, what):
    if not cond:
        print(f"browser-check: FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok  {what}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True, help="gongwen serve's URL")
    ap.add_argument("--devtools", required=True, help="Chromium's DevTools port")
    ap.add_argument("--query", default="意识形态")
    ap.add_argument("--shots", help="folder for search.png and notice.png")
    a = ap.parse_args()
    server = a.server.rstrip("/")

    # a fresh tab
    with urllib.request.urlopen(
        urllib.request.Request(f"http://127.0.0.1:{a.devtools}/json/new?about:blank", method="PUT")
    ) as r:
        tab = json.load(r)
    page = Page(tab["webSocketDebuggerUrl"])

    page.go(server + "/")
    check(page.js("document.title").endswith("公文检索"), "the start page loads")
    page.key("/", "Slash", 191, "/")
    check(page.js("document.activeElement && document.activeElement.id") == "q",
          "the / key focuses the search box")
    check(page.js("document.getElementById('q').value") == "", "and types nothing into it")

    page.call("Input.insertText", text=a.query)
    page.wait_load(lambda: page.key("Enter", "Enter", 13, "\r"))
    search = page.js("location.search")
    check("q=" in search, f"Enter submits the query into the URL ({urllib.parse.unquote(search)})")
    marks = page.js("[...document.querySelectorAll('ol.hits mark')].map(m => m.textContent)")
    check(len(marks) > 0, f"results show highlighted words ({len(marks)} marks)")
    total = page.js("document.querySelectorAll('ol.hits li.hit').length")
    check(total > 0, f"{total} results listed")
    if a.shots:
        page.screenshot(os.path.join(a.shots, "search.png"))

    agency = page.js("(document.querySelector('aside a[href*=\"agency=\"]') || {}).textContent")
    check(agency, f"an agency facet is offered ({agency})")
    page.wait_load(lambda: page.click('aside a[href*="agency="]'))
    search = urllib.parse.unquote_plus(page.js("location.search"))
    check(f"agency={agency}" in search, "clicking it puts the agency filter in the URL")
    metas = page.js("[...document.querySelectorAll('ol.hits .meta')].map(m => m.textContent)")
    check(metas and all(m.startswith(agency) for m in metas),
          f"every result is now of that agency ({len(metas)} results)")
    filtered = page.js("location.href")

    page.wait_load(lambda: page.click("ol.hits li.hit h2 a"))
    check(page.js("location.pathname").startswith("/notices/"), "a result opens its notice page")
    target = page.js(
        "(() => { const s = document.querySelector('section.sec.target'); if (!s) return null;"
        " const r = s.getBoundingClientRect();"
        " return {marks: s.querySelectorAll('mark').length, top: r.top, h: innerHeight}; })()"
    )
    check(target is not None, "the matched section is marked")
    check(target["marks"] > 0, f"its words are highlighted ({target['marks']} marks)")
    check(0 <= target["top"] < target["h"], f"it is scrolled into view (top at {target['top']:.0f}px)")
    notice_path = page.js("location.pathname")
    with urllib.request.urlopen(server + "/api" + notice_path) as r:
        headings = json.load(r)["headings"]
    if headings:
        outline = page.js("document.querySelectorAll('aside.outline a[href^=\"#s-\"]').length")
        check(outline > 0, f"the outline links to the sections ({outline} links)")
    if a.shots:
        page.screenshot(os.path.join(a.shots, "notice.png"))

    # Back may restore the page from the back/forward cache, without a load
    page.js("history.back()")
    deadline = time.time() + 10
    while page.js("location.href") != filtered and time.time() < deadline:
        time.sleep(0.1)
    check(page.js("location.href") == filtered, "Back returns to the filtered results")
    check(page.js("document.querySelectorAll('ol.hits li.hit').length") == len(metas),
          "with the same results")
    print("browser-check: all checks passed")


if __name__ == "__main__":
    import urllib.request

    main()
