"""Open a page in real headless Chromium (Debian's `chromium`) over the DevTools protocol and
record what a person's browser would do: console errors, network requests, dialogs.

The browser gets a proxy on a closed loopback port, so any request that leaves the machine
fails instead of reaching the network, and every request is recorded either way.
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from websockets.sync.client import connect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--remote-debugging-port=0", "--window-size=1280,2000"]


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    evaluations: dict[str, object] = field(default_factory=dict)


class DevTools:
    def __init__(self, url: str):
        self.socket = connect(url, max_size=64 * 1024 * 1024, open_timeout=30)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.on_event(message)

    def on_event(self, message: dict) -> None:
        self.events.append(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            self.socket.send(json.dumps({"id": 10_000 + len(self.events),
                                         "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": True}}))

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.on_event(json.loads(self.socket.recv(timeout=0.2)))
            except TimeoutError:
                continue


def visit(page: Path, profile: Path, screenshot: Path, expressions: dict[str, str]) -> PageVisit:
    """Load `page` from disk, wait for it to settle, evaluate `expressions`, take a screenshot."""
    process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            target = next(t for t in json.load(r) if t["type"] == "page")
        tools = DevTools(target["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.call(f"{domain}.enable")
        tools.call("Page.navigate", url=page.resolve().as_uri())
        deadline = time.monotonic() + 60
        while not any(e.get("method") == "Page.loadEventFired" for e in tools.events):
            if time.monotonic() > deadline:
                raise RuntimeError("page did not finish loading")
            tools.drain(0.2)
        tools.drain(1.0)
        result = PageVisit()
        for name, expression in expressions.items():
            value = tools.call("Runtime.evaluate", expression=expression, returnByValue=True)
            result.evaluations[name] = value["result"].get("value")
        shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        collect(tools.events, result)
        tools.socket.close()
        return result
    finally:
        process.kill()
        process.wait()


def collect(events: list[dict], result: PageVisit) -> None:
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            result.console_errors.append(str(params.get("args")))
        elif method == "Runtime.exceptionThrown":
            result.console_errors.append(str(params.get("exceptionDetails")))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            result.console_errors.append(params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            result.requests.append(params["request"]["url"])
        elif method == "Page.javascriptDialogOpening":
            result.dialogs.append(params.get("message", ""))
