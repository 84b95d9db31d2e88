"""A fixed day (Thursday 20 November 2025, as in tests/cases) and a fake SMS gateway: a real HTTP server on a
local port that records what it is sent and answers as told."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl  # noqa: F401 - imported before any freeze_time, so its date types stay real
import pytest
from freezegun import freeze_time

TODAY = dt.date(2025, 11, 20)


@pytest.fixture
def frozen():
    with freeze_time("2025-11-20 07:30:00+08:00"):
        yield TODAY


class FakeGateway:
    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        self.answer = {"code": "OK", "message": "OK"}


@pytest.fixture
def sms_gateway(settings):
    """SMS_GATEWAY_URL pointed at a local server; `.received` holds each request's JSON and headers."""
    fake = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.received.append({"json": json.loads(body), "authorization": self.headers.get("Authorization"),
                                  "path": self.path})
            data = json.dumps(fake.answer).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    settings.SMS_GATEWAY_KEY = "test-key"
    settings.SMS_SIGN_NAME = "示范县法援"
    settings.SMS_TEMPLATE_CODE = "SMS_0001"
    settings.SMS_TIMEOUT = 2.0
    yield fake
    server.shutdown()
    server.server_close()
