"""``rawan serve`` and ``rawan web ...``: the web application from the command line."""

from __future__ import annotations

import os
from typing import Optional

import typer

from .app import app
from .ui import State, console

web_app = typer.Typer(no_args_is_help=True, help="Aplikasi web: data demo, pengguna / the web application: demo data, users.")
app.add_typer(web_app, name="web")

UI = {
    "id": {"serving": "rawan melayani di http://{host}:{port}/ (basis data: {db}). Hentikan dengan Ctrl+C.",
           "loaded": "Demo Jambi dimuat. Kata sandi berikut hanya ditampilkan SEKALI ini; simpan sekarang:",
           "already": "Demo sudah dimuat sebelumnya (kata sandi ditampilkan saat itu). Pakai --reset untuk memuat ulang dengan kata sandi baru.",
           "user": "Pengguna {u} ({role}) dibuat. Kata sandi (ditampilkan sekali): {pw}",
           "compiled": "Dikompilasi: {path}",
           "nouser": "Pengguna {u} tidak ada.",
           "password": "Kata sandi baru untuk {u} (ditampilkan sekali): {pw}",
           "deactivated": "{u} dinonaktifkan: tidak dapat masuk, token API ditolak.",
           "reactivated": "{u} dapat masuk lagi.",
           "unchanged": "{u} sudah dalam keadaan itu; tidak ada yang berubah.",
           "token": "Token {id} untuk {u}, berlaku sampai {until} (ditampilkan sekali): {token}",
           "notoken": "Tidak ada token {id}.",
           "revoked": "{u} dicabut: ditolak mulai sekarang.",
           "serving_workers": "rawan melayani di http://{host}:{port}/ dengan {n} proses gunicorn (basis data: {db}). Hentikan dengan Ctrl+C.",
           "no_workers": "Windows tidak punya gunicorn: gunakan --threads (satu proses waitress).",
           "with_worker": "Worker tugas latar berjalan di samping server (pid {pid}).",
           "backup": "Cadangan ditulis: {path} ({engine}; {n} edisi terbit, {audit} entri log audit, {files} berkas).",
           "restored": "Dipulihkan dari {path} ({engine}): {n} edisi terbit dengan bundel identik byte demi byte, "
                       "{audit} entri log audit, {files} berkas.",
           "chain_ok": "Log audit utuh: {n} entri, rantai hash cocok. Sidik log (simpan bersama cadangan): {hash}",
           "users_made": "{n} akun dibuat. Kata sandi sekali pakai hanya ada di {path}: cetak, bagikan per baris, lalu hapus berkasnya.",
           "users_shown": "{n} akun dibuat. Kata sandi sekali pakai (ditampilkan sekali ini):",
           "nofile": "Berkas {f} tidak ada.",
           "users_none": "Tidak ada akun yang dibuat. Perbaiki berkasnya:",
           "users_out": "--out harus berkas .html (daftar yang dapat dicetak): {path}",
           "chain_bad": "Log audit RUSAK setelah {n} entri yang cocok: entri {id} ({action}) tidak cocok dengan rantai hash (diubah atau ada yang dihapus)."},
    "en": {"serving": "rawan serving at http://{host}:{port}/ (database: {db}). Stop with Ctrl+C.",
           "loaded": "Jambi demo loaded. These passwords are shown only ONCE; save them now:",
           "already": "The demo was loaded before (its passwords were printed then). Use --reset to reload with new passwords.",
           "user": "User {u} ({role}) created. Password (shown once): {pw}",
           "compiled": "Compiled: {path}",
           "nouser": "There is no user {u}.",
           "password": "New password for {u} (shown once): {pw}",
           "deactivated": "{u} is deactivated: cannot log in, API tokens refused.",
           "reactivated": "{u} can log in again.",
           "unchanged": "{u} was already so; nothing changed.",
           "token": "Token {id} for {u}, valid until {until} (shown once): {token}",
           "notoken": "There is no token {id}.",
           "revoked": "{u} revoked: refused from now on.",
           "serving_workers": "rawan serving at http://{host}:{port}/ with {n} gunicorn processes (database: {db}). Stop with Ctrl+C.",
           "no_workers": "Windows has no gunicorn: use --threads (one waitress process).",
           "with_worker": "Background worker running beside the server (pid {pid}).",
           "backup": "Backup written: {path} ({engine}; {n} published editions, {audit} audit entries, {files} files).",
           "restored": "Restored from {path} ({engine}): {n} published editions with byte-identical bundles, "
                       "{audit} audit entries, {files} files.",
           "chain_ok": "Audit log intact: {n} entries, the hash chains match. Log fingerprint (keep it with the backups): {hash}",
           "users_made": "{n} accounts created. The one-time passwords are only in {path}: print it, hand out each line, then delete the file.",
           "users_shown": "{n} accounts created. One-time passwords (shown only this once):",
           "nofile": "There is no file {f}.",
           "users_none": "Nothing was created. Correct the file:",
           "users_out": "--out must be an .html file (the printable list): {path}",
           "chain_bad": "Audit log BROKEN after {n} matching entries: entry {id} ({action}) does not match the hash chain (changed, or entries removed)."},
}


def _t(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _django(migrate: bool = True) -> None:
    from ..web import migrate as migrate_database, setup

    setup()
    if migrate:
        migrate_database()


def default_base_url(host: str, port: int) -> None:
    """Links in alert e-mails (RAWAN_BASE_URL, read by the server and the worker it starts) point at
    the address being served unless set: ``rawan serve --port 8450`` no longer mails :8000 links.
    A wildcard address (0.0.0.0, ::) names no host: the setting's default stays."""
    if not os.environ.get("RAWAN_BASE_URL") and host not in ("0.0.0.0", "::", ""):
        os.environ["RAWAN_BASE_URL"] = f"http://{'[' + host + ']' if ':' in host else host}:{port}"


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Alamat / address."),
    port: int = typer.Option(8000, "--port", help="Port."),
    threads: int = typer.Option(8, "--threads", help="Utas pelayan / server threads (per proses / per process)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Proses pelayan (gunicorn; Linux/macOS) / server processes."),
    with_worker: bool = typer.Option(False, "--worker", help="Jalankan juga satu worker tugas latar (rawan worker) / also run one background worker."),
):
    """Jalankan aplikasi web (waitress; --workers N: gunicorn dengan N proses; migrasi diterapkan)."""
    from ..web.posix import can_fork

    if workers > 1 and not can_fork():  # gunicorn forks its workers: POSIX only
        raise typer.BadParameter(_t("no_workers"), param_hint="--workers")
    default_base_url(host, port)
    _django()
    if not with_worker:
        return _serve(host, port, threads, workers)
    from ..web.tasks import start_worker, stop_worker

    proc, starter = start_worker(env={"RAWAN_WORKER_PARENT": str(os.getpid())}), os.getpid()
    console.print(_t("with_worker", pid=proc.pid))

    def _term(signum, frame):  # SIGTERM (systemd, kill): leave through the finally below
        raise SystemExit(0)

    import signal

    signal.signal(signal.SIGTERM, _term)
    try:
        _serve(host, port, threads, workers)
    finally:
        if os.getpid() == starter:  # not in gunicorn's forked processes
            stop_worker(proc)


def _serve(host: str, port: int, threads: int, workers: int) -> None:
    from django.conf import settings

    from ..web.wsgi import application

    warm_server()
    if workers > 1:
        from ..web.server import gunicorn_options, run_gunicorn

        console.print(_t("serving_workers", host=host, port=port, n=workers, db=settings.DATABASES["default"]["NAME"]))
        run_gunicorn(application, gunicorn_options(host, port, workers, threads, settings.HTTPS))
        return
    from waitress import serve as waitress_serve

    proxy = {}
    if settings.HTTPS:  # behind a TLS proxy: trust its X-Forwarded-Proto/For (waitress drops them otherwise)
        proxy = {"trusted_proxy": os.environ.get("RAWAN_TRUSTED_PROXY", "127.0.0.1"),
                 "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
                 "clear_untrusted_proxy_headers": True}
    console.print(_t("serving", host=host, port=port, db=settings.DATABASES["default"]["NAME"]))
    from ..web.bodylimit import waitress_options

    waitress_serve(application, host=host, port=port, threads=threads, ident="rawan",
                   **waitress_options(), **proxy)


def warm_server() -> None:
    """What every process would otherwise load on its first request, loaded before the first visitor
    (with gunicorn's preload, once in the parent and shared by the workers): the default boundaries
    (rawan.regions.defaults), the URL configuration with every view module it imports (the engine,
    numpy, pyarrow, and pandas, which pyarrow imports on first use) with the patterns ``reverse()`` uses,
    the templates' engine and base page, and the build identity the shared caches' keys hold
    (rawan.web.build)."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    from ..engine import RawanError
    from ..regions.boundaries import load_boundaries
    from ..web.build import build_id

    try:
        load_boundaries()
    except (RawanError, OSError):  # no boundaries: maps fall back to the tile grid
        pass
    get_resolver().url_patterns  # noqa: B018 (imports rawan.web.urls and every view module)
    get_resolver().reverse_dict  # noqa: B018 (the patterns reverse() matches, compiled once)
    get_template("rawan/base.html")  # the template engine, its tag libraries and the base page, compiled
    try:  # pyarrow imports pandas on the first array it converts (~0.3 s): before the first visitor
        import pandas  # noqa: F401
    except ImportError:
        pass
    build_id()


@web_app.command("load-demo")
def load_demo_cmd(reset: bool = typer.Option(False, "--reset", help="Muat ulang (menghapus edisi demo) / reload.")):
    """Muat demo Jambi: edisi sintetis ikp-2024, hasil terbit asli, satu pengguna per peran."""
    _django()
    from ..web.demo import load_demo

    passwords = load_demo(reset=reset)
    if passwords is None:
        console.print(_t("already"))
        return
    console.print(_t("loaded"))
    for u, pw in passwords.items():
        console.print(f"  {u:<20} {pw}")


@web_app.command("create-user")
def create_user_cmd(
    username: str = typer.Argument(..., help="Nama pengguna / username."),
    role: str = typer.Option(..., "--role", help="admin, operator, verifier, viewer."),
    region: Optional[str] = typer.Option(None, "--region", help="Kode kab/kota operator, mis. 15.01."),
    organisation: str = typer.Option("", "--organisation", help="Lembaga / organisation."),
):
    """Buat pengguna dengan peran; kata sandi dibuat acak dan ditampilkan sekali."""
    _django()
    from ..web.demo import create_user

    try:
        pw = create_user(username, role, region or "", organisation)
    except ValueError as e:
        from ..web.accounts.models import Role

        raise typer.BadParameter(str(e), param_hint="--role" if role not in Role.values else "--region") from None
    console.print(_t("user", u=username, role=role, pw=pw))


@web_app.command("create-users")
def create_users_cmd(
    file: str = typer.Argument(..., help="CSV: kode_desa, boleh username, nama, peran (pkd/panwascam) / the CSV."),
    out: Optional[str] = typer.Option(None, "--out", "-o",
                                      help="Daftar kata sandi sekali pakai yang dapat dicetak (.html) / printable list."),
    user: Optional[str] = typer.Option(None, "--user", help="Admin yang membuat (dicatat di log audit) / who creates them."),
):
    """Buat banyak akun PKD/Panwascam dari CSV, semua atau tidak sama sekali; daftar kata sandi sekali pakai untuk dicetak."""
    from pathlib import Path

    target = Path(out) if out else None
    if target is not None and (target.suffix.lower() not in (".html", ".htm") or not target.parent.is_dir()):
        raise typer.BadParameter(_t("users_out", path=out), param_hint="--out")
    if not Path(file).is_file():
        raise typer.BadParameter(_t("nofile", f=file), param_hint="FILE")
    _django()
    from django.utils import timezone, translation

    from ..web.tps.users import create_users_from_file, printable_list

    by = _person(user) if user else None

    def write(created):
        made = f"{Path(file).name} · {timezone.localtime().strftime('%Y-%m-%d %H:%M')}"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds passwords
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(printable_list(created, made=made))

    with translation.override(State.lang):
        created, problems = create_users_from_file(file, by=by, write=write if target else None)
    if problems:
        from .ui import err_console

        err_console.print(_t("users_none"))
        for p in problems:
            err_console.print(f"  {p}", soft_wrap=True)
        raise SystemExit(2)
    if target is not None:
        console.print(_t("users_made", n=len(created), path=target), soft_wrap=True)
        return
    console.print(_t("users_shown", n=len(created)))
    for r in created:
        console.print(f"  {r['region']:<15} {r['role']:<10} {r['username']:<24} {r['password']}", soft_wrap=True)


def _person(username: str):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(username=username).first()
    if person is None:
        raise typer.BadParameter(_t("nouser", u=username))
    return person


@web_app.command("set-password")
def set_password_cmd(username: str = typer.Argument(..., help="Nama pengguna / username.")):
    """Setel ulang kata sandi: acak, ditampilkan sekali, dicatat di log audit / reset a password."""
    _django()
    from ..web.accounts.manage import reset_password

    console.print(_t("password", u=username, pw=reset_password(_person(username))))


@web_app.command("deactivate")
def deactivate_cmd(
    username: str = typer.Argument(..., help="Nama pengguna / username."),
    reactivate: bool = typer.Option(False, "--reactivate", help="Aktifkan kembali / reactivate instead."),
):
    """Nonaktifkan pengguna (tidak dapat masuk, token API ditolak) / deactivate a user."""
    _django()
    from ..web.accounts.manage import set_active

    changed = set_active(_person(username), reactivate)
    console.print(_t(("reactivated" if reactivate else "deactivated") if changed else "unchanged", u=username))


token_app = typer.Typer(no_args_is_help=True, help="Token API: buat, daftar, cabut / API tokens: create, list, revoke.")
web_app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create_cmd(
    username: str = typer.Argument(..., help="Pemilik token / the token's owner."),
    name: str = typer.Option("", "--name", help="Nama token / a name for it."),
    days: int = typer.Option(90, "--days", help="Berlaku (hari): 7, 30, 90 atau 365 / valid for (days)."),
    scope: str = typer.Option("read", "--scope", help="read atau write / read or write."),
    edition: list[str] = typer.Option([], "--edition", help="Slug edisi (boleh diulang; tanpa: semua) / edition slug (repeatable; none: all)."),
):
    """Buat token API; token ditampilkan sekali / create an API token, shown once."""
    _django()
    from ..web.accounts.views import TOKEN_DAYS, issue_token

    if scope not in ("read", "write"):
        raise typer.BadParameter("--scope: read | write")
    if days not in TOKEN_DAYS:
        raise typer.BadParameter(f"--days: {', '.join(map(str, TOKEN_DAYS))}")
    tok, token = issue_token(_person(username), name[:100], days, scope, list(edition))
    console.print(_t("token", id=tok.pk, u=username, until=tok.expires.date().isoformat(), token=token))


@token_app.command("list")
def token_list_cmd(username: Optional[str] = typer.Argument(None, help="Pemilik (tanpa: semua) / owner (none: all).")):
    """Daftar token API (tanpa rahasianya) / list API tokens (never their secret)."""
    _django()
    from ..web.accounts.models import ApiToken

    toks = ApiToken.objects.select_related("user").order_by("id")
    if username:
        toks = toks.filter(user=_person(username))
    for t in toks:
        state = "revoked" if t.revoked else ("expired" if not t.usable else "active")
        scopes = ", ".join(f"{k}:{v}" for k, v in t.scopes.items())
        console.print(f"{t.pk:>5}  {t.user.username:<20} {t.name or '-':<20} {scopes:<30} "
                      f"{t.expires.date().isoformat() if t.expires else '-':<10}  {state}")


@token_app.command("revoke")
def token_revoke_cmd(token_id: int = typer.Argument(..., help="Nomor token dari 'list' / the id from 'list'.")):
    """Cabut token API: ditolak mulai sekarang / revoke an API token."""
    _django()
    from ..web.accounts.models import ApiToken
    from ..web.accounts.views import revoke_token

    tok = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if tok is None:
        raise typer.BadParameter(_t("notoken", id=token_id))
    console.print(_t("revoked" if revoke_token(tok) else "unchanged", u=f"token {token_id}"))


@web_app.command("backup")
def backup_cmd(
    out: Optional[str] = typer.Option(None, "--out", help="Berkas arsip (.zip) / archive file."),
    folder: Optional[str] = typer.Option(None, "--dir", help="Folder; nama berkas dengan waktu UTC / folder, timestamped name."),
):
    """Cadangkan basis data (API backup SQLite atau pg_dump), bundel terbit dan berkas ke satu arsip dengan manifest SHA-256."""
    _django()
    from pathlib import Path

    from ..web.backup import backup, default_name

    target = Path(out) if out else Path(folder or ".") / default_name()
    s = backup(target)
    console.print(_t("backup", path=s.path, engine=s.engine, n=len(s.editions), audit=s.audit_entries, files=s.files),
                  soft_wrap=True)


@web_app.command("restore")
def restore_cmd(
    archive: str = typer.Argument(..., help="Arsip dari `rawan web backup` / archive from `rawan web backup`."),
    replace: bool = typer.Option(False, "--replace", help="Timpa basis data yang sudah berisi / overwrite a database holding data."),
):
    """Pulihkan cadangan (periksa SHA-256 dahulu; hentikan server), lalu periksa bundel dan log audit."""
    _django(migrate=False)
    from pathlib import Path

    from ..web.backup import restore

    s = restore(Path(archive), replace=replace)
    console.print(_t("restored", path=s.path, engine=s.engine, n=len(s.editions), audit=s.audit_entries,
                     files=s.files), soft_wrap=True)


@web_app.command("audit-verify")
def audit_verify_cmd():
    """Periksa rantai hash log audit / verify the audit log's hash chain (exit 1 if broken)."""
    _django()
    from ..web.audit.models import log_fingerprint, verify_chain

    n, bad = verify_chain()
    if bad is None:
        console.print(_t("chain_ok", n=n, hash=log_fingerprint()))
        return
    console.print(_t("chain_bad", n=n, id=bad.pk or "-", action=bad.action))
    raise SystemExit(1)


@web_app.command("compile-messages")
def compile_messages_cmd():
    """Kompilasi terjemahan (.po -> .mo) tanpa gettext / compile translations without gettext."""
    from ..web.i18n import compile_all

    for path in compile_all():
        console.print(_t("compiled", path=path))


# environment for subprocess use (tests, benchmark): never prompts
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
