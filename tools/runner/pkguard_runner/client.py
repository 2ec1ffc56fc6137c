"""Runs one program through a session and relays its input, output and end."""

import asyncio
import os
import signal
import threading

from . import exit_codes, protocol


class Outcome:
    """How a program ended, as pkguard-run reports it."""

    def __init__(self, exit_code=None, signal_number=None, error=None,
                 timed_out=False):
        self.exit_code = exit_code
        self.signal_number = signal_number
        self.error = error  # pkguard-run's own message; the program never ran
        self.timed_out = timed_out

    def shell_status(self):
        """The status a shell would show: 128+N for a signal."""
        if self.timed_out:
            return exit_codes.EXIT_TIMEOUT
        if self.signal_number is not None:
            return exit_codes.for_signal(self.signal_number)
        return self.exit_code

    def describe(self):
        if self.timed_out:
            return "timed out"
        if self.signal_number is not None:
            name = signal.Signals(self.signal_number).name \
                if self.signal_number in signal.valid_signals() else "?"
            return "killed by signal %d (%s)" % (self.signal_number, name)
        return "exited with %d" % self.exit_code


def _stream_stdin(session, loop, source_fd):
    """Forwards source_fd to the session from a thread; blocking reads there
    keep pipes, files and terminals all working the same way."""

    def forward(data):
        kind = protocol.STDIN if data else protocol.STDIN_EOF
        asyncio.ensure_future(_send_quietly(session, kind, data))

    def pump():
        while True:
            try:
                data = os.read(source_fd, 65536)
            except OSError:
                data = b""
            try:
                loop.call_soon_threadsafe(forward, data)
            except RuntimeError:
                return  # the loop has closed: the program is over
            if not data:
                return

    threading.Thread(target=pump, daemon=True).start()


async def _send_quietly(session, kind, payload=b""):
    try:
        await session.send(kind, payload)
    except Exception:
        pass  # the program has ended or the machine stopped


def _write_all(fd, data):
    while data:
        try:
            written = os.write(fd, data)
        except BrokenPipeError:
            return
        data = data[written:]


async def run(session, cwd, path, argv, env, timeout, stdin_fd=0,
              stdout_fd=1, stderr_fd=2):
    """Runs argv (path resolved on the host) and returns an Outcome."""
    await session.send(protocol.RUN, protocol.encode_run(cwd, path, argv, env))
    if stdin_fd is None:
        await session.send(protocol.STDIN_EOF)
    else:
        _stream_stdin(session, asyncio.get_running_loop(), stdin_fd)

    async def relay():
        while True:
            frame = await session.receive()
            if frame is None:
                return Outcome(error="the emulated machine stopped while "
                               "running the program")
            kind, payload = frame
            if kind == protocol.STDOUT:
                _write_all(stdout_fd, payload)
            elif kind == protocol.STDERR:
                _write_all(stderr_fd, payload)
            elif kind == protocol.EXITED:
                killed, value = protocol.decode_exited(payload)
                if killed:
                    return Outcome(signal_number=value)
                return Outcome(exit_code=value)
            elif kind == protocol.FAILED:
                error, step = protocol.decode_failed(payload)
                return Outcome(error="cannot run '%s' (%s: %s)"
                               % (path, step, os.strerror(error)),
                               exit_code=exit_codes.for_exec_error(error))

    relay_task = asyncio.ensure_future(relay())
    try:
        return await asyncio.wait_for(asyncio.shield(relay_task),
                                      timeout if timeout > 0 else None)
    except asyncio.TimeoutError:
        await _send_quietly(session, protocol.SIGNAL,
                            protocol.encode_signal(signal.SIGKILL))
        try:
            await asyncio.wait_for(relay_task, 10)
        except asyncio.TimeoutError:
            relay_task.cancel()
        return Outcome(timed_out=True)
