"""The live preview as an editor uses it: `build.py serve` in a subprocess on a copy of the data,
looked at in a real browser (headless chromium), edited, broken, fixed and stopped."""

from __future__ import annotations

import http.client
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from reports.html import render_html
from tests.conftest import DATA, pdf_pages_text, run_build
from tests.live import descendants, headless_chromium, serve, wait_for_build, wait_until_gone

ASSESSMENT = Path("data/countries/japan/rules-based-order.md")
COUNTRY = Path("data/countries/japan.yaml")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """`build.py serve japan` on a copy of the data, and a browser showing its first build."""
    folder = tmp_path_factory.mktemp("preview")
    shutil.copytree(DATA, folder / "data")
    command, url = serve(folder, "japan")
    try:
        with headless_chromium() as browser:
            browser.get(url)
            wait_for_build(browser, 0)
            yield folder, url, browser, command
    finally:
        command.kill()


def _pages(browser) -> list[str]:
    return [image.get_attribute("src") for image in browser.find_elements(By.CSS_SELECTOR, "#pages img")]


def _download(browser, folder: Path, name: str) -> Path:
    """The PDF the page offers, as a reader who clicks the link gets it."""
    link = browser.find_element(By.ID, "download")
    assert link.is_displayed() and link.text == "Download PDF"
    address = urlsplit(link.get_attribute("href"))
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)  # never through a proxy
    connection.request("GET", f"{address.path}?{address.query}")
    answer = connection.getresponse()
    assert answer.status == 200 and answer.getheader("Content-Type") == "application/pdf"
    assert answer.getheader("Content-Disposition") == 'attachment; filename="japan.pdf"'
    path = folder / name
    path.write_bytes(answer.read())
    return path


def test_the_page_shows_the_documents_pages(preview):
    folder, _, browser, _ = preview
    pdf = _download(browser, folder, "shown.pdf")
    images = browser.find_elements(By.CSS_SELECTOR, "#pages img")
    assert len(images) == len(pypdf.PdfReader(pdf).pages) >= 5
    loaded = "return arguments[0].every(image => image.complete && image.naturalWidth === 1588)"
    WebDriverWait(browser, 30).until(lambda browser: browser.execute_script(loaded, images))
    assert images[0].get_attribute("alt") == f"Page 1 of {len(images)}"
    assert "Japan" in pdf_pages_text(pdf)[0]
    assert browser.title == "Preview: japan"
    assert re.fullmatch(r"Built at \d\d:\d\d:\d\d in [\d.]+ s", browser.find_element(By.ID, "status").text)
    assert not browser.find_element(By.ID, "problems").is_displayed()


def test_an_edit_to_an_assessment_appears_on_its_page(preview):
    folder, _, browser, _ = preview
    before, (build, _) = _pages(browser), wait_for_build(browser, 0)
    text = (folder / ASSESSMENT).read_text(encoding="utf-8")
    edited = text.replace("Both are democracies", "Both are vivid democracies", 1)
    (folder / ASSESSMENT).write_text(edited, encoding="utf-8")
    try:
        _, changed = wait_for_build(browser, build)
        after = _pages(browser)
        assert changed is not None and after[changed] != before[changed]
        assert after[:changed] == before[:changed]  # the pages before the edit look as they did
        page = pdf_pages_text(_download(browser, folder, "edited.pdf"))[changed]
        assert "Both are vivid democracies" in " ".join(page.split())
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", _sheet(browser, changed))
        assert 0 <= top < 100  # scrolled to it, below the bar
    finally:
        (folder / ASSESSMENT).write_text(text, encoding="utf-8")
        wait_for_build(browser, build + 1)


def _sheet(browser, index: int):
    return browser.find_elements(By.CSS_SELECTOR, "#pages .sheet")[index]


def test_a_broken_yaml_file_is_shown_above_the_last_pages_until_it_is_fixed(preview):
    folder, _, browser, _ = preview
    build, _ = wait_for_build(browser, 0)
    pages = _pages(browser)
    text = (folder / COUNTRY).read_text(encoding="utf-8")
    broken = re.sub(r"^capital: .*$", "capital: {en: Tokyo", text, count=1, flags=re.M)  # an unclosed mapping
    (folder / COUNTRY).write_text(broken, "utf-8")
    try:
        build, _ = wait_for_build(browser, build)
        shown = browser.find_element(By.ID, "problem-lines").text.splitlines()
        cli = run_build("country", "japan", "--data", "data", "-o", "cli.pdf", cwd=folder)
        assert cli.returncode == 2 and shown == cli.stderr.splitlines()
        assert shown == [
            "data/countries/japan.yaml:4:7: YAML syntax error: expected ',' or '}', but got ':'",
            "1 problem found.",
        ]
        assert browser.find_element(By.ID, "last-good").is_displayed()
        assert _pages(browser) == pages  # the last good pages stay
    finally:
        (folder / COUNTRY).write_text(text, encoding="utf-8")
    wait_for_build(browser, build)
    assert not browser.find_element(By.ID, "problems").is_displayed()
    assert _pages(browser) == pages


def _listening(pids: set[int]) -> list[str]:
    """The local addresses the processes listen on (TCP, IPv4 and IPv6), as hex from /proc/net."""
    sockets = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                target = fd.readlink().as_posix()
            except OSError:
                continue
            if target.startswith("socket:["):
                sockets.add(target[8:-1])
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in sockets:  # 0A: listening
                addresses.append(fields[1].split(":")[0])
    return addresses


def test_nothing_listens_beyond_this_machine(preview):
    _, url, _, command = preview
    listening = _listening({command.process.pid, *descendants(command.process.pid)})
    assert listening == ["0100007F"]  # 127.0.0.1, and that alone
    port = int(url.rsplit(":", 1)[1].strip("/"))
    addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    for address in [a for a in addresses if "." in a and not a.startswith("127.")]:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


@pytest.mark.parametrize(
    "path",
    [
        "/data/countries/japan.yaml",
        "/../data/atlas.yaml",
        "/%2e%2e/data/atlas.yaml",
        "/preview.js/../../build.py",
        "/..%2f..%2fetc/passwd",
        "//etc/passwd",
        "/templates/preview/index.html",
        "/pages/../../data/atlas.yaml",
        "/pages/0123456789abcdef0123456789abcdef.png",
    ],
)
def test_only_the_previews_own_files_are_served(preview, path):
    _, url, _, _ = preview
    connection = http.client.HTTPConnection(*url[7:-1].split(":"), timeout=5)
    connection.request("GET", path)  # sent as written, not tidied up by a client
    answer = connection.getresponse()
    assert (answer.status, answer.read()) == (404, b"Not found.\n")


def test_a_request_for_another_host_name_is_refused(preview):
    """A page elsewhere whose name is made to point at 127.0.0.1 (DNS rebinding) reads nothing."""
    _, url, _, _ = preview
    connection = http.client.HTTPConnection(*url[7:-1].split(":"), timeout=5)
    connection.request("GET", "/document.pdf", headers={"Host": "atlas.example:80"})
    assert connection.getresponse().status == 403


def test_ctrl_c_stops_the_preview_and_its_build_process(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    command, _ = serve(tmp_path, "japan")
    try:
        command.line(r"built in [\d.]+ s")
        started = descendants(command.process.pid)
        assert started  # the warm build process
        assert command.stop(signal.SIGINT) == 0
        command.line("^preview stopped$", timeout=5)
        assert wait_until_gone(started) == set()
    finally:
        command.kill()


def test_sigterm_during_a_book_build_leaves_no_worker_behind(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    command, _ = serve(tmp_path, "region", "asia-pacific", "--jobs", "2")
    try:
        started: set[int] = set()
        for _ in range(600):  # the build process, its fork server and two chapter workers
            started |= descendants(command.process.pid)
            if len(started) >= 4:
                break
            time.sleep(0.05)
        assert len(started) >= 4
        assert command.stop(signal.SIGTERM) == 0
        assert wait_until_gone(started) == set()
    finally:
        command.kill()


def test_the_page_speaks_the_documents_language():
    page = render_html("preview/index.html", "de", name="japan")
    assert '<html lang="de">' in page and "<title>Vorschau: japan</title>" in page
    assert "PDF herunterladen" in page and 'data-page-label="Seite {page} von {pages}"' in page
