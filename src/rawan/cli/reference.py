"""Print docs/cli.md: the CLI reference, made from the real ``--help`` output.

    python -m rawan.cli.reference > docs/cli.md

tests/test_docs.py fails when docs/cli.md and the commands drift apart.
"""

from __future__ import annotations

import os
import subprocess
import sys

COMMANDS = [[], ["compute"], ["explain"], ["model"], ["model", "check"], ["model", "show"],
            ["demo"], ["demo", "build"],
            ["template"], ["validate"], ["import"],
            ["regions"], ["regions", "show"], ["regions", "import-boundaries"], ["data"], ["data", "fetch"],
            ["map"], ["robustness"], ["report"], ["infographic"],
            ["serve"], ["web"], ["web", "load-demo"], ["web", "create-user"], ["web", "set-password"],
            ["web", "deactivate"], ["web", "compile-messages"]]


def help_text(args: list[str]) -> str:
    env = dict(os.environ, COLUMNS="100", TERM="dumb", NO_COLOR="1", RAWAN_LANG="id")
    env.pop("FORCE_COLOR", None)
    p = subprocess.run([sys.executable, "-m", "rawan", *args, "--help"], capture_output=True, text=True,
                       env=env, check=True)
    return "\n".join(line.rstrip() for line in p.stdout.strip().splitlines())


def render() -> str:
    parts = ["# `rawan` command reference", "",
             "Generated from the real `--help` output by `python -m rawan.cli.reference > docs/cli.md`;",
             "a test fails when this page and the commands disagree. Every command also takes",
             "`--lang en` (English messages; Indonesian is the default) and `--debug` (tracebacks),",
             "anywhere on the line. User errors exit with code 2 and name the file, row and column.", ""]
    for args in COMMANDS:
        parts += [f"## `rawan {' '.join(args)}`".replace("rawan `", "rawan`") if args else "## `rawan`",
                  "", "```text", help_text(args), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())
