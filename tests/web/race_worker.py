"""A separate process with its own Django and database connection, for the race tests.

``serve(conn, barrier, env)`` configures Django for ``env`` (DATABASE_URL, RAWAN_DATA_DIR), then
answers commands from the pipe.  Race commands wait on the shared barrier first, so both
processes hit the database at the same moment.
"""

from __future__ import annotations

import os
import traceback


def serve(conn, barrier, env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rawan.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    if env.get("RACE_MIGRATE"):
        call_command("migrate", verbosity=0, interactive=False)
    conn.send("ready")
    while True:
        cmd = conn.recv()
        if cmd is None:
            break
        try:
            conn.send(("ok", _run(cmd, barrier)))
        except Exception as e:  # reported to the parent, which fails the test with it
            conn.send(("error", f"{type(e).__name__}: {e}\n{traceback.format_exc()}"))
    from django.db import connections

    connections.close_all()


def _run(cmd, barrier):
    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import WorkflowError, publish, transition

    op = cmd[0]
    if op == "prepare":
        return _prepare()
    if op == "user":
        return _user(cmd[1])
    if op == "guesses":
        barrier.wait()
        return _guesses(cmd[1], cmd[2], cmd[3])
    if op == "inspect":
        return _inspect(cmd[1])
    if op == "prepare_collecting":
        return _prepare(collecting=True)
    if op == "save":
        return _save(cmd[1], cmd[2], barrier)
    if op == "close_publish":
        barrier.wait()
        ed = Edition.objects.get(pk=cmd[1])
        transition(ed, "verifikasi", expected="pengumpulan")
        return "won" if publish(ed) else "noop"
    barrier.wait()
    ed = Edition.objects.get(pk=cmd[1])
    try:
        if op == "publish":
            return "won" if publish(ed) else "noop"
        if op == "status":
            return "won" if transition(ed, cmd[2], expected=cmd[3]) else "noop"
    except WorkflowError:
        return "refused"
    raise ValueError(op)


def _prepare(collecting: bool = False) -> int:
    """A fresh computed edition in verification, every region verified (synthetic values); with
    ``collecting``, in data collection, its first region a draft (the others verified)."""
    from rawan.demo import JAMBI_KABKOTA, generate
    from rawan.engine.spec import load_spec, resolve_model_path
    from rawan.web.editions.models import Edition, Status
    from rawan.web.editions.services import freeze_model
    from rawan.web.entry.models import Submission

    spec = load_spec("ikp-2024")
    n = Edition.objects.count()
    demo = generate(spec, seed=n)
    ed = Edition(slug=f"race-{n}", title=f"DATA CONTOH race {n}", synthetic=True,
                 status=Status.COLLECTING if collecting else Status.VERIFYING,
                 level="kabupaten_kota", scope_code="15", regions=[[c, nm] for c, nm in JAMBI_KABKOTA])
    freeze_model(ed, resolve_model_path("ikp-2024").read_text(encoding="utf-8"), "ikp-2024")
    ed.save()
    Submission.objects.bulk_create([
        Submission(edition=ed, region_code=c, status="draft" if collecting and i == 0 else "verified",
                   values={k: (None if v != v else float(v)) for k, v in zip(demo.indicators, row)})
        for i, ((c, _), row) in enumerate(zip(JAMBI_KABKOTA, demo.kabkota_values))])
    return ed.pk


def _save(pk: int, value: float, barrier) -> str:
    """The entry form's save of the edition's first region (the draft), as the view does it:
    "saved" or "refused" (entry closed, judged under the lock)."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from rawan.web.entry.models import Submission
    from rawan.web.entry.state import diff, lock_for_entry

    sub = Submission.objects.filter(edition_id=pk, status="draft").get()
    values = {**sub.values, "i01": value}
    barrier.wait()
    try:
        with transaction.atomic():
            cur = lock_for_entry(sub)
            changed = diff(cur.values, values)
            cur.values = values
            cur.save()
            cur.log_action("rawan.submission.saved", data={"changed": changed, "notes": {}})
    except PermissionDenied:
        return "refused"
    return "saved"


def _inspect(pk: int) -> dict:
    import hashlib

    from rawan.web.audit.models import AuditEntry
    from rawan.web.editions.models import Edition

    ed = Edition.objects.get(pk=pk)
    return {"status": ed.status, "sha": ed.bundle_sha256,
            "bundle_sha": hashlib.sha256(bytes(ed.bundle)).hexdigest() if ed.bundle else "",
            "results": sorted(ed.results.values_list("region_code", "rank", "category")),
            "log": [(e.action, e.data.get("old"), e.data.get("new"))
                    for e in AuditEntry.objects.filter(edition=ed).order_by("id")],
            "draft": [(s.region_code, s.values.get("i01"), s.updated_at.isoformat())
                      for s in ed.submissions.filter(status="draft")],
            "saves": [(e.data["changed"].get("i01", [None, None])[1], e.when.isoformat())
                      for e in AuditEntry.objects.filter(edition=ed, action="rawan.submission.saved").order_by("id")],
            "when": {e.action: e.when.isoformat() for e in AuditEntry.objects.filter(edition=ed)}}


def _user(username: str) -> int:
    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import LoginFailure, Profile

    LoginFailure.objects.all().delete()
    u, _ = get_user_model().objects.get_or_create(username=username)
    u.set_password("x-correct-password-1")
    u.save()
    Profile.objects.get_or_create(user=u, defaults={"role": "viewer"})
    return u.pk


def _guesses(username: str, threads: int, first_addr: int) -> dict:
    """``threads`` wrong passwords at once, each thread with its own database connection."""
    import threading

    from django.contrib.auth.backends import ModelBackend
    from django.db import connections
    from django.test import Client

    checked, codes = [], []
    real = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kw):
        checked.append(username)
        return real(self, request, username=username, password=password, **kw)

    ModelBackend.authenticate = counting
    start = threading.Barrier(threads)

    def guess(i):
        try:
            start.wait()
            codes.append(Client(HTTP_HOST="127.0.0.1").post("/masuk/", {"username": username, "password": "wrong"},
                                       REMOTE_ADDR=f"203.0.113.{first_addr + i}").status_code)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=guess, args=(i,)) for i in range(threads)]
    try:
        for t in pool:
            t.start()
        for t in pool:
            t.join(120)
    finally:
        ModelBackend.authenticate = real
    return {"checked": len(checked), "codes": sorted(codes)}
