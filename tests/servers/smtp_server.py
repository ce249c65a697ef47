#!/usr/bin/env python3
"""A loopback SMTP server for Vigil's email tests (aiosmtpd + trustme).

    smtp_server.py --records FILE [--mode starttls|tls|plain] [--ca-pem PATH]
                   [--user USER --password PASSWORD] [--control FILE]
                   [--fail-next CODE --fail-count N]

  --mode starttls  (default) STARTTLS required before MAIL, AUTH PLAIN/LOGIN required
                   (only after STARTTLS) when --user is given.
  --mode tls       implicit TLS from the first byte (port 465 style); AUTH required when
                   --user is given.
  --mode plain     no TLS, no AUTH.
  --ca-pem PATH    where the throw-away CA's PEM is written (the client must trust it); the
                   server certificate is for 127.0.0.1 and localhost. Not written in plain mode.
  --records FILE   one JSON line per accepted or refused message:
                   {"mail_from", "rcpt_tos", "content" (text), "content_b64", "authenticated"
                   (the login, or null), "answer" (the reply to DATA), "headers" (decoded,
                   lowercase names), "contentType", "parts" [{"contentType", "text"}]}.
  --control FILE   read before each DATA: {"codes": [451, 550, ...]}: the next messages are
                   answered with these codes (one per message, consumed in order).
  --fail-next CODE --fail-count N   the same from the command line.
  --exit-with-stdin  exit when stdin closes (how the Rust test kit ties us to its process).

When ready it prints one JSON line to stdout: {"port": N, "mode": ..., "caPem": PATH|null},
the port being a free one it picked itself. It runs until killed.
"""
import argparse
import asyncio
import base64
import email
import email.policy
import json
import os
import socket
import ssl
import sys
import threading
import time

import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

REPLIES = {
    421: "421 4.3.0 Service shutting down (test)",
    450: "450 4.2.0 Mailbox busy (test)",
    451: "451 4.3.0 Temporary failure, try again later (test)",
    452: "452 4.3.1 Insufficient storage (test)",
    550: "550 5.7.1 Message refused (test)",
    552: "552 5.3.4 Message too big (test)",
    554: "554 5.7.0 Transaction failed (test)",
}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, args):
        self.args = args
        self.pending = [args.fail_next] * args.fail_count if args.fail_next else []
        self.lock = threading.Lock()

    def next_code(self):
        with self.lock:
            if self.pending:
                return self.pending.pop(0)
            path = self.args.control
            if not path or not os.path.exists(path):
                return None
            with open(path) as f:
                try:
                    plan = json.load(f)
                except ValueError:
                    return None
            codes = plan.get("codes") or []
            if not codes:
                return None
            code = codes.pop(0)
            plan["codes"] = codes
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(plan, f)
            os.replace(tmp, path)
            return int(code)

    async def handle_DATA(self, server, session, envelope):
        code = self.next_code()
        answer = REPLIES.get(code, f"{code} Refused (test)") if code else "250 2.0.0 Ok: queued as VIGILTEST"
        login = None
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            login = session.auth_data.login.decode("utf-8", "replace")
        content = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        record = {
            **parsed(content),
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "content": content.decode("utf-8", "replace"),
            "content_b64": base64.b64encode(content).decode(),
            "authenticated": login,
            "answer": answer,
            "at": time.time(),
        }
        with self.lock, open(self.args.records, "a") as f:
            f.write(json.dumps(record) + "\n")
        return answer


def parsed(content):
    """The message as Python's email package reads it: decoded headers (first of each name,
    lowercase) and each leaf part's content type and decoded text."""
    message = email.message_from_bytes(content, policy=email.policy.default)
    headers = {}
    for name, value in message.items():
        headers.setdefault(name.lower(), str(value))
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            text = part.get_content()
        except (LookupError, ValueError):
            text = None
        parts.append({"contentType": part.get_content_type(), "text": text if isinstance(text, str) else None})
    return {"headers": headers, "contentType": message.get_content_type(), "parts": parts}


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode("utf-8", "replace") == user
            and auth_data.password.decode("utf-8", "replace") == password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check



def exit_when_stdin_closes():
    """--exit-with-stdin: the Rust test kit holds our stdin open; when its process dies (even
    killed outright, when no Drop runs), the pipe closes and this server goes too."""
    def watch():
        while sys.stdin.buffer.read(65536):
            pass
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["starttls", "tls", "plain"], default="starttls")
    parser.add_argument("--records", required=True)
    parser.add_argument("--ca-pem")
    parser.add_argument("--user")
    parser.add_argument("--password", default="")
    parser.add_argument("--control")
    parser.add_argument("--fail-next", type=int)
    parser.add_argument("--fail-count", type=int, default=1)
    parser.add_argument("--exit-with-stdin", action="store_true", help="exit when stdin closes (the test kit's pipe)")
    args = parser.parse_args()
    if args.exit_with_stdin:
        exit_when_stdin_closes()
    open(args.records, "a").close()

    ctx = None
    if args.mode != "plain":
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        if args.ca_pem:
            ca.cert_pem.write_to_path(args.ca_pem)

    server_kwargs = {}
    if args.user:
        server_kwargs["authenticator"] = authenticator(args.user, args.password)
        server_kwargs["auth_required"] = True
    if args.mode == "starttls":
        server_kwargs.update(tls_context=ctx, require_starttls=True, auth_require_tls=True)
    elif args.mode == "tls":
        # The TLS is the socket's, which the SMTP layer does not see: it would refuse AUTH.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        server_kwargs["auth_require_tls"] = False
    else:
        server_kwargs["auth_require_tls"] = False

    port = free_port()
    controller = Controller(
        Handler(args),
        hostname="127.0.0.1",
        port=port,
        ssl_context=ctx if args.mode == "tls" else None,
        server_hostname="localhost",
        server_kwargs=server_kwargs,
    )
    controller.start()
    print(json.dumps({"port": port, "mode": args.mode, "caPem": args.ca_pem if ctx else None}), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
