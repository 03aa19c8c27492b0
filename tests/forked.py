"""`build.py ARGS` in a process of its own, forked from the test session's fork server instead of
started afresh: the command line as a user runs it, without loading Python, WeasyPrint, matplotlib
and our code again for each command (a second of processor time per command, on this project's
machines). `run_build` in tests/conftest.py runs every command this way.

Kept apart from conftest.py: the fork server imports this module to run `command`, and needs nothing
of pytest for it."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

TIMEOUT = 600  # seconds, as run_build allows a command


def run_forked(args: Sequence[object], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Exit status, stdout and stderr of `build.py ARGS` run in `cwd` with the environment `env` (the
    whole of it), as `subprocess.run` gives them."""
    args = [str(arg) for arg in args]
    with tempfile.TemporaryDirectory(prefix="build-py-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        process = multiprocessing.get_context("forkserver").Process(
            target=command, args=(args, cwd, env, out, err), name="build.py"
        )
        process.start()
        process.join(TIMEOUT)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["build.py", *args], TIMEOUT)
        return subprocess.CompletedProcess(
            ["build.py", *args], process.exitcode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
        )


def command(args: list[str], cwd: Path, env: dict[str, str], out: Path, err: Path) -> None:
    """In the forked process: the command's environment, folder and output files, then its main."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    for descriptor, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(opened, descriptor)  # for the processes it starts, too
        os.close(opened)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # for the life of the process
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    from reports.cli import main

    status = main(args)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(status)
