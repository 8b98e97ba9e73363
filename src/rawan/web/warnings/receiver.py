"""A small webhook receiver for trying rawan's webhooks on one machine (the demo) and for tests:
``python -m rawan.web.warnings.receiver --port 8099 --secret S [--out deliveries.jsonl]``.

It checks the ``X-Rawan-Signature`` header (HMAC-SHA256 of the body with the organisation's
secret), answers 401 when it does not match, and counts each ``X-Rawan-Delivery`` id once: a
delivery sent again (rawan sends at least once) is answered 200 and marked as a duplicate.  Each
message is printed and, with ``--out``, appended to a JSON-lines file.  A real receiver does the
same three things: verify, deduplicate by delivery id, answer 2xx quickly.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(secret: str, out: str | None, seen: set, lock: threading.Lock, delay: float = 0.0):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            if delay:  # a slow receiver (tests: the sender is killed while it waits)
                import time

                time.sleep(delay)
            expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            ok = hmac.compare_digest(expected, self.headers.get("X-Rawan-Signature", ""))
            did = self.headers.get("X-Rawan-Delivery", "")
            with lock:
                duplicate = did in seen
                if ok:
                    seen.add(did)
                record = {"delivery": did, "event": self.headers.get("X-Rawan-Event", ""), "signature_ok": ok,
                          "duplicate": duplicate}
                try:
                    record["body"] = json.loads(body)
                except ValueError:
                    record["body"] = None
                if out:
                    with open(out, "a", encoding="utf-8") as f:
                        f.write(json.dumps(record, ensure_ascii=False) + "\n")
            print(f"{'OK ' if ok else 'BAD'} {'dup ' if duplicate else ''}{record['event']} {did}", flush=True)
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # quiet: one line per delivery above
            return

    return Handler


def serve(port: int, secret: str, out: str | None = None, host: str = "127.0.0.1",
          delay: float = 0.0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(secret, out, set(), threading.Lock(), delay))
    return server


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="rawan webhook receiver (demo and tests)")
    p.add_argument("--port", type=int, default=8099)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--secret", required=True, help="the organisation's webhook secret")
    p.add_argument("--out", default=None, help="append every delivery to this JSON-lines file")
    p.add_argument("--delay", type=float, default=0.0, help="seconds to wait before answering (tests)")
    a = p.parse_args(argv)
    server = serve(a.port, a.secret, a.out, a.host, a.delay)
    print(f"rawan webhook receiver on http://{a.host}:{a.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
