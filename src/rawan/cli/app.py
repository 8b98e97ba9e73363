"""The root ``rawan`` Typer application; each command group module registers its commands on it."""

from __future__ import annotations

import typer
import typer.core


def _flags_without_type() -> None:
    """A boolean flag is shown as a plain flag (``--reset``, ``--serve/--no-serve``) in ``--help``,
    never with a value type: this Typer's rich help prints ``<bool>`` beside every flag, which reads
    as if it took a value (``--reset <bool>``).  tests/test_cli_help.py checks the whole CLI."""
    option = getattr(typer.core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if shown is None or getattr(shown, "_rawan_flags", False):
        return

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    display_type_rich._rawan_flags = True
    option.display_type_rich = display_type_rich


_flags_without_type()

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="rawan — pemetaan kerawanan pemilu / election-vulnerability mapping.")


@app.callback()
def _root(
    lang: str = typer.Option("id", "--lang", help="Bahasa pesan: id atau en / message language."),
    debug: bool = typer.Option(False, "--debug", help="Tampilkan traceback / show tracebacks."),
):
    """rawan: indeks kerawanan pemilu yang dapat direproduksi dan dijelaskan."""
