"""`rawan --help` as a whole process, against the interpreter's own start-up in the same run.

Run from the repository root:

    .venv/bin/python benchmarks/bench_cli_help.py            # 21 runs of each
    .venv/bin/python benchmarks/bench_cli_help.py --runs 51

Each command is started as a fresh process (no warm interpreter), alternating between the
commands so that machine load hits them alike; the figures are medians and the target is
`rawan --help` under 0.5 s (docs/cli.md). Baselines: `python -c pass` (interpreter start-up,
site and the editable install's path hooks) and `python -c "import typer"` (the CLI framework
alone). The ratios say what rawan adds on top of them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 0.5


def _rawan() -> str:
    script = Path(sys.executable).with_name("rawan")
    return str(script) if script.exists() else (shutil.which("rawan") or "rawan")


COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import typer'": [sys.executable, "-c", "import typer"],
    "rawan --help": [_rawan(), "--help"],
    "rawan compute --help": [_rawan(), "compute", "--help"],
    "python -m rawan --help": [sys.executable, "-m", "rawan", "--help"],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    env = dict(os.environ, COLUMNS="100")
    times: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for name, cmd in COMMANDS.items():  # one untimed run each: page cache, .pyc files
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    for _ in range(args.runs):
        for name, cmd in COMMANDS.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
            times[name].append(time.perf_counter() - t0)
    load = os.getloadavg()
    print(f"{args.runs} runs of each, alternating; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    base = statistics.median(times["python -c pass"])
    typer_base = statistics.median(times["python -c 'import typer'"])
    print(f"{'command':<28}{'median s':>10}{'p90 s':>9}{'x start-up':>12}{'x typer':>9}")
    for name, ts in times.items():
        med = statistics.median(ts)
        p90 = sorted(ts)[int(0.9 * (len(ts) - 1))]
        print(f"{name:<28}{med:>10.3f}{p90:>9.3f}{med / base:>12.2f}{med / typer_base:>9.2f}")
    help_med = statistics.median(times["rawan --help"])
    ok = help_med < TARGET
    print(f"rawan --help: {help_med:.3f} s median, target < {TARGET} s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
