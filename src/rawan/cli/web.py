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
           "unchanged": "{u} sudah dalam keadaan itu; tidak ada yang berubah."},
    "en": {"serving": "rawan serving at http://{host}:{port}/ (database: {db}). Stop with Ctrl+C.",
           "loaded": "Jambi demo loaded. These passwords are shown only ONCE; save them now:",
           "already": "The demo was loaded before (its passwords were printed then). Use --reset to reload with new passwords.",
           "user": "User {u} ({role}) created. Password (shown once): {pw}",
           "compiled": "Compiled: {path}",
           "nouser": "There is no user {u}.",
           "password": "New password for {u} (shown once): {pw}",
           "deactivated": "{u} is deactivated: cannot log in, API tokens refused.",
           "reactivated": "{u} can log in again.",
           "unchanged": "{u} was already so; nothing changed."},
}


def _t(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _django(migrate: bool = True) -> None:
    from ..web import migrate as migrate_database, setup

    setup()
    if migrate:
        migrate_database()


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Alamat / address."),
    port: int = typer.Option(8000, "--port", help="Port."),
    threads: int = typer.Option(8, "--threads", help="Utas pelayan / server threads."),
):
    """Jalankan aplikasi web (waitress; migrasi diterapkan; SQLite di direktori data pengguna)."""
    _django()
    from django.conf import settings
    from waitress import serve as waitress_serve

    from ..web.wsgi import application

    _warm_maps()
    proxy = {}
    if settings.HTTPS:  # behind a TLS proxy: trust its X-Forwarded-Proto/For (waitress drops them otherwise)
        proxy = {"trusted_proxy": os.environ.get("RAWAN_TRUSTED_PROXY", "127.0.0.1"),
                 "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
                 "clear_untrusted_proxy_headers": True}
    console.print(_t("serving", host=host, port=port, db=settings.DATABASES["default"]["NAME"]))
    from ..web.bodylimit import waitress_options

    waitress_serve(application, host=host, port=port, threads=threads, ident="rawan",
                   **waitress_options(), **proxy)


def _warm_maps() -> None:
    """Load the boundaries before the first visitor (built once from ../shared, then cached)."""
    from ..engine import RawanError
    from ..regions.boundaries import load_boundaries

    try:
        load_boundaries()
    except (RawanError, OSError):  # no boundaries: maps fall back to the tile grid
        pass


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
        raise typer.BadParameter(str(e)) from None
    console.print(_t("user", u=username, role=role, pw=pw))


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


@web_app.command("compile-messages")
def compile_messages_cmd():
    """Kompilasi terjemahan (.po -> .mo) tanpa gettext / compile translations without gettext."""
    from ..web.i18n import compile_all

    for path in compile_all():
        console.print(_t("compiled", path=path))


# environment for subprocess use (tests, benchmark): never prompts
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
