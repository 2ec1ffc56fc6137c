"""A machine shared by many pkguard-run invocations, so a test suite boots once.

The first invocation that names a shared machine starts a server process
(pkguard-run --serve) that boots it and listens on an abstract Unix socket.
Each later invocation is one connection, and each connection is one program.
The server shuts the machine down after it has been idle for a while, or when
asked to stop, so no QEMU outlives the work it was started for.
"""

import asyncio
import fcntl
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time

from . import protocol
from .machine import GuestMachine, MachineError

CLIENT_SESSION = 1


def socket_address(identity):
    """An abstract socket name for a shared machine named by a path."""
    digest = hashlib.sha256(os.path.realpath(identity).encode()).hexdigest()
    return "\0pkguard-run-" + digest[:24]


class SocketSession:
    """A Session-like view of one connection to a server."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer

    async def send(self, kind, payload=b""):
        self.writer.write(protocol.encode(CLIENT_SESSION, kind, payload))
        await self.writer.drain()

    async def receive(self):
        try:
            frame = await protocol.read_frame(self.reader)
        except (protocol.ProtocolError, ConnectionError):
            return None
        return None if frame is None else (frame[1], frame[2])

    def close(self):
        self.writer.close()


async def connect(identity):
    """Returns (SocketSession, machine description) or raises OSError."""
    reader, writer = await asyncio.open_unix_connection(
        socket_address(identity))
    session = SocketSession(reader, writer)
    hello = await session.receive()
    if hello is None or hello[0] != protocol.READY:
        session.close()
        raise ConnectionRefusedError("the shared machine is shutting down")
    return session, hello[1].decode("utf-8", "replace")


def _try_connect_blocking(identity):
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(socket_address(identity))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def ensure_server(identity, server_command, boot_timeout):
    """Starts the server for identity unless one is already listening."""
    if _try_connect_blocking(identity):
        return
    with open(identity + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _try_connect_blocking(identity):
            return
        with open(identity + ".log", "ab") as log:
            server = subprocess.Popen(
                server_command, stdin=subprocess.DEVNULL, stdout=log,
                stderr=log, start_new_session=True)
        deadline = time.monotonic() + boot_timeout + 15
        while time.monotonic() < deadline:
            if _try_connect_blocking(identity):
                return
            if server.poll() is not None:
                break
            time.sleep(0.1)
        if server.poll() is None:
            server.kill()
        raise MachineError("the shared machine did not start; see %s.log"
                           % identity)


def request_stop(identity):
    """Asks a server to shut down; returns False when none was running."""
    async def stop():
        try:
            session, _ = await connect(identity)
        except OSError:
            return False
        await session.send(protocol.SHUTDOWN)
        await session.receive()
        session.close()
        return True

    return asyncio.run(stop())


async def _relay_client(machine, reader, writer, activity):
    session = machine.open_session()
    activity.connected(+1)
    forward = None
    try:
        writer.write(protocol.encode(CLIENT_SESSION, protocol.READY,
                                     machine.ready_info.encode()))
        await writer.drain()

        async def to_client():
            try:
                while True:
                    frame = await session.receive()
                    if frame is None:
                        break
                    writer.write(protocol.encode(CLIENT_SESSION, *frame))
                    await writer.drain()
            except ConnectionError:
                pass
            writer.close()

        forward = asyncio.ensure_future(to_client())
        while True:
            frame = await protocol.read_frame(reader)
            if frame is None:
                break
            if frame[1] == protocol.SHUTDOWN:
                activity.stop_requested.set()
                break
            await session.send(frame[1], frame[2])
    except (protocol.ProtocolError, ConnectionError, MachineError):
        pass  # a client that went away, or a machine that stopped
    finally:
        # A client that goes away takes its program with it.
        try:
            await session.send(protocol.SIGNAL,
                               protocol.encode_signal(signal.SIGKILL))
        except (MachineError, ConnectionError):
            pass
        if forward is not None:
            forward.cancel()
        session.close()
        writer.close()
        activity.connected(-1)


class _Activity:
    def __init__(self):
        self.clients = 0
        self.changed = asyncio.Event()
        self.stop_requested = asyncio.Event()

    def connected(self, delta):
        self.clients += delta
        self.changed.set()


async def serve(identity, config, idle_exit):
    """Boots a machine and serves connections until idle or stopped."""
    machine = GuestMachine(config)
    await machine.start()
    activity = _Activity()
    server = await asyncio.start_unix_server(
        lambda r, w: _relay_client(machine, r, w, activity),
        path=socket_address(identity))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, activity.stop_requested.set)
    print("pkguard-run: shared machine up (%s)" % machine.ready_info,
          file=sys.stderr, flush=True)
    try:
        while not activity.stop_requested.is_set() \
                and not machine.stopped.is_set():
            activity.changed.clear()
            waiters = [asyncio.ensure_future(e.wait()) for e in
                       (activity.changed, activity.stop_requested,
                        machine.stopped)]
            timeout = idle_exit if activity.clients == 0 else None
            done, pending = await asyncio.wait(
                waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for w in pending:
                w.cancel()
            if not done:
                break  # idle for idle_exit seconds
    finally:
        server.close()
        await machine.stop()
    print("pkguard-run: shared machine stopped", file=sys.stderr, flush=True)
