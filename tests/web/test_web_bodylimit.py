"""Request bodies bounded before they are read: the middleware (any WSGI server), the upload
handler (streamed to a quota'd folder), and waitress under ``rawan serve`` (body cap, slow clients)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from tests.web.ports import free_port

TRAIN = "contoh-latihan-2026"
UPLOAD = f"/e/{TRAIN}/entri/unggah/"
GIB = 1024 ** 3


@pytest.fixture
def uploads(tmp_path, settings, monkeypatch):
    """The upload folder, and a record of every upload handler call."""
    from rawan.web import bodylimit

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    calls = []
    real = bodylimit.QuotaUploadHandler.new_file
    monkeypatch.setattr(bodylimit.QuotaUploadHandler, "new_file",
                        lambda self, *a, **k: (calls.append(a), real(self, *a, **k))[1])
    return tmp_path / "uploads", calls


def _files(d):
    return [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs] if d.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize("user, path, declared", [
    (None, UPLOAD, GIB),  # a 1 GiB anonymous body
    (None, "/masuk/", 100 * 1024),  # anonymous: 64 KiB
    ("op_kerinci", UPLOAD, 11 * 1024 * 1024),  # an upload: 10 MiB + envelope
    ("op_kerinci", f"/e/{TRAIN}/entri/15.01/", 2 * 1024 * 1024),  # a form: 1 MiB
    ("op_kerinci", f"/api/editions/{TRAIN}/entries/15.01", 2 * 1024 * 1024),
])
def test_declared_body_over_the_view_limit_is_refused_before_reading(as_user, uploads, user, path, declared):
    folder, calls = uploads
    body = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\n" + b"0" * 1000
    r = as_user(user).post(path, data=body, content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH=str(declared))
    assert r.status_code == 413
    assert calls == [] and _files(folder) == []  # no upload handler ran, no temporary file


@pytest.mark.django_db
def test_upload_streams_to_the_folder_and_stops_over_the_file_limit(as_user, uploads, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rawan.web import bodylimit

    folder, calls = uploads
    monkeypatch.setattr(bodylimit, "UPLOAD_FILE", 4000)
    op = as_user("op_kerinci")
    r = op.post(UPLOAD, {"file": SimpleUploadedFile("data.csv", b"kode,i01\n" + b"15.01,1\n" * 1000)})
    assert r.status_code == 413 and "lebih dari 10 MB" in r.content.decode()
    assert len(calls) == 1 and _files(folder) == []  # the partial file is gone
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


@pytest.mark.django_db
def test_upload_refused_when_the_folder_quota_is_taken(as_user, uploads, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    folder, _ = uploads
    folder.mkdir(mode=0o700)
    (folder / "other-upload").write_bytes(b"x" * 5000)
    settings.UPLOAD_QUOTA_BYTES = 5500
    r = as_user("op_kerinci").post(UPLOAD, {"file": SimpleUploadedFile("data.csv", b"kode,i01\n15.01,1\n" * 50)})
    assert r.status_code == 413 and "sedang sibuk" in r.content.decode()
    assert _files(folder) == [str(folder / "other-upload")]


# ---- the real server ------------------------------------------------------------------------------

def _port() -> int:
    if os.environ.get("RAWAN_TEST_PORT"):
        return int(os.environ["RAWAN_TEST_PORT"])
    return free_port()


def _die_with_parent():
    """The server ends with the test process, even when that one is killed (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve")
    port = _port()
    env = {**os.environ, "RAWAN_DATA_DIR": str(data), "RAWAN_CHANNEL_TIMEOUT": "2",
           "RAWAN_SECRET_KEY": "serve-" + "a1b2c3" * 10, "RAWAN_CACHE_URL": "locmem"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port), "--threads", "4"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(data / "server.log", "wb"),
                            preexec_fn=_die_with_parent)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((data / "server.log").read_text())
            time.sleep(0.3)
    yield port
    proc.terminate()
    proc.wait(20)


def _get(port, path="/") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


@pytest.mark.slow  # a server process
def test_server_refuses_a_1_gib_body_before_the_application(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as s:
        s.sendall((f"POST {UPLOAD} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                   f"Content-Length: {GIB}\r\n\r\n").encode() + b"0" * 65536)
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 413"), head[:200]


@pytest.mark.slow  # a server process
def test_slow_clients_are_cut_and_do_not_starve_the_server(server):
    slow = []
    for _ in range(150):  # more than waitress's default connection limit of 100
        s = socket.create_connection(("127.0.0.1", server), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finishes its headers
        slow.append(s)
    try:
        assert _get(server).startswith(b"HTTP/1.1 200")
        time.sleep(5)  # channel timeout 2 s, checked every second
        closed = 0
        for s in slow:
            s.settimeout(2)
            try:
                closed += s.recv(1024) == b""
            except (ConnectionResetError, TimeoutError, socket.timeout):
                closed += 0
        assert closed == len(slow)
    finally:
        for s in slow:
            s.close()
