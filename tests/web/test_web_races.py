"""Races between two processes, each with its own database connection (SQLite file, or a
PostgreSQL database beside the test database when the suite runs on PostgreSQL).

Publish against a status change and publish against publish, 50 times each: exactly one wins
every time, the bundle never changes after publication, and the audit log agrees.  An operator's
save against the close-and-publish of its edition, 50 times: the save is refused, or fully in
(value and audit entry) before the edition left data collection, never half.  And twenty
wrong passwords at once (two processes x ten threads, each with its own connection): exactly
the lock-out limit of them is checked, the rest refused.
"""

from __future__ import annotations

import multiprocessing as mp

import pytest

ROUNDS = 50

pytestmark = pytest.mark.slow  # several processes: make test, not make quick


@pytest.fixture(scope="module")
def racers(tmp_path_factory):
    from django.db import connection

    data = tmp_path_factory.mktemp("race")
    env = {"RAWAN_DATA_DIR": str(data), "RAWAN_SECRET_KEY": "race-" + "k3y9z1" * 10}
    drop = None
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        name = f"{s['NAME']}_race"[:63]
        admin = psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"],
                                dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"

        def drop():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    else:
        env["DATABASE_URL"] = f"sqlite:///{data / 'race.sqlite3'}"
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs, pipes = [], []
    for i in range(2):
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_serve, args=(child, barrier, {**env, "RACE_MIGRATE": "1" if i == 0 else ""}))
        p.start()
        assert parent.recv() == "ready"  # the first one migrates before the second starts
        procs.append(p)
        pipes.append(parent)
    yield pipes
    for c in pipes:
        c.send(None)
    for p in procs:
        p.join(30)
        if p.is_alive():
            p.kill()
    if drop:
        drop()


def _serve(conn, barrier, env):
    from tests.web.race_worker import serve

    serve(conn, barrier, env)


def _ask(pipe, cmd):
    pipe.send(cmd)
    status, value = pipe.recv()
    assert status == "ok", value
    return value


def _race(pipes, a, b):
    pipes[0].send(a)
    pipes[1].send(b)
    out = []
    for p in pipes:
        status, value = p.recv()
        assert status == "ok", value
        out.append(value)
    return out


def test_publish_races_status_change(racers):
    for i in range(ROUNDS):
        pk = _ask(racers[0], ("prepare",))
        order = [("publish", pk), ("status", pk, "pengumpulan", "verifikasi")]
        if i % 2:
            order.reverse()
        got = dict(zip([c[0] for c in order], _race(racers, *order)))
        assert sorted(got.values()) == ["refused", "won"], got  # exactly one wins
        state = _ask(racers[0], ("inspect", pk))
        if got["publish"] == "won":
            assert state["status"] == "terbit" and state["sha"] == state["bundle_sha"] != ""
            assert state["log"] == [("rawan.edition.published", "verifikasi", "terbit")]
            # the bundle never changes after publication: two more publishes do nothing
            assert _race(racers, ("publish", pk), ("publish", pk)) == ["noop", "noop"]
            assert _ask(racers[1], ("inspect", pk)) == state
        else:
            assert state["status"] == "pengumpulan" and state["sha"] == state["bundle_sha"] == ""
            assert state["log"] == [("rawan.edition.status", "verifikasi", "pengumpulan")]


def test_publish_races_publish(racers):
    for _ in range(ROUNDS):
        pk = _ask(racers[0], ("prepare",))
        got = _race(racers, ("publish", pk), ("publish", pk))
        assert sorted(got) == ["noop", "won"], got
        state = _ask(racers[0], ("inspect", pk))
        assert state["status"] == "terbit" and state["sha"] == state["bundle_sha"] != ""
        assert state["log"] == [("rawan.edition.published", "verifikasi", "terbit")]
        # the bundle never changes after publication: publishing again, or moving it back, does nothing
        assert _race(racers, ("publish", pk), ("status", pk, "pengumpulan", "terbit")) == ["noop", "refused"]
        again = _ask(racers[1], ("inspect", pk))
        assert (again["sha"], again["results"], again["log"]) == (state["sha"], state["results"], state["log"])


def test_save_races_close_and_publish(racers):
    outcomes = set()
    for i in range(ROUNDS):
        pk = _ask(racers[0], ("prepare_collecting",))
        before = _ask(racers[0], ("inspect", pk))["draft"]
        value = 1000.0 + i
        saved, published = _race(racers, ("save", pk, value), ("close_publish", pk))
        assert published == "won"
        state = _ask(racers[1], ("inspect", pk))
        assert state["status"] == "terbit"
        assert [a for a, *_ in state["log"] if a != "rawan.submission.saved"] == [
            "rawan.edition.status", "rawan.edition.published"]
        outcomes.add(saved)
        if saved == "refused":  # nothing of it: value, time and log as before
            assert state["draft"] == before and state["saves"] == []
        else:  # all of it, and before the edition left data collection
            (code, got, updated), = state["draft"]
            assert got == value and state["saves"][0][0] == value and len(state["saves"]) == 1
            assert state["log"][0][0] == "rawan.submission.saved"  # ahead of the status change
            assert updated <= state["when"]["rawan.edition.status"]
            assert state["saves"][0][1] <= state["when"]["rawan.edition.status"]
    assert outcomes <= {"saved", "refused"}


def test_parallel_guesses_get_exactly_the_lockout_limit(racers):
    from django.conf import settings

    limit = settings.LOCKOUT_FAILURES
    for _ in range(3):
        _ask(racers[0], ("user", "paralel"))
        a, b = _race(racers, ("guesses", "paralel", 10, 0), ("guesses", "paralel", 10, 100))
        assert a["checked"] + b["checked"] == limit  # passwords checked: exactly the limit
        codes = sorted(a["codes"] + b["codes"])
        # the checked ones answer 401 (the last one 429 if it finished after the others locked the name)
        assert codes.count(401) in (limit - 1, limit) and codes.count(401) + codes.count(429) == 20
