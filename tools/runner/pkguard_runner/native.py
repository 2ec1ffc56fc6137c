"""Running on the host itself, when its CPU and kernel support PKU."""

import os
import signal
import subprocess

from . import exit_codes
from .client import Outcome


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
