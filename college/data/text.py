"""Fast text columns: labels from a small vocabulary, and fixed-width numbers such as NHS numbers and identifiers.

Building millions of Python strings is the slowest part of making a table. Where pyarrow is installed (a tutor's or
an author's install, and Anaconda), these helpers build Arrow string arrays straight from NumPy buffers and hand
them to pandas without copying. A trainee's plain install has no pyarrow (it is 170 MB), so the same text is then
built with NumPy: slower, but the values, and so the files written from them, are the same.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

HAVE_ARROW = importlib.util.find_spec("pyarrow") is not None
"""Whether pyarrow can be imported here (checked without importing it)."""

TEXT = pd.StringDtype("pyarrow" if HAVE_ARROW else "python", na_value=np.nan)
"""pandas' default text type (``str``): backed by Arrow where pyarrow is installed, by Python strings otherwise."""


def labels(vocabulary: Sequence[str], indices: npt.ArrayLike) -> pd.Series:
    """The labels ``vocabulary[i]`` for each index i, as a text Series."""
    codes = np.asarray(indices, dtype=np.int32)
    if not HAVE_ARROW:
        words = np.empty(len(vocabulary), dtype=object)
        words[:] = list(vocabulary)
        return pd.Series(words[codes], dtype=TEXT)
    import pyarrow as pa

    decoded = pa.DictionaryArray.from_arrays(
        pa.array(codes), pa.array(list(vocabulary), type=pa.string())
    ).dictionary_decode()
    return pd.Series(decoded, dtype=TEXT)


def fixed_width(numbers: npt.ArrayLike, width: int, prefix: str = "") -> pd.Series:
    """Non-negative whole numbers as text of ``width`` digits with leading zeros, after an optional prefix."""
    values = np.asarray(numbers, dtype=np.int64)
    if len(values) and (values.min() < 0 or values.max() >= 10**width):
        raise ValueError(f"numbers do not fit in {width} digits")
    head = prefix.encode("ascii")
    size = len(head) + width
    matrix = np.empty((len(values), size), dtype=np.uint8)
    matrix[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    remaining = values.copy()
    for column in range(size - 1, len(head) - 1, -1):  # one digit at a time keeps memory at one column
        matrix[:, column] = remaining % 10 + ord("0")
        remaining //= 10
    if not HAVE_ARROW:
        text = matrix.view(f"S{size}").ravel() if len(values) else np.empty(0, dtype=f"S{size}")
        return pd.Series(text.astype(str).astype(object), dtype=TEXT)
    import pyarrow as pa

    offsets = np.arange(0, (len(values) + 1) * size, size, dtype=np.int32)
    array = pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(matrix))
    return pd.Series(array, dtype=TEXT)
