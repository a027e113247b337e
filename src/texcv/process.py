"""Running a helper program (a TeX engine, pdftotext) safely: in its own process group, stdin
closed, its terminal output kept, stopped with everything it started when it takes too long or
when texcv itself dies."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ToolMissingError

# What is kept of a program's terminal output: TeX can print megabytes; its last lines say why it stopped.
OUTPUT_KEPT = 20_000
# Seconds a TeX run may take by default: ample for 300 publications (~1 s) and lualatex's first font scan (~25 s).
TIMEOUT = 60.0


@dataclass(frozen=True)
class Finished:
    status: int | None  # the exit status; None: stopped for taking longer than the timeout
    output: str  # the end of what it printed (stdout and stderr together)

    @property
    def ok(self) -> bool:
        return self.status == 0


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def program_path(name: str, advice: str) -> str:
    """The installed program `name`, or ToolMissingError with `advice` (how to install it)."""
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(f"{name} is not installed. {advice}")
    return found


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Finished:
    """Run `command` in a process group of its own and wait at most `timeout` seconds."""
    return Running(command, cwd, env).finish(timeout)


class Running:
    """A program started and not yet waited for: texcv can do other work while it runs."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]):
        # A file, not a pipe: nothing to drain while waiting. finish() closes it.
        self._output = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=self._output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent(),
            )
        except BaseException:
            self._output.close()
            raise

    def finish(self, timeout: float) -> Finished:
        """Wait at most `timeout` seconds more, then stop it with everything it started."""
        with self._output:
            ended = _ended_within(self._process, timeout)
            if not ended:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
            size = self._output.seek(0, os.SEEK_END)
            self._output.seek(max(0, size - OUTPUT_KEPT))
            text = self._output.read().decode("utf-8", errors="replace")
        return Finished(self._process.returncode if ended else None, text)


def _ended_within(process: subprocess.Popen, timeout: float) -> bool:
    """Wait for `process`, waking the moment it ends: Popen.wait(timeout) polls with sleeps of up
    to 50 ms, a cost paid on every TeX pass. Linux (pidfd) only; elsewhere Popen.wait."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        try:
            process.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        if not poller.poll(min(timeout, 86_400) * 1000):  # poll() takes a C int of milliseconds
            return False
    finally:
        os.close(pidfd)
    process.wait()
    return True


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent() -> Callable[[], None] | None:
    """For the child, before exec (Linux): if texcv dies, even by SIGKILL, the kernel kills the
    program too, so a killed build leaves no TeX run behind (one looping forever, say)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # texcv died before the line above took effect
            os._exit(1)

    return arm
