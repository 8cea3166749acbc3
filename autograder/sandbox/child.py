"""The process that runs one trainee's notebook: cells with plain ``exec``, values out as data, calls in as data.

It is forked from the zygote for one submission and never sees another. Everything it sends is treated by the
grader as untrusted data; nothing it sends is ever executed by the grader. Standard library only at import time.
"""

from __future__ import annotations

import ast
import builtins
import io
import linecache
import os
import socket
import sys
import traceback
import types
from typing import Any, NoReturn

from autograder.sandbox import codec
from autograder.sandbox.limits import Limits
from autograder.sandbox.protocol import ChannelClosed, ProtocolError, recv_message, send_message

HERE = os.path.abspath(__file__)
MAX_REQUEST_BYTES = 1 << 30
EXIT_SEND_FAILED = 3
"""The child's exit code when it could not send a reply (the trainee's code broke something it relies on)."""


class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def text(self) -> str:
        kept = "".join(self.parts)
        if self.dropped:
            kept += f"\n[... {self.dropped:,} more characters of output not kept]"
        return kept


class GradingShell:
    """Stands in for IPython's ``get_ipython()`` while grading: plotting set-up is ignored, the rest refused."""

    ignored = frozenset({"matplotlib", "config", "load_ext", "autoreload", "reload_ext", "precision"})

    def run_line_magic(self, name: str, line: str, *_: object) -> None:
        if name not in self.ignored:
            raise RuntimeError(f"the magic %{name} is not available when grading")

    def run_cell_magic(self, name: str, line: str, cell: str) -> None:
        raise RuntimeError(f"the cell magic %%{name} is not available when grading")

    def system(self, command: str) -> None:
        raise RuntimeError("shell commands (lines starting with '!') are not run when grading")

    getoutput = system


def _display(*objects: object, **_: object) -> None:
    for item in objects:
        print(repr(item))


def fresh_namespace() -> dict[str, Any]:
    shell = GradingShell()
    return {
        "__name__": "__main__",
        "__builtins__": builtins,
        "get_ipython": lambda: shell,
        "display": _display,
    }


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f" [... {len(text) - limit:,} more characters]"


def describe_error(error: BaseException, limit: int) -> dict[str, Any]:
    """The exception as data: its type, message and the trainee's part of the traceback."""
    try:
        message = str(error)
    except BaseException:  # the trainee's __str__ may itself fail
        message = "(the error's message could not be shown)"
    try:
        summary = traceback.TracebackException.from_exception(error, limit=20)
        frames = [frame for frame in summary.stack if os.path.abspath(frame.filename) != HERE]
        summary.stack = traceback.StackSummary.from_list(frames)
        text = "".join(summary.format())
    except BaseException:
        text = f"{type(error).__name__}: {message}"
    kind = type(error)
    return {
        "type": kind.__name__,
        "builtin": kind.__module__ == "builtins" and getattr(builtins, kind.__name__, None) is kind,
        "message": _short(message, limit),
        "traceback": _short(text, limit),
    }


class Captured:
    """Send ``print`` and warnings to capped buffers while trainee code runs."""

    def __init__(self, limit: int) -> None:
        self.stdout = CappedText(limit)
        self.stderr = CappedText(limit)

    def __enter__(self) -> Captured:
        sys.stdout, sys.stderr = self.stdout, self.stderr
        return self

    def __exit__(self, *_: object) -> None:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__

    def as_dict(self) -> dict[str, str]:
        return {"stdout": self.stdout.text(), "stderr": self.stderr.text()}


class Child:
    def __init__(self, sock: socket.socket, limits: Limits) -> None:
        self.sock = sock
        self.limits = limits
        self.namespace = fresh_namespace()
        self.cells = 0
        self.pid = os.getpid()
        self.builtins = dict(builtins.__dict__)

    def restore_builtins(self) -> None:
        """Undo any change the trainee's code made to built-ins (``isinstance = ...``): the grader relies on them."""
        current = builtins.__dict__
        for name in [name for name in current if name not in self.builtins]:
            del current[name]
        current.update(self.builtins)

    def still_me(self) -> None:
        """A process the trainee forked that returns here must not talk to the grader: it ends at once."""
        if os.getpid() != self.pid:
            os._exit(0)

    def run_cell(self, source: str, label: str) -> dict[str, Any]:
        self.cells += 1
        filename = f"<{label}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        reply: dict[str, Any] = {"op": "ran", "result": "", "error": None}
        with Captured(self.limits.output_chars) as captured:
            try:
                tree = ast.parse(source, filename)
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                assert last is None or isinstance(last, ast.Expr)
                exec(compile(tree, filename, "exec"), self.namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), filename, "eval"), self.namespace)
                    if value is not None:
                        self.namespace["_"] = value
                        reply["result"] = _short(repr(value), self.limits.output_chars)
            except BaseException as error:  # SystemExit and KeyboardInterrupt are the trainee's errors too
                self.still_me()
                reply["error"] = describe_error(error, self.limits.output_chars)
        self.still_me()
        self.restore_builtins()
        reply.update(captured.as_dict())
        return reply

    def describe_names(self, names: list[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        budget = self.limits.value_mb * 1024 * 1024
        for name in names:
            if not isinstance(name, str) or name not in self.namespace:
                values[str(name)] = {"kind": "missing"}
                continue
            value = self.namespace[name]
            if isinstance(value, types.ModuleType):
                values[name] = {"kind": "module", "module": str(getattr(value, "__name__", ""))}
                continue
            try:
                values[name] = {"kind": "value", "value": codec.encode(value, max_bytes=budget)}
            except codec.Unencodable as unencodable:
                kind = "callable" if callable(value) else "opaque"
                values[name] = {"kind": kind, "type": unencodable.type_name, "why": unencodable.why}
            except BaseException as error:  # a broken __iter__ or __len__, say
                values[name] = {
                    "kind": "opaque",
                    "type": type(value).__name__,
                    "why": f"reading it failed: {error!r}",
                }
        return {"op": "values", "values": values}

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        name = message.get("name")
        target = self.namespace.get(name) if isinstance(name, str) else None
        if target is None or not callable(target):
            return {
                "op": "called",
                "ok": False,
                "error": {
                    "type": "NameError",
                    "builtin": True,
                    "message": f"{name!r} is not a function",
                    "traceback": "",
                },
            }
        try:
            args = codec.decode(message.get("args"))
            kwargs = codec.decode(message.get("kwargs"))
        except codec.CodecError as error:
            return {
                "op": "called",
                "ok": False,
                "error": {
                    "type": "TypeError",
                    "builtin": True,
                    "message": f"bad arguments: {error}",
                    "traceback": "",
                },
            }
        reply: dict[str, Any] = {"op": "called"}
        budget = self.limits.value_mb * 1024 * 1024
        before = _encodings(args, kwargs, budget)  # to tell which arguments the call changes in place
        hide = message.get("hide")
        hidden = {  # the names the test deleted are gone for this call only
            key: self.namespace.pop(key)
            for key in (hide if isinstance(hide, list) else ())[:1000]
            if isinstance(key, str) and key in self.namespace and key != name
        }
        with Captured(self.limits.output_chars) as captured:
            try:
                result = target(*args, **kwargs)  # type: ignore[misc, arg-type]
            except BaseException as error:
                self.still_me()
                reply.update(ok=False, error=describe_error(error, self.limits.output_chars))
            else:
                self.still_me()
                try:
                    reply.update(
                        ok=True, value=codec.encode(result, max_bytes=self.limits.value_mb * 1024 * 1024)
                    )
                except codec.Unencodable as unencodable:
                    reply.update(ok=True, opaque={"type": unencodable.type_name, "why": unencodable.why})
                except BaseException as error:
                    reply.update(ok=False, error=describe_error(error, self.limits.output_chars))
            changed = _changed_arguments(before, args, kwargs, budget)
            if changed:
                reply["changed"] = changed
        self.namespace.update(hidden)
        self.restore_builtins()
        reply.update(captured.as_dict())
        return reply

    def serve(self) -> NoReturn:
        while True:
            try:
                message = recv_message(self.sock, max_bytes=MAX_REQUEST_BYTES)
            except (ChannelClosed, ProtocolError, OSError):
                os._exit(0)
            op = message.get("op")
            if op == "run":
                reply = self.run_cell(str(message.get("source", "")), str(message.get("label", "cell")))
            elif op == "get":
                names = message.get("names")
                reply = self.describe_names(names if isinstance(names, list) else [])
            elif op == "call":
                reply = self.call(message)
            else:
                os._exit(0)
            try:
                send_message(self.sock, reply)
            except BaseException:
                os._exit(EXIT_SEND_FAILED)


def _encodings(args: Any, kwargs: Any, budget: int) -> dict[str, Any]:
    """Each argument's encoding, keyed "0", "1"... and by keyword; an argument that cannot be encoded is left out."""
    found: dict[str, Any] = {}
    positional = list(args) if isinstance(args, list) else []
    named = kwargs if isinstance(kwargs, dict) else {}
    for key, value in [
        *((str(i), v) for i, v in enumerate(positional)),
        *((f"={k}", v) for k, v in named.items()),
    ]:
        try:
            found[key] = codec.encode(value, max_bytes=budget)
        except BaseException:
            continue
    return found


def _changed_arguments(before: dict[str, Any], args: Any, kwargs: Any, budget: int) -> dict[str, Any]:
    """The arguments the call changed in place, as their new encodings ({"why": ...} if no longer encodable), so
    the test's own objects can be changed the same way: data in, data out, in place too."""
    after = _encodings(args, kwargs, budget)
    changed: dict[str, Any] = {}
    for key, encoding in before.items():
        if key not in after:
            changed[key] = {"why": "it was changed into a value that cannot be sent back"}
        elif after[key] != encoding:
            changed[key] = {"value": after[key]}
    return changed
