"""Writing tables as CSV and Parquet, byte for byte the same on every run, and reading them back typed.

CSV: UTF-8, a header row, ``\\n`` line endings, dates as ``YYYY-MM-DD``, date-times as ``YYYY-MM-DD HH:MM:SS``,
empty fields for missing values. Parquet: typed columns (text, 64-bit integers, doubles, dates, date-times in
seconds) following the data dictionary, zstd compression.

pyarrow is imported only where it is used: a trainee's plain install has none, and writes CSV with pandas alone
(the same bytes); Parquet then asks for it in one line.
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import numpy.typing as npt
import pandas as pd

from college.data.dictionary import DatasetSpec, FieldSpec
from college.data.text import HAVE_ARROW
from college.files import write_atomic

if TYPE_CHECKING:
    import pyarrow as pa

PYARROW_NEEDED = (
    "writing Parquet needs pyarrow, which the plain install leaves out: run `python -m pip install pyarrow`"
    " (Anaconda has it already), or write CSV with `--format csv`"
)


class Format(StrEnum):
    """A file format the data can be written in."""

    CSV = "csv"
    PARQUET = "parquet"


def _arrow_type(field_type: str) -> pa.DataType:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "date": pa.date32(),
        "datetime": pa.timestamp("s"),
    }
    return types[field_type]


def _check_columns(frame: pd.DataFrame, spec: DatasetSpec) -> None:
    if tuple(frame.columns) != spec.columns:
        raise ValueError(
            f"{spec.name}: the generated columns {list(frame.columns)} differ from the dictionary's {list(spec.columns)}"
        )


def _time_text(values: pd.Series, field_type: str) -> npt.NDArray[np.str_]:
    """Dates or date-times as text, fast: ISO 8601 from NumPy with the 'T' turned into a space."""
    unit = "D" if field_type == "date" else "s"
    times = values.to_numpy(dtype="datetime64[ns]").astype(f"datetime64[{unit}]")
    text: npt.NDArray[np.str_] = np.asarray(np.datetime_as_string(times, unit=unit))  # type: ignore[call-overload]
    if unit == "s" and len(text):
        characters = text.view(np.uint32).reshape(len(text), -1)
        characters[:, 10] = ord(" ")
    text[np.isnat(times)] = ""
    return text


def write_csv(frame: pd.DataFrame, spec: DatasetSpec, stream: BinaryIO) -> None:
    """Write the table as CSV to a binary stream that can be rewound.

    Arrow's CSV writer is fast but cannot quote only where needed, so it writes tables whose values need no quotes
    (with quoting switched off, it refuses any value that would); pandas writes the rest, and every table with
    decimal numbers, so that 72.0 keeps its decimal place.
    """
    _check_columns(frame, spec)
    if HAVE_ARROW and all(field.type != "number" for field in spec.fields):
        import pyarrow as pa
        import pyarrow.csv as pa_csv

        stream.write((",".join(spec.columns) + "\n").encode("utf-8"))
        try:
            pa_csv.write_csv(
                arrow_table(frame, spec),
                stream,
                pa_csv.WriteOptions(include_header=False, quoting_style="none"),
            )
        except pa.ArrowInvalid:
            stream.seek(0)
            stream.truncate()
        else:
            return
    out = frame.copy()
    for field in spec.fields:
        if field.type in ("date", "datetime"):
            out[field.name] = _time_text(frame[field.name], field.type)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    out.to_csv(text, index=False, lineterminator="\n", na_rep="")
    text.detach()


def _arrow_column(values: pd.Series, field: FieldSpec) -> pa.Array:
    import pyarrow as pa

    if field.type == "date":
        times = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        return pa.array(times, type=pa.date32(), mask=np.isnat(times))
    if field.type == "datetime":
        times = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[s]")
        return pa.array(times, type=pa.timestamp("s"), mask=np.isnat(times))
    if field.type == "string":
        return pa.array(values, type=pa.string(), from_pandas=True)
    return pa.array(values.to_numpy(), type=_arrow_type(field.type))


def arrow_table(frame: pd.DataFrame, spec: DatasetSpec) -> pa.Table:
    """The table as Arrow, with the column types of the dictionary."""
    _check_columns(frame, spec)
    if not HAVE_ARROW:
        raise ModuleNotFoundError(PYARROW_NEEDED)
    import pyarrow as pa

    schema = pa.schema(
        [pa.field(field.name, _arrow_type(field.type), nullable=field.nullable) for field in spec.fields]
    )
    return pa.Table.from_arrays(
        [_arrow_column(frame[field.name], field) for field in spec.fields], schema=schema
    )


def write_parquet(frame: pd.DataFrame, spec: DatasetSpec, stream: BinaryIO) -> None:
    """Write the table as Parquet to a binary stream."""
    table = arrow_table(frame, spec)
    import pyarrow.parquet as pq

    pq.write_table(table, stream, compression="zstd", store_schema=True)


def write_table(path: Path, frame: pd.DataFrame, spec: DatasetSpec, file_format: Format) -> str:
    """Write one table in one format, atomically; returns the file's SHA-256."""
    writer = write_csv if file_format is Format.CSV else write_parquet
    return write_atomic(path, lambda stream: writer(frame, spec, stream))


_PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64"}


def read_csv_typed(path: Path, spec: DatasetSpec) -> pd.DataFrame:
    """Read a CSV file of the data set with the types the dictionary gives its columns.

    Text stays text (so NHS numbers and codes such as ``"2A"`` keep their form), whole numbers become nullable
    integers, dates and date-times become ``datetime64``. Raises ValueError naming the file if it cannot be read
    or a value does not fit its column's type.
    """
    dtypes = {field.name: _PANDAS_TYPES.get(field.type, "string") for field in spec.fields}
    try:
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise ValueError(f"{path}: cannot be read as the {spec.name} data set ({error})") from error
    for field in spec.fields:
        if field.type in ("date", "datetime") and field.name in frame.columns:
            try:
                frame[field.name] = pd.to_datetime(frame[field.name], format="ISO8601")
            except ValueError as error:
                raise ValueError(
                    f"{path}: column {field.name} holds a value that is not a {field.type} ({error})"
                ) from error
    return frame
