"""Running `build.py serve` and `build.py watch` as a user does, and looking at the preview in a real
browser: Debian's chromium, headless, driven by selenium through Debian's chromedriver (setup.sh
installs both). Nothing is downloaded: the driver's path is given, so selenium's manager is never
asked to find or fetch one. Used by tests/test_preview.py and bench/preview_bench.py."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class LiveCommand:
    """`python build.py ARGS` in `folder` (its data/ and its own build cache there), with what it
    prints read line by line as it comes."""

    def __init__(self, folder: Path, *args: str):
        # Run from a background job (`make test &`), this process has SIGINT ignored, and so would the
        # command, which then never sees a Ctrl-C: it starts as it would from a terminal.
        previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(PROJECT / "build.py"), *args],
                cwd=folder,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "ATLAS_CACHE_DIR": str(folder / "cache")},
            )
        finally:
            signal.signal(signal.SIGINT, previous)
        self.stdout: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.stdout.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.stderr.append), daemon=True).start()

    @staticmethod
    def _read(stream, keep) -> None:
        for line in stream:
            keep(line.rstrip("\n"))

    def line(self, pattern: str, timeout: float = 120) -> re.Match:
        """The next line of its output that matches `pattern` (earlier ones are passed over)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                found = re.search(pattern, self.stdout.get(timeout=left))
            except queue.Empty:
                break
            if found:
                return found
        raise TimeoutError(f"no line matching {pattern!r} within {timeout} s; stderr: {self.stderr}")

    def stop(self, signal_number: int, timeout: float = 30) -> int:
        self.process.send_signal(signal_number)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def serve(folder: Path, *document: str) -> tuple[LiveCommand, str]:
    """`build.py serve DOCUMENT --port 0` in `folder`: the command and the address it serves at."""
    command = LiveCommand(folder, "serve", *document, "--data", "data", "--port", "0")
    return command, command.line(r"at (http://127\.0\.0\.1:\d+/)")[1]


def descendants(pid: int) -> set[int]:
    """Every process started by `pid`, and by those, as /proc shows them now."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pids: set[int]) -> set[int]:
    """Those of the processes that still run (a zombie, ended but not yet reaped, does not)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def wait_until_gone(pids: set[int], timeout: float = 10) -> set[int]:
    """The processes still running after `timeout` seconds (none, when all ended)."""
    deadline = time.monotonic() + timeout
    while (left := running(pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@contextmanager
def headless_chromium(width: int = 1200, height: int = 900) -> Iterator[webdriver.Chrome]:
    os.environ["SE_OFFLINE"] = "true"  # should anything ask selenium's manager, it stays offline
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the tests may run as root, in a container
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def shown_build(driver: webdriver.Chrome) -> tuple[int, int | None]:
    """The build whose pages the page shows (loaded), and the first page that changed in it."""
    build, changed = driver.execute_script(
        "return [document.body.dataset.build || '0', document.body.dataset.changed || ''];"
    )
    return int(build), int(changed) if changed else None


def wait_for_build(driver: webdriver.Chrome, after: int, timeout: float = 60) -> tuple[int, int | None]:
    """Wait until the page shows a build later than `after`: (that build, the first page that changed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        build, changed = shown_build(driver)
        if build > after:
            return build, changed
        time.sleep(0.01)
    raise TimeoutError(f"the page showed no build after build {after} within {timeout} s")
