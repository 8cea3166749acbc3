"""The SQLite database the site's SQL runners query in the browser, built from the shared synthetic data files.

The tables are the CSV files the exercises and the SQL module read (``data/*.csv``), loaded with the column types of
the data dictionary: ``string``, ``date`` and ``datetime`` columns as ``TEXT`` (dates stay ISO 8601 text, as SQLite's
date functions expect), ``integer`` as ``INTEGER`` and ``number`` as ``REAL``; an empty cell is ``NULL``. The file is
written with ``VACUUM`` and gzip-compressed: the browser unpacks it with ``DecompressionStream``.
"""

from __future__ import annotations

import csv
import gzip
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from college.data.dictionary import DatasetSpec, FieldType, load_dictionary
from college.files import write_atomic


def sql_tables() -> tuple[str, ...]:
    """Every published data set of the dictionary: the tables the exercises, the SQL module and its exercise read."""
    return load_dictionary().dataset_names


SQLITE_TYPES: dict[FieldType, str] = {
    "string": "TEXT",
    "date": "TEXT",
    "datetime": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
}


class SqlDataMissing(Exception):
    """A data file the SQL database needs has not been generated (``make data`` writes it)."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _converter(field_type: FieldType) -> type[int] | type[float] | type[str]:
    return {"integer": int, "number": float}.get(field_type, str)


def _rows(path: Path, spec: DatasetSpec) -> Iterator[tuple[object, ...]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if tuple(header) != spec.columns:
            raise SqlDataMissing(
                f"{path}: its columns {header} differ from the data dictionary's {spec.columns}"
            )
        converters = [_converter(spec.field(name).type) for name in header]
        for row in reader:
            yield tuple(
                None if cell == "" else convert(cell) for convert, cell in zip(converters, row, strict=True)
            )


def create_table(connection: sqlite3.Connection, spec: DatasetSpec, csv_file: Path) -> int:
    """Create one table from its CSV file, typed by the dictionary; returns the number of rows loaded."""
    columns = ", ".join(f"{_quote(field.name)} {SQLITE_TYPES[field.type]}" for field in spec.fields)
    connection.execute(f"CREATE TABLE {_quote(spec.name)} ({columns})")
    placeholders = ", ".join("?" for _ in spec.fields)
    cursor = connection.executemany(
        f"INSERT INTO {_quote(spec.name)} VALUES ({placeholders})", _rows(csv_file, spec)
    )
    return cursor.rowcount


def database_bytes(data_folder: Path, tables: Sequence[str] | None = None) -> bytes:
    """The SQLite database file holding ``tables`` from ``data_folder``, as bytes (not compressed)."""
    dictionary = load_dictionary()
    tables = sql_tables() if tables is None else tables
    missing = [name for name in tables if not (data_folder / f"{name}.csv").is_file()]
    if missing:
        raise SqlDataMissing(
            f"the SQL runners need {', '.join(f'{name}.csv' for name in missing)} in {data_folder}: run `make data`"
        )
    with tempfile.TemporaryDirectory() as scratch:
        file = Path(scratch) / "college.sqlite"
        connection = sqlite3.connect(file)
        try:
            connection.execute("PRAGMA page_size = 4096")
            with connection:
                for name in tables:
                    create_table(connection, dictionary.dataset(name), data_folder / f"{name}.csv")
            connection.execute("VACUUM")
        finally:
            connection.close()
        return file.read_bytes()


def write_database(data_folder: Path, out: Path, tables: Sequence[str] | None = None) -> Path:
    """Write the gzip-compressed database to ``out`` (``mtime=0``, so the same data give the same bytes).

    The write is atomic, so two builds at once never read half a file."""
    write_atomic(out, gzip.compress(database_bytes(data_folder, tables), compresslevel=9, mtime=0))
    return out
