"""`build.py serve --site FOLDER`: a built site, served as any static web server would, to this
machine only (reports/localserver.py).

An address is a path inside the folder and nothing else: a segment '..' or a hidden name is refused,
and a file is served only if it lies inside the folder once links are resolved and has one of the
site's own kinds of file. A folder's address serves its index.html (a folder named without its
final '/' is redirected there, so that the page's relative links resolve).
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..localserver import LocalHandler, LocalServer
from ..problems import InputError, Problem, display_path
from .build import CONTENT_SECURITY_POLICY, MARK

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".pdf": "application/pdf",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}


class SiteServer(LocalServer):
    def __init__(self, host: str, port: int, root: Path):
        super().__init__(host, port, _Handler)
        self.root = root.resolve()


class _Handler(LocalHandler):
    server: SiteServer

    def answer(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        found = _file(self.server.root, path)
        headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
        if found is None:
            self.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.\n", body, headers)
        elif found.is_dir():
            self.send(HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", body, {**headers, "Location": path + "/"})
        else:
            self.send(HTTPStatus.OK, MEDIA_TYPES[found.suffix], found.read_bytes(), body, headers)


def _file(root: Path, path: str) -> Path | None:
    """The file (or, for an address without its final '/', the folder) an address names, if any."""
    parts = [part for part in path.split("/") if part]
    if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None
    candidate = root.joinpath(*parts)
    if path.endswith("/") or not parts:
        candidate = candidate / "index.html"
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(root):
        return None
    if resolved.is_dir():
        return resolved if (resolved / "index.html").is_file() else None
    return resolved if resolved.suffix in MEDIA_TYPES else None


def serve_site(folder: Path, host: str, port: int) -> None:
    """Serve the site until Ctrl-C or SIGTERM (KeyboardInterrupt)."""
    folder = Path(folder)
    if not (folder / MARK).is_file():
        message = "not a site built by 'build.py site' (no site.json); build one with: build.py site -o FOLDER"
        raise InputError([Problem(display_path(folder), 0, 0, "", message)])
    server = SiteServer(host, port, folder)
    print(f"Site {display_path(folder)} at http://{host}:{server.port}/ (Ctrl-C stops it)", flush=True)
    if server.names is None:
        print(f"warning: listening on {host}: anyone who can reach this machine can read the site", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
