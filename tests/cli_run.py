"""Run the real CLI as a subprocess and measure it: exit code, output, wall time, peak memory.

>>> run_cli("parse", "corpus/kh_ubnd_xa.txt", "--json").returncode      # doctest: +SKIP
0
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def drop_read_override() -> None:
    """In a child before exec: give up CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so root too is
    refused a file without read permission (a plain user has neither; the drop then fails harmlessly)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # linux/capability.h
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the CLI process and every worker it waited for


def run_cli(*args: str, unprivileged: bool = False, env: dict | None = None) -> CliRun:
    """Run `python -m pipeline.cli ARGS` as a real subprocess; measure wall time and peak RSS (wait4)."""

    env = dict(os.environ, COLUMNS="200", **(env or {}))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, stdout=out,
                                 stderr=err, env=env, preexec_fn=drop_read_override if unprivileged else None)
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            child.returncode = 0  # reaped by wait4; keep Popen from waiting again
        seconds = time.monotonic() - began
        out.seek(0)
        err.seek(0)
        return CliRun(os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"),
                      err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)
