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

import pandas as pd
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from college.data.activity import generate_activity
from college.data.deaths import deaths_table
from college.data.dictionary import DataDictionary, load_dictionary
from college.data.frames import attendances_frame, pathways_frame, spells_frame
from college.data.manifest import MANIFEST_NAME, Manifest, fingerprint
from college.data.monthly import build_monthly
from college.data.patients import build_patients, patients_table
from college.data.population import build_geography, build_population, population_table, standard_population_table
from college.data.scales import SCALES, Scale
from college.data.writer import Format, encode, write_atomically

DEFAULT_SEED = 2022
"""The default seed: the year of the Goldacre review of health data for research and analysis."""
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


def build_tables(seed: int, scale: Scale, show_progress: bool = False) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Every published table and every answer-key table, in memory."""
    spec = SCALES[scale]
    geography = build_geography(spec, seed)
    cells = build_population(spec, seed, geography)
    patients = build_patients(spec, seed, cells, geography)
    with _progress(show_progress, spec.blocks, f"Generating {scale} scale") as advance:
        activity = generate_activity(seed, spec, patients, advance)
    attendances, quality_key = attendances_frame(activity)
    monthly, events = build_monthly(seed)
    tables = {
        "population": population_table(cells, geography),
        "european_standard_population": standard_population_table(),
        "patients": patients_table(patients),
        "ae_attendances": attendances,
        "admissions": spells_frame(activity, patients),
        "rtt_pathways": pathways_frame(activity, patients),
        "monthly_indicators": monthly,
        "deaths": deaths_table(seed, cells, geography),
        "code_lists": code_lists_table(load_dictionary()),
    }
    truth = {"ae_attendances_quality": quality_key, "monthly_indicators_events": events}
    return tables, truth


def _formats(formats: Collection[Format | str]) -> tuple[Format, ...]:
    chosen = {Format(value) for value in formats}
    if not chosen:
        raise ValueError("choose at least one format: csv or parquet")
    return tuple(value for value in Format if value in chosen)


def generate(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    scale: Scale | str = Scale.SMALL,
    formats: Collection[Format | str] = (Format.CSV,),
    show_progress: bool = False,
) -> Generated:
    """Generate every data set into ``out_dir`` (created if missing) and write ``manifest.json`` last.

    Answer keys go to ``out_dir/truth/`` as CSV; keep them away from trainees.
    """
    scale = Scale(scale)
    if seed < 0:
        raise ValueError(f"the seed must be zero or more, got {seed}")
    chosen = _formats(formats)
    dictionary = load_dictionary()
    tables, truth = build_tables(seed, scale, show_progress)
    out_dir = Path(out_dir)
    hashes: dict[str, str] = {}
    rows: dict[str, int] = {}
    for name, frame in tables.items():
        spec = dictionary.dataset(name)
        rows[name] = len(frame)
        for file_format in chosen:
            relative = f"{name}.{file_format.value}"
            hashes[relative] = write_atomically(out_dir / relative, encode(frame, spec, file_format))
    for name, frame in truth.items():
        relative = f"{TRUTH_DIRECTORY}/{name}.csv"
        rows[name] = len(frame)
        hashes[relative] = write_atomically(out_dir / relative, encode(frame, dictionary.dataset(name), Format.CSV))
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
    write_atomically(out_dir / MANIFEST_NAME, (json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n").encode())
    return Generated(out_dir, manifest)
