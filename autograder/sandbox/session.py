"""The grader's side of one submission's process: run cells, fetch values as data, call the trainee's functions.

Every reply is checked and decoded here; whatever the trainee's process sends, the grader gets either a clean,
plain value or an exception saying what went wrong. Deadlines are enforced here too: a cell (or a call from a
test) that runs past its limit, or a process that dies, ends the session with :class:`SandboxLost`.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from typing import Any, Literal

from autograder.sandbox import codec
from autograder.sandbox.launcher import ChildExit, Sandbox
from autograder.sandbox.limits import Limits
from autograder.sandbox.protocol import ChannelClosed, ProtocolError, Timeout, recv_message, send_message

LossKind = Literal["timeout", "died", "protocol"]


def clean_text(value: object, limit: int) -> str:
    """Text from the sandbox made safe to store: a string, valid UTF-8, capped."""
    text = value if isinstance(value, str) else ""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + f"\n[... {len(text) - limit:,} more characters]"


class SandboxLost(Exception):
    """The submission's process can no longer be used: it timed out, died, or broke the protocol."""

    def __init__(self, kind: LossKind, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class ErrorInfo:
    type: str
    builtin: bool
    message: str
    traceback: str


@dataclass(frozen=True)
class RunReply:
    stdout: str
    stderr: str
    result: str
    error: ErrorInfo | None


@dataclass(frozen=True)
class Fetched:
    """What a name in the trainee's namespace holds, as far as the grader may know it."""

    kind: Literal["value", "module", "callable", "opaque", "missing"]
    value: object = None
    type_name: str = ""
    why: str = ""


@dataclass(frozen=True)
class CallReply:
    ok: bool
    value: object = None
    opaque: Fetched | None = None
    error: ErrorInfo | None = None
    stdout: str = ""
    stderr: str = ""
    changed: dict[str, object] | None = None
    """Arguments the call changed in place ("0", "1"... or "=name" for a keyword), with their new values;
    :class:`Unchangeable` for one that can no longer be sent back."""


@dataclass(frozen=True)
class Unchangeable:
    """An argument the trainee's function changed into something that cannot be sent back."""

    why: str


class ChildSession:
    """One submission's process, from the first cell to :meth:`close`."""

    def __init__(self, sandbox: Sandbox, limits: Limits) -> None:
        self.sandbox = sandbox
        self.limits = limits
        self.sock: socket.socket | None = sandbox.start_child()
        self.deadline = time.monotonic() + limits.submission_timeout
        self.lost: SandboxLost | None = None
        self.exit: ChildExit | None = None
        self.max_reply = limits.value_mb * 2 * 1024 * 1024 + 16 * limits.output_chars + (1 << 20)

    def _text(self, value: object) -> str:
        return clean_text(value, self.limits.output_chars + 200)

    def _error(self, data: object) -> ErrorInfo | None:
        if not isinstance(data, dict):
            return None
        return ErrorInfo(
            type=self._text(data.get("type"))[:100] or "Error",
            builtin=data.get("builtin") is True,
            message=self._text(data.get("message")),
            traceback=self._text(data.get("traceback")),
        )

    def _request(self, message: dict[str, Any], expect: str) -> dict[str, Any]:
        if self.lost is not None:
            raise self.lost
        assert self.sock is not None
        now = time.monotonic()
        deadline = min(now + self.limits.cell_timeout, self.deadline)
        timeout_kind = "cell" if now + self.limits.cell_timeout <= self.deadline else "notebook"
        try:
            send_message(self.sock, message)
            reply = recv_message(
                self.sock, max_bytes=self.max_reply, deadline=deadline, max_nodes=self.limits.value_nodes
            )
            if reply.get("op") != expect:
                raise ProtocolError(f"expected '{expect}', got {str(reply.get('op'))[:40]!r}")
            return reply
        except Timeout:
            limit = self.limits.cell_timeout if timeout_kind == "cell" else self.limits.submission_timeout
            what = "one cell" if timeout_kind == "cell" else "the whole notebook"
            self.lost = SandboxLost("timeout", f"ran past the {limit:g}-second limit for {what}")
        except (ChannelClosed, BrokenPipeError, ConnectionResetError):
            self.lost = SandboxLost("died", "the process running the notebook ended")
        except (ProtocolError, OSError) as error:
            self.lost = SandboxLost("protocol", f"the process running the notebook misbehaved ({error})")
        self.close()
        raise self.lost

    def run(self, source: str, label: str) -> RunReply:
        reply = self._request({"op": "run", "source": source, "label": label}, "ran")
        return RunReply(
            stdout=self._text(reply.get("stdout")),
            stderr=self._text(reply.get("stderr")),
            result=self._text(reply.get("result")),
            error=self._error(reply.get("error")),
        )

    def fetch(self, names: list[str]) -> dict[str, Fetched]:
        if not names:
            return {}
        reply = self._request({"op": "get", "names": names}, "values")
        values = reply.get("values")
        values = values if isinstance(values, dict) else {}
        return {name: self._fetched(values.get(name)) for name in names}

    def _fetched(self, data: object) -> Fetched:
        if not isinstance(data, dict):
            return Fetched("missing")
        kind = data.get("kind")
        type_name = self._text(data.get("type"))[:200]
        why = self._text(data.get("why"))[:500]
        if kind == "value":
            try:
                return Fetched("value", codec.decode(data.get("value"), cells=self.limits.value_cells))
            except (codec.CodecError, RecursionError, MemoryError) as error:
                return Fetched("opaque", type_name="value", why=f"it arrived as invalid data ({error})")
        if kind == "module":
            return Fetched("module", self._text(data.get("module"))[:200])
        if kind in ("callable", "opaque"):
            return Fetched(kind, type_name=type_name, why=why)
        return Fetched("missing")

    def call(
        self, name: str, args: tuple[object, ...], kwargs: dict[str, object], hide: tuple[str, ...] = ()
    ) -> CallReply:
        """Call the trainee's function ``name``; ``hide`` names the trainee's globals the test deleted, which the
        call must not see (nbgrader's own ps1 tests ``del squares`` to check that another function uses it)."""
        budget = self.limits.value_mb * 1024 * 1024
        try:
            message = {
                "op": "call",
                "name": name,
                "args": codec.encode(list(args), max_bytes=budget),
                "kwargs": codec.encode(dict(kwargs), max_bytes=budget),
            }
            if hide:
                message["hide"] = list(hide)
        except codec.Unencodable as error:
            raise TypeError(
                f"the test passed {error.type_name} to {name}(), which cannot be sent to it"
            ) from None
        reply = self._request(message, "called")
        stdout, stderr = self._text(reply.get("stdout")), self._text(reply.get("stderr"))
        if reply.get("ok") is not True:
            return CallReply(ok=False, error=self._error(reply.get("error")), stdout=stdout, stderr=stderr)
        if isinstance(reply.get("opaque"), dict):
            opaque = reply["opaque"]
            fetched = Fetched(
                "opaque",
                type_name=self._text(opaque.get("type"))[:200],
                why=self._text(opaque.get("why"))[:500],
            )
            return CallReply(ok=True, opaque=fetched, stdout=stdout, stderr=stderr)
        changed = self._changed(reply.get("changed"))
        try:
            value = codec.decode(reply.get("value"), cells=self.limits.value_cells)
            return CallReply(ok=True, value=value, stdout=stdout, stderr=stderr, changed=changed)
        except (codec.CodecError, RecursionError, MemoryError) as error:
            fetched = Fetched("opaque", type_name="value", why=f"it arrived as invalid data ({error})")
            return CallReply(ok=True, opaque=fetched, stdout=stdout, stderr=stderr)

    def _changed(self, data: object) -> dict[str, object] | None:
        """The arguments a call changed, rebuilt (bounded like any value); None if it changed none."""
        if not isinstance(data, dict) or not data:
            return None
        changed: dict[str, object] = {}
        for key, item in list(data.items())[:1000]:
            if not isinstance(key, str) or not isinstance(item, dict):
                continue
            try:
                changed[key] = (
                    codec.decode(item["value"], cells=self.limits.value_cells)
                    if "value" in item
                    else Unchangeable(self._text(item.get("why"))[:500])
                )
            except (codec.CodecError, RecursionError, MemoryError, KeyError, TypeError) as error:
                changed[key] = Unchangeable(f"it arrived as invalid data ({error})")
        return changed or None

    def close(self) -> ChildExit:
        """Stop the process and clear up after it (idempotent)."""
        if self.exit is None:
            if self.sock is not None:
                self.sock.close()
                self.sock = None
            self.exit = self.sandbox.stop_child()
        return self.exit
