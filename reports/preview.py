"""`build.py serve`: a document's pages in the browser, rebuilt and updated as its files change.

The page (templates/preview/) shows the pages of the last good build as
images (reports/page_images.py), offers its PDF, and lists the problems of
the last build above them, as the command line prints them. It hears of each
build through server-sent events (/events) and scrolls to the first page that
looks different. The builds are reports/rebuild.py's; a build hands over its
PDF as soon as it is typeset, and the pages are drawn while the build checks
it against its profile, to be shown only once it has passed.

What the server answers is a fixed set of addresses, served from memory and
from the preview page's own folder: no address is ever turned into a path, so
nothing of the data folder or the rest of the disk can be asked for. Like every
server of this tool it listens on 127.0.0.1 unless told otherwise
(reports/localserver.py).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

from .html import render_html
from .localserver import SECURITY_HEADERS, LocalHandler, LocalServer
from .page_images import PageImage, first_changed, page_images
from .pages import TEMPLATES
from .pipeline import BuildOptions
from .rebuild import Outcome, Rebuilder

PAGE_FOLDER = TEMPLATES / "preview"
STATIC = {"/preview.css": ("preview.css", "text/css"), "/preview.js": ("preview.js", "text/javascript")}
KEEP_ALIVE = 15  # seconds between comments on an idle event stream, so that a dead client is noticed


@dataclass
class _State:
    version: int = 0  # every change the page should hear of
    build: int = 0  # builds finished
    building: bool = True
    pages: list[PageImage] = field(default_factory=list)  # of the last good build
    previous: list[PageImage] = field(default_factory=list)  # still served to a page that has not caught up
    changed: int | None = None  # the first page that looks different after the last build
    pdf: bytes | None = None
    good_build: int = 0  # the build the pages and the PDF are from
    problems: tuple[str, ...] = ()
    finished: str = ""  # when the last build finished, hh:mm:ss
    seconds: float = 0.0
    summary: str = ""


class Preview:
    """What the page shows, updated by the builds and read by the page's requests."""

    def __init__(self, name: str, language: str):
        self.name, self.language = name, language
        self.filename = "document.pdf"  # the name the download is saved as: the build's default output's
        self._state = _State()
        self._changed = threading.Condition()
        self._closed = False
        self._encoders = ThreadPoolExecutor(2, thread_name_prefix="png")
        self._drawer = ThreadPoolExecutor(1, thread_name_prefix="pages")
        self._drawn: tuple[bytes, Future[list[PageImage]]] | None = None  # a PDF typeset, being checked

    def building(self) -> None:
        with self._changed:
            self._state.building = True
            self._publish()

    def typeset(self, pdf: bytes) -> None:
        """A build typeset its PDF and is checking it: draw its pages meanwhile, to show them if it passes."""
        with self._changed:
            earlier = self._state.pages
        self._drawn = (pdf, self._drawer.submit(page_images, pdf, self._encoders, earlier))

    def show(self, outcome: Outcome) -> None:
        """A build finished: its pages (which look different from before), or its problems."""
        with self._changed:
            earlier = self._state.pages
        drawn, self._drawn = self._drawn, None
        pages = None
        if outcome.ok and outcome.pdf:
            early = drawn[1].result() if drawn and drawn[0] == outcome.pdf else None
            pages = early or page_images(outcome.pdf, self._encoders, earlier)
        with self._changed:
            state = self._state
            state.build += 1
            state.building = False
            state.problems = outcome.problems
            state.finished, state.seconds, state.summary = time.strftime("%H:%M:%S"), outcome.seconds, outcome.summary
            if pages is not None:
                state.changed = first_changed(state.pages, pages)
                state.previous, state.pages = state.pages, pages
                state.pdf, state.good_build = outcome.pdf, state.build
                self.filename = outcome.default_output.name if outcome.default_output else self.filename
            else:
                state.changed = None
            self._publish()

    def _publish(self) -> None:
        self._state.version += 1
        self._changed.notify_all()

    def close(self) -> None:
        """Ends every event stream."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._drawer.shutdown(wait=False, cancel_futures=True)
        self._encoders.shutdown(wait=False, cancel_futures=True)

    def view(self) -> dict:
        """The state as the page's script reads it."""
        with self._changed:
            return self._view()

    def _view(self) -> dict:
        state = self._state
        return {
            "version": state.version,
            "build": state.build,
            "building": state.building,
            "pages": [{"src": f"/pages/{p.digest}.png", "width": p.width, "height": p.height} for p in state.pages],
            "changed": state.changed,
            "problems": list(state.problems),
            "pdf": f"/document.pdf?build={state.good_build}" if state.pdf is not None else None,
            "finished": state.finished,
            "seconds": round(state.seconds, 2),
            "summary": state.summary,
        }

    def next_view(self, seen: int, timeout: float) -> dict | None:
        """The state once it is newer than version `seen` (or {} after `timeout`); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._state.version > seen, timeout)
            if self._closed:
                return None
            return self._view() if self._state.version > seen else {}

    def image(self, digest: str) -> bytes | None:
        """The page's PNG, once encoded; None for a page not shown (or no longer)."""
        with self._changed:
            found = [page.png for page in (*self._state.pages, *self._state.previous) if page.digest == digest]
        try:
            return found[0].result() if found else None
        except CancelledError:  # the preview is stopping
            return None

    def pdf(self) -> bytes | None:
        with self._changed:
            return self._state.pdf


class PreviewServer(LocalServer):
    def __init__(self, host: str, port: int, preview: Preview):
        super().__init__(host, port, _Handler)
        self.preview = preview


class _Handler(LocalHandler):
    server: PreviewServer

    def answer(self, body: bool) -> None:
        preview = self.server.preview
        path = urlsplit(self.path).path
        if path == "/":
            page = render_html("preview/index.html", preview.language, name=preview.name)
            self.send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode(), body)
        elif path in STATIC:
            name, media_type = STATIC[path]
            self.send(HTTPStatus.OK, f"{media_type}; charset=utf-8", (PAGE_FOLDER / name).read_bytes(), body)
        elif path == "/events" and body:
            self._events()
        elif path == "/document.pdf" and (pdf := preview.pdf()) is not None:
            disposition = f'attachment; filename="{preview.filename}"'
            self.send(HTTPStatus.OK, "application/pdf", pdf, body, {"Content-Disposition": disposition})
        elif (image := re.fullmatch(r"/pages/([0-9a-f]{32})\.png", path)) and (png := preview.image(image[1])):
            # An image's address is its content: a browser may keep it as long as it likes.
            self.send(HTTPStatus.OK, "image/png", png, body, {"Cache-Control": "max-age=31536000, immutable"})
        else:
            self.send(HTTPStatus.NOT_FOUND, "text/plain", b"Not found.\n", body)

    def _events(self) -> None:
        """Server-sent events: the state now, then each change, until the client or the server goes."""
        self.send_response(HTTPStatus.OK)
        headers = {"Content-Type": "text/event-stream", "Cache-Control": "no-store", **SECURITY_HEADERS}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            while (view := self.server.preview.next_view(seen, KEEP_ALIVE)) is not None:
                if view:
                    self.wfile.write(f"data: {json.dumps(view)}\n\n".encode())
                    seen = view["version"]
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed


def serve(kind, options: BuildOptions, name: str, host: str, port: int) -> None:
    """Serve the preview until Ctrl-C or SIGTERM (KeyboardInterrupt): then stop the builds and the
    build process, and return."""
    preview = Preview(name, options.language or "en")
    server = PreviewServer(host, port, preview)
    rebuilder = Rebuilder(
        kind, options, on_build=_reporting(preview), on_start=preview.building, on_typeset=preview.typeset
    )
    builds = threading.Thread(target=rebuilder.run, name="builds", daemon=True)
    builds.start()
    print(f"Preview of {name} at http://{host}:{server.port}/ (Ctrl-C stops it)", flush=True)
    if server.names is None:
        print(f"warning: listening on {host}: anyone who can reach this machine can read the preview", flush=True)
    try:
        server.serve_forever()
    finally:
        rebuilder.stop()
        preview.close()
        server.server_close()
        builds.join(10)


def _reporting(preview: Preview):
    """Shows each build in the preview, and says in the terminal how it went."""

    def show(outcome: Outcome) -> None:
        preview.show(outcome)
        if outcome.ok:
            detail = f"; {outcome.summary}" if outcome.summary else ""
            print(f"{time.strftime('%H:%M:%S')} built in {outcome.seconds:.2f} s{detail}", flush=True)
        else:
            for line in outcome.problems:
                print(line, file=sys.stderr, flush=True)
            print(f"{time.strftime('%H:%M:%S')} not built; the preview shows the problems", flush=True)

    return show
