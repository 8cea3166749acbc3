"""Generate the synthetic data: a pure function of the seed, the scale and the schema.

The same arguments give byte-identical files: every random number comes from a stream keyed by the seed and a
name (see :mod:`college.data.streams`), the patient-level data are generated block by block, and the files are
written with fixed formatting (see :mod:`college.data.writer`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import pandas as pd
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from college.data.activity import generate_activity
from college.data.datapackage import FILE_NAME as DATA_PACKAGE_NAME
from college.data.datapackage import data_package
from college.data.deaths import deaths_table
from college.data.dictionary import DataDictionary, load_dictionary
from college.data.frames import attendances_frame, pathways_frame, spells_frame
from college.data.manifest import MANIFEST_NAME, Manifest, fingerprint
from college.data.monthly import build_monthly
from college.data.patients import build_patients, patients_table
from college.data.population import (
    build_geography,
    build_population,
    population_table,
    standard_population_table,
)
from college.data.scales import DEFAULT_SEED, SCALES, Scale
from college.data.text import HAVE_ARROW
from college.data.writer import PYARROW_NEEDED, Format, write_table
from college.files import write_atomic

TRUTH_DIRECTORY = "truth"


@dataclass(frozen=True)
class Generated:
    """What was written."""

    directory: Path
    manifest: Manifest


def code_lists_table(dictionary: DataDictionary) -> pd.DataFrame:
    """The code_lists data set: every code of every code list, as text."""
    rows = [
        (code_list.id, str(entry.code), entry.description)
        for code_list in dictionary.code_lists
        for entry in code_list.codes
    ]
    return pd.DataFrame(rows, columns=["list_id", "code", "description"])


@contextmanager
def _progress(show: bool, total: int, description: str) -> Iterator[Callable[[], None] | None]:
    if not show:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} blocks"),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task(description, total=total)
        yield lambda: progress.advance(task)


def iter_tables(
    seed: int, scale: Scale, show_progress: bool = False, timings: dict[str, float] | None = None
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every published table and answer key, one at a time, as ``(name, frame)``.

    Tables are made as they are needed and dropped by the caller once written, which keeps the large scale within
    a few GiB. ``timings``, if given, gathers the seconds spent making each data set (for the benchmark); the work
    shared by several data sets (areas, practices and population cells) counts towards ``population``.
    """
    clock = timings if timings is not None else {}

    def timed(name: str, started: float) -> None:
        clock[name] = clock.get(name, 0.0) + perf_counter() - started

    spec = SCALES[scale]
    started = perf_counter()
    geography = build_geography(spec, seed)
    cells = build_population(spec, seed, geography)
    population = population_table(cells, geography)
    timed("population", started)
    yield "population", population
    del population
    yield "european_standard_population", standard_population_table()
    started = perf_counter()
    patients = build_patients(spec, seed, cells, geography)
    patients_frame = patients_table(patients)
    timed("patients", started)
    yield "patients", patients_frame
    del patients_frame
    with _progress(show_progress, spec.blocks, f"Generating {scale} scale") as advance:
        activity = generate_activity(seed, spec, patients, advance, clock)
    started = perf_counter()
    attendances, quality_key = attendances_frame(activity)
    timed("ae_attendances", started)
    yield "ae_attendances", attendances
    del attendances
    yield "ae_attendances_quality", quality_key
    started = perf_counter()
    admissions = spells_frame(activity, patients)
    timed("admissions", started)
    yield "admissions", admissions
    del admissions
    started = perf_counter()
    pathways = pathways_frame(activity, patients)
    timed("rtt_pathways", started)
    del activity, patients
    yield "rtt_pathways", pathways
    del pathways
    started = perf_counter()
    monthly, events = build_monthly(seed)
    timed("monthly_indicators", started)
    yield "monthly_indicators", monthly
    yield "monthly_indicators_events", events
    started = perf_counter()
    deaths = deaths_table(seed, cells, geography)
    timed("deaths", started)
    yield "deaths", deaths
    yield "code_lists", code_lists_table(load_dictionary())


def _formats(formats: Collection[Format | str]) -> tuple[Format, ...]:
    chosen = {Format(value) for value in formats}
    if not chosen:
        raise ValueError("choose at least one format: csv or parquet")
    if Format.PARQUET in chosen and not HAVE_ARROW:  # said before any file is written
        raise ValueError(PYARROW_NEEDED)
    return tuple(value for value in Format if value in chosen)


def generate(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    scale: Scale | str = Scale.SMALL,
    formats: Collection[Format | str] = (Format.CSV,),
    show_progress: bool = False,
    timings: dict[str, float] | None = None,
) -> Generated:
    """Generate every data set into ``out_dir`` (created if missing) and write ``manifest.json`` last.

    With CSV among the formats, ``datapackage.json`` (a Frictionless Data Package built from the data dictionary)
    is written beside the files, so that standard tools can validate them.

    Answer keys go to ``out_dir/truth/`` as CSV; keep them away from trainees. ``timings``, if given, gathers the
    seconds spent on each data set, writing included (for the benchmark).
    """
    clock = timings if timings is not None else {}
    scale = Scale(scale)
    if seed < 0:
        raise ValueError(f"the seed must be zero or more, got {seed}")
    chosen = _formats(formats)
    dictionary = load_dictionary()
    truth_names = {spec.name for spec in dictionary.truth_files}
    out_dir = Path(out_dir)
    hashes: dict[str, str] = {}
    rows: dict[str, int] = {}
    for name, frame in iter_tables(seed, scale, show_progress, clock):
        spec = dictionary.dataset(name)
        rows[name] = len(frame)
        started = perf_counter()
        if name in truth_names:
            relative = f"{TRUTH_DIRECTORY}/{name}.csv"
            hashes[relative] = write_table(out_dir / relative, frame, spec, Format.CSV)
        else:
            for file_format in chosen:
                relative = f"{name}.{file_format.value}"
                hashes[relative] = write_table(out_dir / relative, frame, spec, file_format)
        clock[name] = clock.get(name, 0.0) + perf_counter() - started
        del frame
    if Format.CSV in chosen:  # the data package describes the CSV files
        package = json.dumps(data_package(dictionary), indent=2, ensure_ascii=False) + "\n"
        hashes[DATA_PACKAGE_NAME] = write_atomic(out_dir / DATA_PACKAGE_NAME, package.encode())
    manifest = Manifest(
        seed=seed,
        scale=scale.value,
        schema_version=dictionary.schema_version,
        fingerprint=fingerprint(),
        sampling_fraction=SCALES[scale].sampling_fraction,
        formats=tuple(value.value for value in chosen),
        rows=rows,
        files=dict(sorted(hashes.items())),
    )
    write_atomic(
        out_dir / MANIFEST_NAME, (json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n").encode()
    )
    return Generated(out_dir, manifest)
