"""Running on the host itself, when its CPU and kernel support PKU."""

import ctypes
import os
import platform
import signal
import subprocess

from . import exit_codes
from .client import Outcome

SYS_PKEY_ALLOC = 330
SYS_PKEY_FREE = 331


def host_has_pku():
    """True when this CPU advertises PKU and the kernel hands out keys."""
    if platform.machine() != "x86_64":
        return False
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split(":", 1)[1].split() for line in f
                          if line.startswith("flags")), [])
    except OSError:
        return False
    if "pku" not in flags:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    key = libc.syscall(SYS_PKEY_ALLOC, 0, 0)
    if key < 0:
        return False
    libc.syscall(SYS_PKEY_FREE, key)
    return True


def run(path, argv, env, timeout):
    try:
        process = subprocess.Popen(argv, executable=path, env=env,
                                   start_new_session=True)
    except OSError as e:
        return Outcome(error="cannot run '%s': %s" % (path, e.strerror),
                       exit_code=exit_codes.for_exec_error(e.errno))
    try:
        status = process.wait(timeout if timeout > 0 else None)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return Outcome(timed_out=True)
    except KeyboardInterrupt:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    if status < 0:
        return Outcome(signal_number=-status)
    return Outcome(exit_code=status)
