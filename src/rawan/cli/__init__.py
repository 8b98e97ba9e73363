"""The ``rawan`` command: thin, calls the same objects the web app calls.

One module per command group (compute, model, demo, intake, regions, reports, robustness, web),
each registering its commands on the root app of :mod:`rawan.cli.app`; :mod:`rawan.cli.ui` holds
the consoles, messages, number formatting and the banner. Command modules import the library
inside their commands, so that ``rawan --help`` starts quickly.

Messages are Indonesian by default; ``--lang en`` (anywhere on the line, or RAWAN_LANG=en)
switches to English. User errors print sentences that name the place and exit with 2;
``--debug`` shows tracebacks.
"""

from __future__ import annotations

import os
import sys

import typer

from .app import app
from .options import rewrite
from .ui import UI, State, console, err_console, renamed, t

# one line per command group; the order is the order of `rawan --help`
from . import compute  # noqa: E402,F401
from . import model  # noqa: E402,F401
from . import demo  # noqa: E402,F401
from . import reports  # noqa: E402,F401
from . import robustness  # noqa: E402,F401
from . import intake  # noqa: E402,F401
from . import regions  # noqa: E402,F401
from . import web  # noqa: E402,F401
from . import tps  # noqa: E402,F401
from . import worker  # noqa: E402,F401

__all__ = ["State", "app", "console", "err_console", "main"]


def _extract_global(argv: list[str]) -> list[str]:
    """Accept --lang/--debug anywhere on the command line (each call starts from RAWAN_LANG)."""
    State.lang = os.environ.get("RAWAN_LANG", "id")
    State.debug = False
    out = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--lang" and i + 1 < len(argv):
            State.lang = argv[i + 1]
            i += 2
            continue
        if a.startswith("--lang="):
            State.lang = a.split("=", 1)[1]
        elif a == "--debug":
            State.debug = True
        else:
            out.append(a)
        i += 1
    if State.lang not in UI:
        State.lang = "id"
    return out


def main(argv: list[str] | None = None) -> int:
    args = rewrite(_extract_global(list(sys.argv[1:] if argv is None else argv)), renamed)
    try:
        app(args, prog_name="rawan", standalone_mode=False)
    except (typer.Exit, SystemExit) as e:
        return int(getattr(e, "exit_code", getattr(e, "code", 0)) or 0)
    except Exception as e:  # user errors, usage errors (typer's click exceptions) and real bugs
        errors = sys.modules.get("rawan.engine.errors")  # not loaded: the error is not one of ours
        if errors is not None and isinstance(e, errors.RawanError):
            from rich.markup import escape

            for line in e.render(State.lang):  # escaped: file names and "rawan[maps]" are not Rich markup
                err_console.print(f"[bold red]{t('error')}:[/] {escape(line)}", soft_wrap=True)
            return 2
        from ..extras import missing_extra

        missing = missing_extra(e)  # an optional package (rawan[maps], [reports], [web]) not installed
        if missing is not None:
            from rich.markup import escape

            for line in missing.render(State.lang):  # escaped: "rawan[maps]" is not Rich markup
                err_console.print(f"[bold red]{t('error')}:[/] {escape(line)}", soft_wrap=True)
            return 2
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            e.show()
            return int(e.exit_code)
        if type(e).__name__ == "Abort":
            return 1
        if State.debug:
            raise
        err_console.print(f"[bold red]{t('internal')}:[/] {type(e).__name__}: {e}")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
