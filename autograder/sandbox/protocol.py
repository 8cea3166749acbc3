"""Length-prefixed JSON messages over a socket. Standard library only: used on both sides of the sandbox.

The grader never trusts what arrives: a message that is too long, not JSON, not an object, or late is an error,
and the process that sent it is stopped.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import time
from typing import Any

HEADER = struct.Struct(">Q")
_dumps = json.dumps
_loads = json.loads
"""Taken when the module is imported, before any trainee code runs, so patching ``json`` cannot break them."""


class ProtocolError(Exception):
    """The other side sent something that is not a valid message."""


class ChannelClosed(ProtocolError):
    """The other side closed the connection (usually: its process ended)."""


class Timeout(Exception):
    """No complete message arrived before the deadline."""


def send_message(sock: socket.socket, message: dict[str, Any]) -> None:
    body = _dumps(message, separators=(",", ":")).encode("ascii")
    sock.sendall(HEADER.pack(len(body)) + body)


def _recv_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([sock], [], [], wait)[0]:
                raise Timeout()
        try:
            chunk = sock.recv(min(remaining, 1 << 20))
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            raise ChannelClosed("the connection was closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv_message(
    sock: socket.socket, *, max_bytes: int, deadline: float | None = None, max_nodes: int | None = None
) -> dict[str, Any]:
    """The next message; ``deadline`` is a ``time.monotonic()`` value (None waits for ever).

    The receiver decides what it can afford before it parses: the byte length, and (``max_nodes``) an upper bound
    on the JSON objects and arrays the message would become, so a few megabytes of ``[{},{},...]`` cannot turn
    into gigabytes of Python objects. Nesting too deep for the parser is a protocol error too."""
    (size,) = HEADER.unpack(_recv_exact(sock, HEADER.size, deadline))
    if size > max_bytes:
        raise ProtocolError(f"a message of {size} bytes is larger than the {max_bytes}-byte limit")
    body = _recv_exact(sock, size, deadline)
    if max_nodes is not None:
        nodes = body.count(b"{") + body.count(b"[")  # an upper bound: brackets inside strings count too
        if nodes > max_nodes:
            raise ProtocolError(f"a message of {nodes} JSON objects is over the {max_nodes}-object limit")
    try:
        message = _loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"a message is not JSON: {error}") from None
    except RecursionError:
        raise ProtocolError("a message is nested too deeply to read") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message is not a JSON object")
    return message
