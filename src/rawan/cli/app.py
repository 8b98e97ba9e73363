"""The root ``rawan`` Typer application; each command group module registers its commands on it."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="rawan — pemetaan kerawanan pemilu / election-vulnerability mapping.")


@app.callback()
def _root(
    lang: str = typer.Option("id", "--lang", help="Bahasa pesan: id atau en / message language."),
    debug: bool = typer.Option(False, "--debug", help="Tampilkan traceback / show tracebacks."),
):
    """rawan: indeks kerawanan pemilu yang dapat direproduksi dan dijelaskan."""
