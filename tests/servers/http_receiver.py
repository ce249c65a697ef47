#!/usr/bin/env python3
"""A loopback HTTP receiver for Vigil's webhook, Slack, Teams and Mattermost tests and benchmarks.

    python3 tests/servers/http_receiver.py [--records FILE] [--secret whsec_...] [--port N]

  --records FILE   also append one JSON line per request received (control requests excluded)
  --secret SECRET  a Standard Webhooks secret: each request's webhook-id, webhook-timestamp and
                   webhook-signature headers are checked against it ("verified": true/false;
                   null without --secret)
  --port N         the port to listen on; default 0, a free one (printed)
  --keep N         how many records GET /_records keeps in memory (the latest; default 10000,
                   so a long benchmark does not grow without bound); --records has them all
  --exit-with-stdin  exit when stdin closes (how the Rust test kit ties us to its process;
                   not for a shell's background job, whose stdin may be closed already)

When ready it prints one JSON line to stdout: {"port": N, "url": "http://127.0.0.1:N"}.
It needs only the standard library (any python3) and runs until killed.

Every request to any path other than /_control and /_records is recorded as
  {"method", "path", "headers" {lowercase name: value}, "body" (text), "json" (parsed or null),
   "verified", "status" (what was answered), "at" (unix seconds)}
and answered by the response plan, 200 {"ok":true} by default.

Control:
  POST /_control  {"responses": [{"status": 500}, {"status": 429, "retryAfter": "2"},
                                 {"status": 410}, {"status": 200, "body": "x", "headers": {..}},
                                 {"hang": 5}, {"reset": true}],
                   "then": 200 | {"status": 200, ...}}
                  sets the plan: the next requests get these answers in order, later ones
                  "then". "hang": seconds to wait before answering (status after it, 200 by
                  default); "reset": the connection is closed with a TCP reset, no answer.
                  {"clear": true} also forgets the records.
  GET /_records   the records, as a JSON array.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"plan": [], "then": {"status": 200}, "records": []}
LOCK = threading.Lock()
ARGS = None
RECORDS = None  # the --records file, kept open


def verify(secret, headers, body):
    """Standard Webhooks: any v1 signature of "{id}.{timestamp}.{body}" under the secret."""
    msg_id = headers.get("webhook-id")
    stamp = headers.get("webhook-timestamp")
    sigs = headers.get("webhook-signature")
    if not (msg_id and stamp and sigs):
        return False
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    signed = f"{msg_id}.{stamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for sig in sigs.split(" "):
        version, _, value = sig.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def as_response(item):
    if isinstance(item, int):
        return {"status": item}
    return dict(item)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the records say it all
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the
        # body until the client's delayed ACK (40 ms) on a kept-alive connection, as no
        # production web server does.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read_body(self):
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("content-type", "application/json")
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        body = self.read_body()
        if self.path == "/_control" and self.command == "POST":
            plan = json.loads(body or b"{}")
            with LOCK:
                STATE["plan"] = [as_response(r) for r in plan.get("responses", [])]
                STATE["then"] = as_response(plan.get("then", 200))
                if plan.get("clear"):
                    STATE["records"] = []
            return self.reply(200, b'{"ok":true}')
        if self.path == "/_records" and self.command == "GET":
            with LOCK:
                data = json.dumps(STATE["records"]).encode()
            return self.reply(200, data)

        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        with LOCK:
            response = STATE["plan"].pop(0) if STATE["plan"] else dict(STATE["then"])
        record = {
            "method": self.command,
            "path": self.path,
            "headers": headers,
            "body": body.decode("utf-8", "replace"),
            "json": parsed,
            "verified": verify(ARGS.secret, headers, body) if ARGS.secret else None,
            "status": None if response.get("reset") else response.get("status", 200),
            "at": time.time(),
        }
        with LOCK:
            STATE["records"].append(record)
            if len(STATE["records"]) > ARGS.keep:
                del STATE["records"][: len(STATE["records"]) - ARGS.keep]
            if RECORDS:
                RECORDS.write(json.dumps(record) + "\n")
                RECORDS.flush()

        if response.get("hang"):
            time.sleep(float(response["hang"]))
        if response.get("reset"):
            # SO_LINGER 0: close() sends a RST instead of a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        headers_out = dict(response.get("headers") or {})
        if "retryAfter" in response:
            headers_out["retry-after"] = response["retryAfter"]
        out = response.get("body", '{"ok":true}')
        if not isinstance(out, str):
            out = json.dumps(out)
        try:
            self.reply(int(response.get("status", 200)), out.encode(), headers_out)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any



def exit_when_stdin_closes():
    """--exit-with-stdin: the Rust test kit holds our stdin open; when its process dies (even
    killed outright, when no Drop runs), the pipe closes and this server goes too."""
    def watch():
        while sys.stdin.buffer.read(65536):
            pass
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()

def main():
    global ARGS, RECORDS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records")
    parser.add_argument("--secret")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--keep", type=int, default=10000)
    parser.add_argument("--exit-with-stdin", action="store_true", help="exit when stdin closes (the test kit's pipe)")
    ARGS = parser.parse_args()
    if ARGS.exit_with_stdin:
        exit_when_stdin_closes()
    if ARGS.records:
        RECORDS = open(ARGS.records, "a", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    print(json.dumps({"port": port, "url": f"http://127.0.0.1:{port}"}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
