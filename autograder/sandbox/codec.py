"""Move plain values between the sandbox and the grader as data: JSON, with Arrow IPC for pandas objects.

Never pickle. :func:`encode` runs on either side; :func:`decode` rebuilds values as exact built-in, NumPy or pandas
types, so nothing the trainee defined (an ``__eq__``, a subclass) reaches the grader. Anything else is reported as
unencodable, with the reason, and a test that reads it fails with that reason.

Standard library only at import time: NumPy, pandas and pyarrow are imported when a value needs them.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import decimal
import fractions
import math
import sys
from typing import Any

MAX_DEPTH = 60
MAX_CELLS = 20_000_000
"""Default bound on the cells (rows times columns) of one data frame rebuilt from Arrow data."""
MAX_SAME_HASH = 64
"""Most keys of one dict that may share a hash: more is an attempt to make building the dict quadratic."""
MAX_DECIMAL_DIGITS = 4300
"""Python's own bound on an int's decimal digits (``sys.get_int_max_str_digits``), for Decimals: ``int()`` of
``Decimal("1e10000000")`` runs for half an hour inside C, where no time limit of the grader's can stop it."""
PLAIN_DICT_TYPES = (collections.Counter, collections.OrderedDict, collections.defaultdict)
ARRAY_KINDS = frozenset("biufcmMUS")
"""NumPy dtype kinds that are moved as raw bytes (no Python objects inside)."""


class CodecError(Exception):
    """Data from the other side is not a valid encoded value."""


class Unencodable(Exception):
    """A value the grader cannot receive as data; the message says why, for the trainee."""

    def __init__(self, type_name: str, why: str) -> None:
        self.type_name = type_name
        self.why = why
        super().__init__(f"{type_name}: {why}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise CodecError("expected base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as error:
        raise CodecError(f"bad base64: {error}") from None


def _type_name(value: object) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "")
    name = getattr(kind, "__qualname__", kind.__name__)
    return name if module in ("builtins", "__main__", "") else f"{module}.{name}"


class _Encoder:
    def __init__(self, max_bytes: int) -> None:
        self.budget = max_bytes
        self.np: Any = sys.modules.get("numpy")
        self.pd: Any = sys.modules.get("pandas")

    def spend(self, size: int) -> None:
        self.budget -= size
        if self.budget < 0:
            raise Unencodable("value", "it is too large to move out of the sandbox for checking")

    def encode(self, value: object, depth: int = 0) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise Unencodable(_type_name(value), "it is nested too deeply")
        kind = type(value)
        self.spend(16)
        if value is None:
            return {"t": "none"}
        if kind is bool:
            return {"t": "bool", "v": value}
        if kind is int:
            text = str(value)
            self.spend(len(text))
            return {"t": "int", "v": text}
        if kind is float:
            return {"t": "float", "v": float.hex(value)}  # type: ignore[arg-type]
        if kind is complex:
            return {"t": "complex", "v": [value.real.hex(), value.imag.hex()]}  # type: ignore[attr-defined]
        if kind is str:
            self.spend(len(value))  # type: ignore[arg-type]
            return {"t": "str", "v": value}
        if kind is bytes:
            self.spend(len(value))  # type: ignore[arg-type]
            return {"t": "bytes", "v": _b64(value)}  # type: ignore[arg-type]
        if kind in (list, tuple, set, frozenset):
            items = list(value) if kind in (list, tuple) else sorted(value, key=repr)  # type: ignore[call-overload]
            return {"t": kind.__name__, "v": [self.encode(item, depth + 1) for item in items]}
        if kind is dict or kind in PLAIN_DICT_TYPES:  # a Counter or OrderedDict is checked as the dict it is
            items = dict.items(value)  # type: ignore[arg-type]
            pairs = [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in items]
            return {"t": "dict", "v": pairs}
        if kind is range:
            return {"t": "range", "v": [value.start, value.stop, value.step]}  # type: ignore[attr-defined]
        if kind is decimal.Decimal:
            return {"t": "decimal", "v": str(value)}
        if kind is fractions.Fraction:
            return {"t": "fraction", "v": [str(value.numerator), str(value.denominator)]}  # type: ignore[attr-defined]
        if kind is dt.datetime:
            return {"t": "datetime", "v": value.isoformat()}  # type: ignore[attr-defined]
        if kind is dt.date:
            return {"t": "date", "v": value.isoformat()}  # type: ignore[attr-defined]
        if kind is dt.time:
            return {"t": "time", "v": value.isoformat()}  # type: ignore[attr-defined]
        if kind is dt.timedelta:
            return {"t": "timedelta", "v": [value.days, value.seconds, value.microseconds]}  # type: ignore[attr-defined]
        encoded = self.encode_numpy(value, depth) if self.np is not None else None
        if encoded is None and self.pd is not None:
            encoded = self.encode_pandas(value, depth)
        if encoded is not None:
            return encoded
        raise Unencodable(
            _type_name(value), "it is not a plain value (number, text, list, dict, array, frame)"
        )

    def encode_numpy(self, value: object, depth: int) -> dict[str, Any] | None:
        np = self.np
        if type(value) is np.ndarray:
            array: Any = value
            if array.dtype.kind in ARRAY_KINDS:
                data = np.ascontiguousarray(array).tobytes()
                self.spend(len(data))
                return {"t": "ndarray", "dtype": array.dtype.str, "shape": list(array.shape), "v": _b64(data)}
            if array.dtype.kind == "O":
                items = [self.encode(item, depth + 1) for item in array.ravel().tolist()]
                return {"t": "ndarray_object", "shape": list(array.shape), "v": items}
            raise Unencodable("numpy.ndarray", f"arrays of dtype {array.dtype} cannot be moved")
        if isinstance(value, np.generic) and type(value).__module__ == "numpy":
            scalar: Any = value
            if scalar.dtype.kind in ARRAY_KINDS:
                return {"t": "npscalar", "dtype": scalar.dtype.str, "v": _b64(scalar.tobytes())}
        return None

    def encode_pandas(self, value: object, depth: int) -> dict[str, Any] | None:
        pd = self.pd
        kind = type(value)
        if kind is pd.DataFrame:
            return {"t": "dataframe", "v": self.arrow(value)}
        if kind is pd.Series:
            series: Any = value
            frame = series.to_frame(name="__value__")
            return {"t": "series", "name": self.encode(series.name, depth + 1), "v": self.arrow(frame)}
        if isinstance(value, pd.Index) and kind.__module__.split(".")[0] == "pandas":
            return {"t": "index", "v": self.arrow(pd.DataFrame(index=value))}
        if kind is pd.Timestamp:
            stamp: Any = value
            return {"t": "timestamp", "v": stamp.isoformat(), "tz": str(stamp.tz) if stamp.tz else None}
        if kind is pd.Timedelta:
            return {"t": "pdtimedelta", "v": str(value.value)}  # type: ignore[attr-defined]
        if value is pd.NaT:
            return {"t": "nat"}
        if value is pd.NA:
            return {"t": "na"}
        return None

    def arrow(self, frame: Any) -> str:
        import pyarrow as pa

        try:
            # in the calling thread only: the trainee may have used up the processes and threads allowed
            table = pa.Table.from_pandas(frame, preserve_index=True, nthreads=1)
        except (pa.ArrowException, TypeError, ValueError) as error:
            raise Unencodable(_type_name(frame), f"it cannot be converted to Arrow ({error})") from None
        sink = pa.BufferOutputStream()
        options = pa.ipc.IpcWriteOptions(use_threads=False)
        with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
            writer.write_table(table)
        data = sink.getvalue().to_pybytes()
        self.spend(len(data))
        return _b64(data)


def encode(value: object, *, max_bytes: int = 64 * 1024 * 1024) -> dict[str, Any]:
    """``value`` as JSON-ready data; raises :class:`Unencodable` for anything that is not a plain value."""
    return _Encoder(max_bytes).encode(value)


def _float(text: object) -> float:
    if not isinstance(text, str):
        raise CodecError("expected a float in hex")
    try:
        return float.fromhex(text)
    except ValueError:
        raise CodecError(f"bad float {text[:40]!r}") from None


def _expect(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if type(value) is not kind:
        raise CodecError(f"'{data.get('t')}' needs '{key}' of type {kind.__name__}")
    return value


def _plain_arrow_type(kind: Any) -> bool:
    """Types a data frame of plain values becomes in Arrow; anything else (run-end encoded, views, unions,
    extension types...) is refused before a byte of it is decoded."""
    import pyarrow.types as t

    if (
        t.is_null(kind) or t.is_boolean(kind) or t.is_integer(kind) or t.is_floating(kind)
        or t.is_string(kind) or t.is_large_string(kind) or t.is_binary(kind) or t.is_large_binary(kind)
        or t.is_timestamp(kind) or t.is_date(kind) or t.is_time(kind) or t.is_duration(kind)
        or t.is_decimal(kind)
    ):  # fmt: skip
        return True
    if t.is_dictionary(kind):
        return _plain_arrow_type(kind.index_type) and _plain_arrow_type(kind.value_type)
    return False  # nested types (lists, structs) are refused too: their elements would escape the cell count


def _decode_arrow(text: object, cells: int) -> Any:
    """A data frame from Arrow IPC, bounded by the receiver: plain types only, at most ``cells`` cells counted
    batch by batch as the stream is read, and no metadata (``attrs``) kept."""
    import pyarrow as pa

    try:
        reader = pa.ipc.open_stream(pa.py_buffer(_unb64(text)))
        schema = reader.schema
        if not all(_plain_arrow_type(field.type) for field in schema):
            raise CodecError("Arrow data holds a column type a plain data frame does not have")
        width = max(1, len(schema))
        batches = []
        total = 0
        for batch in reader:
            total += batch.num_rows * width
            total += sum(
                len(column.dictionary) for column in batch.columns if isinstance(column, pa.DictionaryArray)
            )
            if total > cells:
                raise CodecError(f"a data frame of more than {cells} cells is too large to check")
            batches.append(batch)
        table = pa.Table.from_batches(batches, schema=schema)
        frame = table.to_pandas(use_threads=False)  # no thread: the process limit may be used up
    except (pa.ArrowException, ValueError, TypeError, KeyError) as error:
        raise CodecError(f"bad Arrow data: {error}") from None
    except MemoryError:
        raise CodecError("Arrow data would not fit in the grader's memory") from None
    frame.attrs = {}
    return frame


def decode(data: object, depth: int = 0, *, cells: int = MAX_CELLS) -> object:
    """Rebuild a value from :func:`encode`'s output, as exact built-in, NumPy or pandas types only.

    The receiver's bounds apply as it goes: nesting depth, data frame cells, and keys sharing one hash. Whatever
    the bytes, the only exceptions are :class:`CodecError` and MemoryError: the other side may send anything (a
    time zone no one has, a shape of ``1e400``), and the libraries that rebuild values raise many kinds."""
    try:
        return _decode(data, depth, cells=cells)
    except (CodecError, MemoryError):
        raise
    except (
        Exception
    ) as error:  # KeyError from zoneinfo, OverflowError from a shape, IndexError from pandas...
        raise CodecError(f"bad value: {type(error).__name__}") from None


def _decode(data: object, depth: int = 0, *, cells: int = MAX_CELLS) -> object:
    if depth > MAX_DEPTH + 2:
        raise CodecError("value nested too deeply")
    if type(data) is not dict or type(data.get("t")) is not str:
        raise CodecError("expected an encoded value")
    tag: str = data["t"]
    value = data.get("v")
    if tag == "none":
        return None
    if tag == "bool":
        return _expect(data, "v", bool)
    if tag == "int":
        try:
            return int(_expect(data, "v", str))
        except ValueError:
            raise CodecError("bad int") from None
    if tag == "float":
        return _float(value)
    if tag == "complex":
        if type(value) is not list or len(value) != 2:
            raise CodecError("bad complex")
        return complex(_float(value[0]), _float(value[1]))
    if tag == "str":
        return _expect(data, "v", str)
    if tag == "bytes":
        return _unb64(value)
    if tag in ("list", "tuple", "set", "frozenset"):
        items = [_decode(item, depth + 1, cells=cells) for item in _expect(data, "v", list)]
        if tag in ("set", "frozenset"):
            _check_hashes(items)
        try:
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
        except TypeError as error:
            raise CodecError(f"bad {tag}: {error}") from None
    if tag == "dict":
        pairs: list[tuple[object, object]] = []
        for pair in _expect(data, "v", list):
            if type(pair) is not list or len(pair) != 2:
                raise CodecError("bad dict item")
            pairs.append((_decode(pair[0], depth + 1, cells=cells), _decode(pair[1], depth + 1, cells=cells)))
        _check_hashes([key for key, _ in pairs])
        try:
            return dict(pairs)
        except TypeError as error:
            raise CodecError(f"bad dict key: {error}") from None
    return _decode_other(tag, data, value, depth, cells)


def _check_hashes(keys: list[object]) -> None:
    """Refuse keys built to collide (building a dict or set of them would take quadratic time)."""
    if len(keys) <= MAX_SAME_HASH:
        return
    try:
        counts = collections.Counter(hash(key) for key in keys)
    except TypeError as error:
        raise CodecError(f"bad key: {error}") from None
    if counts and max(counts.values()) > MAX_SAME_HASH:
        raise CodecError("too many keys share one hash value")


def _decode_other(tag: str, data: dict[str, Any], value: object, depth: int, cells: int) -> object:
    try:
        if tag == "range":
            start, stop, step = _expect(data, "v", list)
            if not all(type(part) is int for part in (start, stop, step)):
                raise CodecError("bad range")
            span = range(start, stop, step)
            if len(span) > cells:  # sum(range(10**18)) runs in C, where no time limit can stop it
                raise CodecError(f"a range of more than {cells} numbers is too long to check")
            return span
        if tag == "decimal":
            number = decimal.Decimal(_expect(data, "v", str))
            if number.is_finite() and (
                abs(number.adjusted()) > MAX_DECIMAL_DIGITS
                or len(number.as_tuple().digits) > MAX_DECIMAL_DIGITS
            ):
                raise CodecError(f"a Decimal of more than {MAX_DECIMAL_DIGITS} digits (or 10 to that power)")
            return number
        if tag == "fraction":
            numerator, denominator = _expect(data, "v", list)
            return fractions.Fraction(int(numerator), int(denominator))
        if tag == "datetime":
            return dt.datetime.fromisoformat(_expect(data, "v", str))
        if tag == "date":
            return dt.date.fromisoformat(_expect(data, "v", str))
        if tag == "time":
            return dt.time.fromisoformat(_expect(data, "v", str))
        if tag == "timedelta":
            days, seconds, micro = _expect(data, "v", list)
            return dt.timedelta(days=int(days), seconds=int(seconds), microseconds=int(micro))
    except (ValueError, TypeError, decimal.InvalidOperation, ZeroDivisionError, OverflowError) as error:
        raise CodecError(f"bad {tag}: {error}") from None
    if tag in ("ndarray", "ndarray_object", "npscalar"):
        return _decode_numpy(tag, data, depth, cells)
    return _decode_pandas(tag, data, value, depth, cells)


def _decode_numpy(tag: str, data: dict[str, Any], depth: int, cells: int) -> object:
    import numpy as np

    try:
        if tag == "ndarray_object":
            shape = tuple(int(size) for size in _expect(data, "shape", list))
            items = [_decode(item, depth + 1, cells=cells) for item in _expect(data, "v", list)]
            array = np.empty(len(items), dtype=object)
            array[:] = items
            return array.reshape(shape)
        dtype = np.dtype(_expect(data, "dtype", str))
        if dtype.kind not in ARRAY_KINDS or dtype.hasobject:
            raise CodecError(f"dtype {dtype} is not allowed")
        raw = _unb64(data.get("v"))
        if tag == "npscalar":
            return np.frombuffer(raw, dtype=dtype, count=1)[0]
        shape = tuple(int(size) for size in _expect(data, "shape", list))
        if math.prod(shape) * dtype.itemsize != len(raw):
            raise CodecError("array size does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    except (TypeError, ValueError) as error:
        raise CodecError(f"bad {tag}: {error}") from None


def _decode_pandas(tag: str, data: dict[str, Any], value: object, depth: int, cells: int) -> object:
    import pandas as pd

    if tag == "dataframe":
        frame = _decode_arrow(value, cells)
        if type(frame) is not pd.DataFrame:
            raise CodecError("Arrow data did not give a data frame")
        return frame
    if tag == "series":
        frame = _decode_arrow(value, cells)
        if type(frame) is not pd.DataFrame or list(frame.columns) != ["__value__"]:
            raise CodecError("Arrow data did not give a series")
        series = frame["__value__"]
        series.name = _decode(data.get("name"), depth + 1, cells=cells)
        series.attrs = {}
        return series
    if tag == "index":
        frame = _decode_arrow(value, cells)
        if type(frame) is not pd.DataFrame:
            raise CodecError("Arrow data did not give an index")
        return frame.index
    try:
        if tag == "timestamp":
            stamp = pd.Timestamp(_expect(data, "v", str))
            zone = data.get("tz")
            return stamp.tz_convert(zone) if isinstance(zone, str) and stamp.tz is not None else stamp
        if tag == "pdtimedelta":
            return pd.Timedelta(int(_expect(data, "v", str)), unit="ns")
    except (ValueError, TypeError, OverflowError) as error:
        raise CodecError(f"bad {tag}: {error}") from None
    if tag == "nat":
        return pd.NaT
    if tag == "na":
        return pd.NA
    raise CodecError(f"unknown value type '{tag}'")
