"""A local HTTP server that replays recorded OData responses, for tests without network.

In the spirit of httpx's mock transport, but a real server on ``127.0.0.1`` with a random port,
so the real client code (urllib, timeouts, retries) and even a ``wijkbeeld`` subprocess can talk
to it. Requests are matched on path and query parameters (order and percent-encoding ignored);
a route can hold several replies, served in turn, the last one repeating (``503`` then ``200``).
Unknown requests get a 404 with an OData error body. Recorded bodies keep the real host in
``odata.metadata`` and ``odata.nextLink``; ``origin`` is rewritten to the server's own address.

>>> with ReplayServer({"/x?$format=json": Reply(body=b'{"value": []}')}) as server:
...     import urllib.request
...     urllib.request.urlopen(server.base_url + "/x?%24format=json").read()
b'{"value": []}'

A recording folder holds ``recording.json``::

    {"origin": "https://opendata.cbs.nl",
     "interactions": [{"request": "/ODataApi/odata/85984NED/TableInfos?$format=json",
                       "status": 200, "body": "TableInfos.json"}, ...]}
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["ReplayServer", "Reply", "canonical_target", "load_recording"]

_JSON = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """One recorded answer. ``delay`` seconds pass before it is sent (to provoke timeouts)."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=lambda: {"Content-Type": _JSON})
    delay: float = 0.0

    @classmethod
    def json(cls, doc: Any, status: int = 200) -> Reply:
        """A reply with ``doc`` as its JSON body."""
        return cls(status=status, body=json.dumps(doc).encode("utf-8"))


def canonical_target(target: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Path and sorted, decoded query parameters of a request target."""
    parts = urllib.parse.urlsplit(target)
    query = tuple(sorted(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)))
    return urllib.parse.unquote(parts.path), query


def load_recording(folder: Path) -> tuple[str, dict[str, list[Reply]]]:
    """(origin, routes) of a recording folder (see the module docstring)."""
    folder = Path(folder)
    doc = json.loads((folder / "recording.json").read_text(encoding="utf-8"))
    routes: dict[str, list[Reply]] = {}
    for item in doc["interactions"]:
        body = (folder / item["body"]).read_bytes() if item.get("body") else b""
        reply = Reply(status=int(item.get("status", 200)), body=body)
        routes.setdefault(str(item["request"]), []).append(reply)
    return str(doc.get("origin", "")), routes


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    replay: ReplayServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        reply = self.server.replay.answer(self.path)
        body = reply.body
        origin = self.server.replay.origin
        if origin:
            body = body.replace(origin.encode(), self.server.replay.base_url.encode())
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, format: str, *args: Any) -> None:
        return


class ReplayServer:
    """A replaying HTTP server on 127.0.0.1; use as a context manager.

    ``routes`` maps request targets (``/path?query``) to one reply or a list served in turn.
    ``requests`` lists the targets received, in order, so tests can assert on retries and paging.
    """

    def __init__(
        self,
        routes: Mapping[str, Reply | Sequence[Reply]] | None = None,
        *,
        origin: str = "",
    ) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self._routes: dict[tuple[str, tuple[tuple[str, str], ...]], list[Reply]] = {}
        self._served: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        for target, replies in (routes or {}).items():
            if isinstance(replies, Reply):
                self.add(target, replies)
            else:
                self.add(target, *replies)

    @classmethod
    def from_recording(cls, folder: Path) -> ReplayServer:
        """A server for a recording folder."""
        origin, routes = load_recording(folder)
        return cls(routes, origin=origin)

    def add(self, target: str, *replies: Reply) -> None:
        """Add replies for ``target`` (after any already given for it)."""
        if not replies:
            raise ValueError("add() needs at least one reply")
        self._routes.setdefault(canonical_target(target), []).extend(replies)

    def replace(self, target: str, *replies: Reply) -> None:
        """Replace the replies for ``target``."""
        key = canonical_target(target)
        self._routes.pop(key, None)
        self._served.pop(key, None)
        self.add(target, *replies)

    def answer(self, target: str) -> Reply:
        """The next reply for a request target (404 when nothing was recorded for it)."""
        key = canonical_target(target)
        with self._lock:
            self.requests.append(target)
            replies = self._routes.get(key)
            if not replies:
                message = f"Resource not found for the segment '{key[0]}'."
                return Reply.json(
                    {"odata.error": {"code": "", "message": {"lang": "en-US", "value": message}}},
                    status=404,
                )
            n = self._served.get(key, 0)
            self._served[key] = n + 1
            return replies[min(n, len(replies) - 1)]

    def count(self, target: str) -> int:
        """How many requests for ``target`` arrived."""
        key = canonical_target(target)
        return sum(1 for t in self.requests if canonical_target(t) == key)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` of the running server."""
        if self._server is None:
            raise RuntimeError("the server is not running; use it in a with block")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> ReplayServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.replay = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None
