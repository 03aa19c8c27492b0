"""What every web server of this tool shares: it listens on 127.0.0.1 unless told otherwise, and then
answers only requests addressed to it by a loopback name (a web page elsewhere that renames its host to
127.0.0.1, "DNS rebinding", gets nothing); every answer carries the same security headers.

Used by the live preview (reports/preview.py) and by `serve --site` (reports/site/server.py).
"""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .problems import BuildError

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True  # an open connection never keeps the process alive
    block_on_close = False

    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]):
        try:
            super().__init__((host, port), handler)
        except OSError as error:
            raise BuildError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        self.port = self.server_address[1]
        # Bound to a loopback address, the server answers only to loopback names; bound elsewhere
        # (--host), to any.
        self.names = {f"{name}:{self.port}" for name in LOOPBACK} if host in LOOPBACK else None

    def answers(self, host_header: str) -> bool:
        return self.names is None or host_header in self.names


class LocalHandler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer_if_addressed_here(body=True)

    def do_HEAD(self) -> None:
        self._answer_if_addressed_here(body=False)

    def answer(self, body: bool) -> None:
        """Answer a request that named this server (a HEAD request: without the body)."""
        raise NotImplementedError

    def _answer_if_addressed_here(self, body: bool) -> None:
        if self.server.answers(self.headers.get("Host", "")):
            self.answer(body)
        else:
            self.send(HTTPStatus.FORBIDDEN, "text/plain", b"This server answers only at its own address.\n", body)

    def send(
        self,
        status: HTTPStatus,
        media_type: str,
        content: bytes,
        body: bool,
        headers: dict | None = None,
    ) -> None:
        self.send_response(status)
        for name, value in {
            "Content-Type": media_type,
            "Content-Length": str(len(content)),
            "Cache-Control": "no-store",
            **SECURITY_HEADERS,
            **(headers or {}),
        }.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(content)

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal says what the command does, not every request
