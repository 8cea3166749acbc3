"""The files the site's SQL runners need, served by the site itself: the engine (sql.js) and the database.

sql.js (SQLite compiled to WebAssembly, MIT licence) comes from the npm registry through ``package.json``
(``npm ci``); its JavaScript and WebAssembly are copied into ``assets/sql/``. The database is built from the shared
synthetic data by :mod:`college.site.sql_database` into ``build/sql/`` and copied beside them. Both builders get
them: the MkDocs hook adds the copied files, and ``college pages --out`` writes them.
"""

from __future__ import annotations

from pathlib import Path

from college.data.dictionary import DICTIONARY_FILE
from college.site import sql_database
from college.site.sql_database import write_database

ASSETS = "assets/sql"
ENGINE_FOLDER = "node_modules/sql.js/dist"
ENGINE_FILES = ("sql-wasm.js", "sql-wasm.wasm")
DATABASE = f"{ASSETS}/college.sqlite.gz"
DATABASE_BUILD = "build/sql/college.sqlite.gz"
SQL_FENCE = "```sql"


class SqlAssetsMissing(Exception):
    """A page has SQL to run but the engine or the data is missing; the message says which command makes it."""


def needs_sql(pages: dict[str, str]) -> bool:
    """Whether any generated page has an SQL block for the runner."""
    return any(SQL_FENCE in markdown for markdown in pages.values())


def database_file(root: Path) -> Path:
    """The gzip-compressed database, rebuilt when a data file, the dictionary or the builder is newer than it."""
    out = root / DATABASE_BUILD
    sources = [*(root / "data").glob("*.csv"), Path(sql_database.__file__), DICTIONARY_FILE]
    newest = max(path.stat().st_mtime for path in sources)
    if not out.is_file() or out.stat().st_mtime < newest:
        write_database(root / "data", out)
    return out


def sql_assets(root: Path) -> dict[str, Path]:
    """Site path → file: the engine's two files and the database."""
    engine = root / ENGINE_FOLDER
    missing = [name for name in ENGINE_FILES if not (engine / name).is_file()]
    if missing:
        raise SqlAssetsMissing(
            f"the SQL runners need {', '.join(missing)} from {ENGINE_FOLDER}: run `npm ci` "
            "(make build and make test run it)"
        )
    files = {f"{ASSETS}/{name}": engine / name for name in ENGINE_FILES}
    files[DATABASE] = database_file(root)
    return files
