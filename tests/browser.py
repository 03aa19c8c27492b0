"""Debian's chromium, headless, driven by selenium through Debian's chromedriver: for the tests and
the benchmark of the live preview. Nothing is downloaded: the driver's path is given, so selenium's
manager is never asked to find or fetch one."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from collections.abc import Iterator

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"  # setup.sh installs both (Debian's chromium, chromium-driver)


@contextmanager
def headless_chromium(width: int = 1200, height: int = 900) -> Iterator[webdriver.Chrome]:
    os.environ["SE_OFFLINE"] = "true"  # selenium's manager, should anything ask it, stays offline
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
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
    """The build the page shows (its pages loaded), and the first page that changed in it."""
    build, changed = driver.execute_script(
        "return [document.body.dataset.build || '0', document.body.dataset.changed || ''];"
    )
    return int(build), int(changed) if changed else None


def wait_for_build(driver: webdriver.Chrome, after: int, timeout: float = 60) -> tuple[int, int | None]:
    """Wait until the page shows a build later than `after`; (build, first changed page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        build, changed = shown_build(driver)
        if build > after:
            return build, changed
        time.sleep(0.01)
    raise TimeoutError(f"the page showed no build after build {after} within {timeout} s")
