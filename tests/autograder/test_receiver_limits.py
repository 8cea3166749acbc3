"""The receiver decides sizes: whatever the trainee's process sends, the grader bounds it before materialising it,
and a malformed reply is a protocol error (marks already earned are kept), never a crash of the grader."""

from __future__ import annotations

import base64
import collections
import contextlib
import json
import socket
import subprocess
import sys
import threading
import time

import pandas as pd
import pyarrow as pa
import pytest

from autograder.execute import OutputBudget
from autograder.models import CellKind
from autograder.sandbox import codec
from autograder.sandbox.protocol import HEADER, ProtocolError, recv_message


def raw_message(body: bytes) -> socket.socket:
    """A socket with `body` arriving on it, sent from a thread because a large body fills the socket's buffer."""
    mine, theirs = socket.socketpair()

    def send() -> None:
        with theirs, contextlib.suppress(OSError):  # the receiver may stop reading once it has seen enough
            theirs.sendall(HEADER.pack(len(body)) + body)

    threading.Thread(target=send, daemon=True).start()
    return mine


@pytest.mark.parametrize(
    "body",
    [
        b"[" + b",".join([b"{}"] * 300_000) + b"]",
        b'{"values":' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"v":[' + b",".join([b'{"t":"none"}'] * 200_000) + b"]}",
    ],
    ids=["many-tiny-objects", "deep-nesting", "many-encoded-values"],
)
def test_a_reply_of_too_many_or_too_deep_objects_is_a_protocol_error(body: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(ProtocolError):
        recv_message(raw_message(body), max_bytes=len(body) + 1, max_nodes=100_000)
    assert time.perf_counter() - started < 5


def test_nesting_too_deep_for_json_is_a_protocol_error_even_without_a_node_limit() -> None:
    body = b'{"v":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    with pytest.raises(ProtocolError, match="nested too deeply"):
        recv_message(raw_message(body), max_bytes=len(body) + 1)


def arrow_of(table: pa.Table, **options: object) -> dict[str, object]:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(**options)) as writer:
        writer.write_table(table)
    return {"t": "dataframe", "v": base64.b64encode(sink.getvalue().to_pybytes()).decode()}


def test_run_end_encoded_arrow_is_refused_before_it_is_expanded() -> None:
    ree = pa.RunEndEncodedArray.from_arrays(pa.array([10**9], pa.int32()), pa.array([1.0]))
    encoded = arrow_of(pa.table({"x": ree}))
    assert len(json.dumps(encoded)) < 2_000
    with pytest.raises(codec.CodecError, match="column type"):
        codec.decode(encoded)


def test_a_frame_over_the_cell_limit_is_refused_however_well_it_compresses() -> None:
    table = pa.table({"a": pa.array([0] * 2_000_000, pa.int8()), "b": pa.array([0] * 2_000_000, pa.int8())})
    encoded = arrow_of(table, compression="zstd")
    assert len(json.dumps(encoded)) < 100_000
    with pytest.raises(codec.CodecError, match="cells"):
        codec.decode(encoded, cells=1_000_000)
    assert codec.decode(encoded, cells=5_000_000).shape == (2_000_000, 2)


def test_what_tests_never_need_is_dropped() -> None:
    frame = pd.DataFrame({"x": [1, 2]})
    frame.attrs = {"big": list(range(1000))}
    series = frame["x"].copy()
    series.attrs = {"note": "x" * 1000}
    assert codec.decode(codec.encode(frame)).attrs == {}  # type: ignore[union-attr]
    assert codec.decode(codec.encode(series)).attrs == {}  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["dict", "set"])
def test_keys_built_to_collide_are_refused_quickly(kind: str) -> None:
    colliding = [i * (2**61 - 1) for i in range(1, 3_001)]  # every one hashes to 0
    value: object = dict.fromkeys(colliding, 0) if kind == "dict" else set(colliding)
    encoded = codec.encode(value)
    started = time.perf_counter()
    with pytest.raises(codec.CodecError, match="hash"):
        codec.decode(encoded)
    assert time.perf_counter() - started < 5
    assert codec.decode(codec.encode(dict.fromkeys(range(20_000), 0))) == dict.fromkeys(range(20_000), 0)


@pytest.mark.parametrize(
    "value",
    [
        collections.Counter("abracadabra"),
        collections.OrderedDict([("b", 1), ("a", 2)]),
        collections.defaultdict(list, {"x": [1], "y": []}),
    ],
    ids=["Counter", "OrderedDict", "defaultdict"],
)
def test_a_dict_subclass_from_the_standard_library_is_checked_as_the_dict_it_is(value: dict) -> None:
    decoded = codec.decode(codec.encode(value))
    assert type(decoded) is dict and decoded == dict(value)


def test_a_dict_subclass_of_the_trainees_own_is_not_a_plain_value() -> None:
    class Rigged(dict):  # type: ignore[type-arg]
        def __eq__(self, other: object) -> bool:
            return True

    with pytest.raises(codec.Unencodable):
        codec.encode(Rigged(a=1))


def test_output_is_budgeted_per_notebook_not_per_cell() -> None:
    budget = OutputBudget(1_000)
    records = [
        budget.record(kind=CellKind.TRAINEE, label=f"c{i}", source="x" * 30, stdout="y" * 30)
        for i in range(500)
    ]
    kept = sum(len(r.source) + len(r.stdout) for r in records)
    assert kept <= 1_000 + 2 * len(OutputBudget.NOTE)
    assert records[-1].stdout == "" and OutputBudget.NOTE in "".join(r.stdout + r.source for r in records)


def test_a_list_column_cannot_hide_its_elements_from_the_cell_count() -> None:
    table = pa.table({"x": pa.array([[0] * 2_000_000], pa.list_(pa.int8()))})
    with pytest.raises(codec.CodecError, match="column type"):
        codec.decode(arrow_of(table, compression="zstd"))


def test_a_categorical_counts_its_categories() -> None:
    categories = pa.array([f"c{i}" for i in range(50_000)])
    table = pa.table({"x": pa.DictionaryArray.from_arrays(pa.array([0], pa.int32()), categories)})
    with pytest.raises(codec.CodecError, match="cells"):
        codec.decode(arrow_of(table), cells=10_000)
    frame = pd.DataFrame({"x": pd.Categorical(["a", "b", "a"])})
    assert codec.decode(codec.encode(frame)).equals(frame)  # type: ignore[union-attr]


def test_a_grading_worker_caps_its_own_memory() -> None:
    """What a test builds from the trainee's values in the grader is bounded: past the cap, a MemoryError (that
    test fails) rather than the machine swapping or another trainee's grading being killed."""
    script = (
        "from autograder.worker import limit_own_memory\n"
        "import pandas, pyarrow\n"
        "limit_own_memory(1536)\n"
        "try:\n"
        "    big = bytearray(3 * 1024**3)\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
        "small = bytearray(100 * 1024**2)\n"
        "print('still working')\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert completed.stdout.split() == ["MemoryError", "still", "working"], completed.stderr
