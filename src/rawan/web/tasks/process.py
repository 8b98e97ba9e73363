"""Start and stop ``rawan worker`` as a child process: the same code on Linux, macOS and Windows
(no fork, no POSIX-only signal): ``subprocess`` starts ``python -m rawan worker``, and stopping asks
it to finish politely (SIGTERM; CTRL_BREAK on Windows) before ending it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def worker_command(*extra_args: str) -> list[str]:
    return [sys.executable, "-m", "rawan", "worker", *extra_args]


def start_worker(*extra_args: str, env: dict | None = None, stdout=None, stderr=None) -> subprocess.Popen:
    """``rawan worker [extra_args]`` as a child process, with this process's environment (plus
    ``env``): the same database, data directory and settings as the caller."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
    kwargs = {}
    if os.name == "nt":  # its own process group, so CTRL_BREAK reaches it and not us
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    return subprocess.Popen(worker_command(*extra_args), env=full_env, stdout=stdout, stderr=stderr,
                            stdin=subprocess.DEVNULL, **kwargs)


def stop_worker(proc: subprocess.Popen, timeout: float = 30) -> int:
    """Ask the worker to stop after its current job, wait up to ``timeout`` s, then end it.
    A job ended this way is not lost: its lease expires and another worker takes it again."""
    if proc.poll() is not None:
        return proc.returncode
    try:
        if os.name == "nt":
            proc.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            proc.terminate()
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()
