"""A small SMS gateway, run as its own process by the fault tests: ``python -m tests.faults.sms_gateway PORT [PHONE…]``.

POST /send takes ``{"phone", "text", "key"}``; it answers 503 for the numbers it is told to refuse, and delivers a
key once (a repeated key, as after a lost answer, is acknowledged and not delivered again), as real gateways do with
an idempotency key. GET /state reports every delivery and every request; POST /refuse replaces the refused numbers.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Gateway:
    def __init__(self, refused: set[str]) -> None:
        self.lock = threading.Lock()
        self.refused = refused
        self.deliveries: list[dict[str, str]] = []
        self.keys: set[str] = set()
        self.requests: list[dict[str, Any]] = []  # every POST /send: phone, key and the status answered

    def send(self, message: dict[str, str]) -> int:
        with self.lock:
            status = 503 if message["phone"] in self.refused else 200
            self.requests.append({"phone": message["phone"], "key": message["key"], "status": status})
            if status == 200 and message["key"] not in self.keys:
                self.keys.add(message["key"])
                self.deliveries.append(message)
            return status

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"deliveries": list(self.deliveries), "requests": list(self.requests)}


def handler_for(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> Any:
            return json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")

        def do_POST(self) -> None:
            if self.path == "/send":
                message = self._body()
                status = gateway.send(message)
                self._answer(status, {"ok": status == 200})
            elif self.path == "/refuse":
                with gateway.lock:
                    gateway.refused = set(self._body())
                self._answer(200, {"ok": True})
            else:
                self._answer(404, {"ok": False})

        def do_GET(self) -> None:
            self._answer(200, gateway.state()) if self.path == "/state" else self._answer(404, {"ok": False})

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the tests read /state
            pass

    return Handler


def main() -> None:
    port, refused = int(sys.argv[1]), set(sys.argv[2:])
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(Gateway(refused)))
    server.serve_forever()


if __name__ == "__main__":
    main()
