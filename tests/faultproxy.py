"""A loopback HTTP proxy in front of moto server that injects faults per SageMaker operation.

Faults: "throttle" (400 ThrottlingException), "500" (InternalFailure), "reset" (connection reset before forwarding),
"lose_response" (forwarded and done by moto, then the connection is reset: the answer is lost), "echo_auth" (a 403
whose message quotes the request's Authorization and token headers, as a hostile or broken server might),
"echo_auth_encoded" (the same, with the token URL-encoded, as a server quoting a query string would).
"""

from __future__ import annotations

import collections
import http.client
import json
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, urlparse


class FaultProxy:
    def __init__(self, upstream: str):
        self.upstream = urlparse(upstream)
        self.plan: dict[str, collections.deque[str]] = collections.defaultdict(collections.deque)
        self.injected: collections.Counter[str] = collections.Counter()
        self.forwarded: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                operation = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
                fault = proxy.next_fault(operation)
                if fault == "reset":
                    return self._reset()
                if fault == "throttle":
                    return self._error(400, "ThrottlingException", "Rate exceeded")
                if fault == "500":
                    return self._error(500, "InternalFailure", "We encountered an internal error. Please try again.")
                if fault == "echo_auth":
                    quoted = f"{self.headers.get('Authorization')} token={self.headers.get('X-Amz-Security-Token')}"
                    return self._error(403, "SignatureDoesNotMatch", f"The request signature is wrong: {quoted}")
                if fault == "echo_auth_encoded":
                    token = quote(self.headers.get("X-Amz-Security-Token") or "", safe="")
                    return self._error(403, "SignatureDoesNotMatch", f"Signature mismatch for ?token={token}")
                status, headers, payload = proxy.forward(self.command, self.path, self.headers, body)
                with proxy.lock:
                    proxy.forwarded[operation] += 1
                if fault == "lose_response":
                    return self._reset()
                self.send_response(status)
                for key, value in headers:
                    if key.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _error(self, status: int, code: str, message: str) -> None:
                payload = json.dumps({"__type": code, "message": message}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("x-amzn-ErrorType", code)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _reset(self) -> None:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def finish(self) -> None:
                try:
                    super().finish()
                except OSError:
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def next_fault(self, operation: str) -> str | None:
        with self.lock:
            queue = self.plan.get(operation)
            if queue:
                fault = queue.popleft()
                self.injected[fault] += 1
                return fault
        return None

    def inject(self, operation: str, *faults: str) -> None:
        with self.lock:
            self.plan[operation].extend(faults)

    def forward(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={k: v for k, v in headers.items() if k.lower() != "host"})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
