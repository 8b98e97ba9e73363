"""Print docs/cli.md: the table of every option and its meaning, and the CLI reference made from
the real ``--help`` output (rendered in-process, as ``rawan CMD --help`` prints it at 100 columns).

    python -m rawan.cli.reference > docs/cli.md

tests/test_docs.py fails when docs/cli.md and the commands drift apart.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

COMMANDS = [[], ["compute"], ["explain"], ["model"], ["model", "check"], ["model", "show"],
            ["demo"], ["demo", "build"],
            ["template"], ["validate"], ["import"],
            ["regions"], ["regions", "show"], ["regions", "import-boundaries"], ["data"], ["data", "fetch"],
            ["map"], ["robustness"], ["report"], ["infographic"],
            ["serve"], ["worker"], ["web"], ["web", "load-demo"], ["web", "create-user"], ["web", "create-users"], ["web", "set-password"],
            ["web", "deactivate"], ["web", "token"], ["web", "token", "create"], ["web", "token", "list"],
            ["web", "token", "revoke"], ["web", "backup"], ["web", "restore"], ["web", "audit-verify"],
            ["web", "compile-messages"], ["web", "jobs"],
            ["tps"], ["tps", "import"], ["tps", "template"], ["tps", "summary"], ["tps", "list"], ["tps", "map"],
            ["tps", "press-release"], ["tps", "demo"]]


@contextlib.contextmanager
def _plain_terminal():
    """100 columns, no colour, Indonesian: the same text whatever terminal runs the generator."""
    import typer.rich_utils

    env = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1", "RAWAN_LANG": "id"}
    saved = {k: os.environ.get(k) for k in (*env, "FORCE_COLOR")}
    forced = typer.rich_utils.FORCE_TERMINAL
    os.environ.update(env)
    os.environ.pop("FORCE_COLOR", None)
    typer.rich_utils.FORCE_TERMINAL = False
    try:
        yield
    finally:
        typer.rich_utils.FORCE_TERMINAL = forced
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def help_text(args: list[str]) -> str:
    from . import main

    buf = io.StringIO()
    with _plain_terminal(), contextlib.redirect_stdout(buf):
        code = main([*args, "--help"])
    if code != 0:
        raise RuntimeError(f"rawan {' '.join(args)} --help exited with {code}")
    return "\n".join(line.rstrip() for line in buf.getvalue().strip().splitlines())


def option_table() -> list[str]:
    """One row per option: its short flag, its one meaning, and the commands that take it."""
    import typer.main

    from .app import app
    from .options import MEANINGS, RENAMED

    used: dict[str, list[str]] = {}

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, (*path, name))
            return
        for p in cmd.params:
            for o in p.opts:
                if o.startswith("--") and p.param_type_name == "option":
                    used.setdefault(o, []).append(" ".join(path))

    walk(typer.main.get_command(app), ())
    rows = ["| Option | Short | Meaning | Commands |", "|---|---|---|---|"]
    for opt in sorted(used, key=lambda o: (list(MEANINGS).index(o) if o in MEANINGS else len(MEANINGS), o)):
        short, meaning = MEANINGS.get(opt, ("", "(no meaning recorded: add it to rawan.cli.options.MEANINGS)"))
        rows.append(f"| `{opt}` | {f'`{short}`' if short else ''} | {meaning} | {', '.join(used[opt])} |")
    for opt in ("--lang", "--debug"):
        rows.append(f"| `{opt}` | | {MEANINGS[opt][1]} | every command |")
    old = [f"`{o}` in `rawan {cmd}` (now {' '.join(f'`{n}`' for n in new)})"
           for cmd, table in RENAMED.items() for o, new in table.items()]
    return rows + ["", "Renamed in 0.2; the old spellings still work until 0.3 and say so on stderr: "
                   + "; ".join(old) + ". In `rawan report` and `rawan infographic`, a `--regions` folder "
                   "without `--boundaries` still gives the boundaries too, with a warning."]


def render() -> str:
    parts = ["# `rawan` command reference", "",
             "Generated from the real `--help` output by `python -m rawan.cli.reference > docs/cli.md`;",
             "a test fails when this page and the commands disagree. Every command also takes",
             "`--lang en` (English messages; Indonesian is the default) and `--debug` (tracebacks),",
             "anywhere on the line. User errors exit with code 2 and name the file, row and column.", "",
             "## Options", "", "Every option has one meaning, whichever command takes it, and a short flag",
             "always stands for the same long option.", "", *option_table(), ""]
    for args in COMMANDS:
        parts += [f"## `rawan {' '.join(args)}`".replace("rawan `", "rawan`") if args else "## `rawan`",
                  "", "```text", help_text(args), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())
