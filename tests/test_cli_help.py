"""Every command's ``--help``, walked from the root: boolean flags read as flags (``--reset``,
``--serve/--no-serve``), never as options taking a value (``--reset <bool>``, ``BOOLEAN``)."""

from __future__ import annotations

import re

import typer

from rawan.cli import app
from rawan.cli.reference import help_text


def _commands(cmd, path=()):
    yield list(path), cmd
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        if not getattr(sub, "hidden", False):
            yield from _commands(sub, (*path, name))


def test_no_option_shows_a_boolean_metavar():
    root = typer.main.get_command(app)
    seen = flags = 0
    for path, cmd in _commands(root):
        text = help_text(path)
        seen += 1
        bad = [line.strip() for line in text.splitlines() if re.search(r"<bool>|\bBOOLEAN\b|\[bool\]", line)]
        assert not bad, f"rawan {' '.join(path)} --help: {bad}"
        for p in cmd.params:
            if getattr(p, "is_flag", False) and p.opts and p.opts[0] != "--help":
                flags += 1
                line = next(ln for ln in text.splitlines() if p.opts[0] in ln.split())
                # the flag's line: its names, then its help, nothing in between
                names = [*p.opts, *p.secondary_opts]
                after = line.strip("│ ").split(names[-1], 1)[1].strip()
                assert not after.startswith("<"), f"rawan {' '.join(path)}: {line.strip()}"
    assert seen > 40 and flags >= 12  # the whole tree was walked, and its flags checked
