"""Frames between pkguard-run and its guest agent; mirrors guest/protocol.h."""

import asyncio
import struct

HEADER = struct.Struct("<IIB3x")
MAX_PAYLOAD = 1 << 20

# Host to guest.
RUN = 1
STDIN = 2
STDIN_EOF = 3
SIGNAL = 4
SHUTDOWN = 5
# Guest to host.
READY = 16
STDOUT = 17
STDERR = 18
EXITED = 19
FAILED = 20


class ProtocolError(Exception):
    pass


def encode(session, kind, payload=b""):
    if len(payload) > MAX_PAYLOAD:
        raise ProtocolError("frame of %d bytes is too large" % len(payload))
    return HEADER.pack(len(payload), session, kind) + payload


async def read_frame(reader):
    """Returns (session, kind, payload), or None at a clean end of stream."""
    try:
        header = await reader.readexactly(HEADER.size)
    except asyncio.IncompleteReadError as e:
        if e.partial:
            raise ProtocolError("stream ended inside a frame header")
        return None
    length, session, kind = HEADER.unpack(header)
    if length > MAX_PAYLOAD:
        raise ProtocolError("oversized frame (%d bytes)" % length)
    try:
        payload = await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        raise ProtocolError("stream ended inside a frame")
    return session, kind, payload


def encode_run(cwd, path, argv, env):
    strings = [cwd, path] + list(argv) + ["%s=%s" % kv for kv in env.items()]
    blob = b"".join(s.encode("utf-8", "surrogateescape") + b"\0" for s in strings)
    return struct.pack("<II", len(argv), len(env)) + blob


def encode_signal(signal_number):
    """The payload of a SIGNAL frame."""
    return struct.pack("<I", signal_number)


def decode_exited(payload):
    """Returns (killed_by_signal, value). The frame's third field, whether a
    core was dumped, is part of the wire format but pkguard-run has no use
    for it, so it is checked for size and skipped."""
    how, value = struct.unpack("<ii4x", payload)
    return how == 1, value


def decode_failed(payload):
    """Returns (errno, step)."""
    error, = struct.unpack_from("<i", payload)
    return error, payload[4:].decode("utf-8", "replace")
