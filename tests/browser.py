"""Open a page in real headless Chromium (Debian's `chromium`) over the DevTools protocol, act
on it like a reader (click, pick from a list, move a slider) and record what a person's
browser would do: console errors, network requests, dialogs, downloads.

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
        if "method" not in message:
            return                      # the answer to a call nobody waits for (dialogs)
        self.events.append(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            self.next_id += 1
            self.socket.send(json.dumps({"id": self.next_id,
                                         "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": True}}))

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.on_event(json.loads(self.socket.recv(timeout=0.2)))
            except TimeoutError:
                continue


class Browser:
    """One headless Chromium with one tab: `open` a file, act on it, read what happened.

    with Browser(tmp_path / "profile") as browser:
        browser.open(page, "#topic=L01")
        browser.click("[data-topic-id='L02']")
        assert browser.visit().console_errors == []
    """

    def __init__(self, profile: Path, javascript: bool = True, downloads: Path | None = None,
                 loopback: bool = False):
        self.profile, self.javascript, self.downloads = profile, javascript, downloads
        # loopback: pages on 127.0.0.1 load (a local server's UI); nothing else does
        self.flags = [f for f in FLAGS if not (loopback and f.startswith("--proxy-bypass"))]
        self.process: subprocess.Popen | None = None
        self.tools: DevTools | None = None

    def __enter__(self) -> "Browser":
        self.process = subprocess.Popen(
            [CHROMIUM, *self.flags, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.tools = DevTools(self.page_target())
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.tools.call(f"{domain}.enable")
            if not self.javascript:
                self.tools.call("Emulation.setScriptExecutionDisabled", value=True)
            if self.downloads is not None:
                self.downloads.mkdir(parents=True, exist_ok=True)
                self.tools.call("Browser.setDownloadBehavior", behavior="allow",
                                downloadPath=str(self.downloads), eventsEnabled=True)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.tools is not None:
            self.tools.socket.close()
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def page_target(self) -> str:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            target = next(t for t in json.load(r) if t["type"] == "page")
        return target["webSocketDebuggerUrl"]

    def open(self, page: Path, fragment: str = "") -> float:
        """Load `page` afresh (with `#fragment`) and wait until it has loaded and settled;
        returns the seconds from navigation to the load event."""
        self.navigate("about:blank")
        loaded = self.navigate(page.resolve().as_uri() + fragment)
        self.tools.drain(0.5)
        return loaded

    def navigate(self, url: str) -> float:
        start = len(self.tools.events)
        began = time.monotonic()
        self.tools.call("Page.navigate", url=url)
        while not any(e.get("method") == "Page.loadEventFired"
                      for e in self.tools.events[start:]):
            if time.monotonic() > began + 60:
                raise RuntimeError(f"{url} did not finish loading")
            self.tools.drain(0.02)
        return time.monotonic() - began

    def evaluate(self, expression: str):
        answer = self.tools.call("Runtime.evaluate", expression=expression,
                                 returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (press and release) in the middle of the element."""
        box = self.evaluate(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return null;
            e.scrollIntoView({{block: "center"}});
            const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2];
        }})()""")
        if box is None:
            raise AssertionError(f"nothing on the page matches {selector}")
        for kind in ("mousePressed", "mouseReleased"):
            self.tools.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1],
                            button="left", clickCount=1)
        self.tools.drain(0.2)

    def choose(self, selector: str, value: str) -> None:
        """Set a <select> or an <input> (range, search) as a reader would, events included."""
        found = self.evaluate(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return false;
            e.focus();
            e.value = {json.dumps(value)};
            e.dispatchEvent(new Event("input", {{bubbles: true}}));
            e.dispatchEvent(new Event("change", {{bubbles: true}}));
            return true;
        }})()""")
        if not found:
            raise AssertionError(f"nothing on the page matches {selector}")
        self.tools.drain(0.2)

    def wait_for_download(self, seconds: float = 20) -> Path:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done = [e for e in self.tools.events if e.get("method") == "Browser.downloadProgress"
                    and e["params"].get("state") == "completed"]
            if done:
                return Path(done[-1]["params"]["filePath"])
            self.tools.drain(0.2)
        raise AssertionError("no download completed")

    def screenshot(self, path: Path) -> None:
        shot = self.tools.call("Page.captureScreenshot", format="png",
                               captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def visit(self) -> PageVisit:
        """Everything recorded since the browser started."""
        result = PageVisit()
        collect(self.tools.events, result)
        return result


def visit(page: Path, profile: Path, screenshot: Path, expressions: dict[str, str]) -> PageVisit:
    """Load `page` from disk, wait for it to settle, evaluate `expressions`, take a screenshot."""
    with Browser(profile) as browser:
        browser.open(page)
        browser.tools.drain(0.5)
        result = browser.visit()
        for name, expression in expressions.items():
            result.evaluations[name] = browser.evaluate(expression)
        browser.screenshot(screenshot)
        return result


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
