"""A small headless-Chromium driver over the DevTools protocol, for the reader's-eye tests."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket  # websocket-client

CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)
# Flags that keep a headless Chromium from calling home (the machines have no network).
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--remote-debugging-port=0",
    "--allow-file-access-from-files",
    "--window-size=1280,2000",
]


class Browser:
    """One headless Chromium with one page; records console errors and network requests."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="citylinks-chromium-")
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _ in range(200):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
            targets = [t for t in json.load(response) if t["type"] == "page"]
        self.ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params) -> dict:
        """Send one DevTools command and return its result, keeping events that arrive meanwhile."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def open(self, path: Path) -> None:
        """Load a file and wait until it has finished loading."""
        self.events.clear()
        self.call("Page.navigate", url=path.resolve().as_uri())
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.evaluate("document.readyState") == "complete":
                time.sleep(0.3)  # let late errors and requests arrive
                self.evaluate("1")
                return
            time.sleep(0.1)
        raise TimeoutError(f"{path} did not load")

    def follow(self, selector: str) -> str:
        """Click the first element matching `selector` as a reader would; wait until the page
        it leads to has loaded, and return its address."""
        before = self.evaluate("location.href")
        self.events.clear()
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                href = self.evaluate("location.href")
                ready = self.evaluate("document.readyState") == "complete"
            except RuntimeError:  # the old page went away while asked
                href, ready = before, False
            if href != before and ready:
                time.sleep(0.3)  # let the jump to the anchor happen
                return href
            time.sleep(0.1)
        raise TimeoutError(f"clicking {selector} led nowhere")

    def evaluate(self, expression: str):
        """Evaluate JavaScript in the page and return its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def console_errors(self) -> list[str]:
        """Return console errors, uncaught exceptions and browser log errors seen since open()."""
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                errors.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                errors.append(params["entry"].get("text", ""))
        return errors

    def requests(self) -> list[str]:
        """Return the URLs the page requested since open(), other than itself and data: URIs."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
            and not e["params"]["request"]["url"].startswith("data:")
        ]

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)
