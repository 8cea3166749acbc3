"""Values cross the sandbox boundary as data only, and come back as exact built-in, NumPy or pandas types."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.sandbox.codec import CodecError, Unencodable, decode, encode


def round_trip(value: object) -> object:
    return decode(json.loads(json.dumps(encode(value))))


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=5), inner, max_size=4)
            | st.tuples(inner, inner)
        ),
        max_leaves=12,
    )
)
def test_plain_values_round_trip_exactly(value: object) -> None:
    back = round_trip(value)
    assert back == value and type(back) is type(value)


def test_special_floats_keep_their_bits() -> None:
    assert str(round_trip(-0.0)) == "-0.0"
    assert round_trip(float("nan")) != round_trip(float("nan"))  # NaN, still


@pytest.mark.parametrize(
    "value",
    [
        np.arange(12, dtype=np.int32).reshape(3, 4),
        np.array([1.5, np.nan]),
        np.array(["a", "bb"]),
        np.array([True, False]),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
    ],
)
def test_arrays_round_trip_with_their_dtype(value: np.ndarray) -> None:
    back = round_trip(value)
    assert type(back) is np.ndarray and back.dtype == value.dtype
    np.testing.assert_array_equal(back, value)


def test_frames_series_and_indexes_round_trip() -> None:
    frame = pd.DataFrame(
        {
            "org": ["RXX", "RYY"],
            "n": pd.array([1, None], dtype="Int64"),
            "when": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "kind": pd.Categorical(["a", "b"]),
        },
        index=pd.Index([10, 20], name="row"),
    )
    pd.testing.assert_frame_equal(round_trip(frame), frame)  # type: ignore[arg-type]
    series = pd.Series([1.0, 2.0], index=["a", "b"], name="rate")
    pd.testing.assert_series_equal(round_trip(series), series)  # type: ignore[call-overload]
    index = pd.Index(["x", "y"], name="code")
    pd.testing.assert_index_equal(round_trip(index), index)  # type: ignore[arg-type]
    assert round_trip(pd.Timestamp("2024-03-31 10:00", tz="Europe/London")) == pd.Timestamp(
        "2024-03-31 10:00", tz="Europe/London"
    )
    assert round_trip(dt.date(2024, 1, 2)) == dt.date(2024, 1, 2)
    assert round_trip(np.float64(2.5)) == 2.5 and type(round_trip(np.float64(2.5))) is np.float64


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True


class SneakyFloat(float):
    def __eq__(self, other: object) -> bool:
        return True


class SneakyFrame(pd.DataFrame):
    pass


@pytest.mark.parametrize(
    "value", [AlwaysEqual(), SneakyFloat(1), [1, AlwaysEqual()], SneakyFrame({"a": [1]}), lambda: 1]
)
def test_objects_the_trainee_defined_are_refused(value: object) -> None:
    with pytest.raises(Unencodable):
        encode(value)


def test_oversized_values_are_refused() -> None:
    with pytest.raises(Unencodable, match="too large"):
        encode("x" * 2000, max_bytes=1000)


@pytest.mark.parametrize(
    "data",
    [
        {"t": "pickle", "v": "gASV"},
        {"t": "ndarray", "dtype": "|O", "shape": [1], "v": ""},
        {"t": "ndarray", "dtype": "<i8", "shape": [5], "v": "AAAA"},
        {"t": "int", "v": 3},
        {"t": "dataframe", "v": "bm90IGFycm93"},
        [1, 2],
        {"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "none"}]]},
    ],
)
def test_malformed_data_is_an_error_not_a_crash(data: object) -> None:
    with pytest.raises(CodecError):
        decode(data)
