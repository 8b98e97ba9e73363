"""schemathesis (a third-party OpenAPI fuzzer) against the live API of `rawan serve`, with its
conformance checks: no server error, only documented status codes and content types, answers that
match their schemas and documented headers.  Anonymous, then with an operator's write token (the
entry operations fuzzed with generated documents), and with a PKD's write token (the TPS checklist
save fuzzed the same way).  No response-time check."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.web.ports import free_port

CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,response_headers_conformance")

pytestmark = [
    pytest.mark.slow,  # a server process and ~1,300 generated requests
    # the server gets its own SQLite file; the PostgreSQL pass of `make test` has run it already
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass"),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory, loaded_demo):
    data = tmp_path_factory.mktemp("rawan-schemathesis")
    # `rawan web load-demo` once per session (tests/web/conftest.py)
    env = loaded_demo.copy(data, RAWAN_CACHE_URL="locmem")
    run = [sys.executable, "-m", "rawan", "web"]
    out = subprocess.run([*run, "token", "create", "operator.kerinci", "--scope", "write", "--days", "7"],
                         env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    token = re.search(r"rwn_\S+", out).group(0)
    out = subprocess.run([*run, "token", "create", "pkd.demo", "--scope", "write", "--days", "7"],
                         env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    pkd_token = re.search(r"rwn_\S+", out).group(0)
    port = free_port()
    log = open(data / "server.log", "wb")  # a file, not a pipe: ~1,300 requests log more than a pipe holds
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(base + "/api/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("server did not start: " + (data / "server.log").read_text(errors="replace")[-2000:])
    yield base, {"operator-token": token, "pkd-token": pkd_token}, data
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    log.close()


def _schemathesis(base: str, data: Path, *extra: str) -> subprocess.CompletedProcess:
    exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    return subprocess.run([exe, "run", f"{base}/api/openapi.json", "--checks", CHECKS, "--max-examples", "30",
                           "--seed", "2024", "--no-color", "--report-dir", str(data / "st"), *extra],
                          capture_output=True, text=True, timeout=900, cwd=data)


@pytest.mark.parametrize("who", ["anonymous", "operator-token", "pkd-token"])
def test_schemathesis_finds_no_failure(api, who):
    """The PKD's token exercises the TPS checklist save (issue 17) with generated documents."""
    base, tokens, data = api
    extra = ("-H", f"Authorization: Bearer {tokens[who]}") if who in tokens else ()
    r = _schemathesis(base, data, *extra)
    tail = (r.stdout + r.stderr)[-4000:]
    assert r.returncode == 0, tail + (data / "server.log").read_text(errors="replace")[-1500:]
    assert re.search(r"\d+ generated, \d+ passed", r.stdout), tail
    assert "failure" not in r.stdout.split("SUMMARY")[-1].replace("0 failures", ""), tail
    assert "Tested: 18" in r.stdout, tail  # every operation of the document was exercised
