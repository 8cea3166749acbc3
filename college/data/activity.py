"""The patient-level activity (attendances, spells, pathways), generated block by block.

Every block of patients has its own random streams, so the records of a block are the same whatever the scale,
and memory and time grow in step with the number of blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from time import perf_counter
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from college.data.admissions import Spells, generate_spells
from college.data.ae import Attendances, generate_attendances
from college.data.patients import Patients
from college.data.quality import Spoiled, plant_bad_records
from college.data.rtt import Pathways, generate_pathways
from college.data.scales import BLOCK_SIZE, ScaleSpec
from college.data.streams import stream

IntArray = npt.NDArray[np.int64]
RecordsT = TypeVar("RecordsT", Attendances, Spells, Pathways)


@dataclass(frozen=True)
class Activity:
    """All blocks' records, concatenated. ``*_block`` says which block each record came from; ``patient`` fields
    index the whole patient list."""

    attendances: Spoiled
    attendance_block: IntArray
    key_block: IntArray
    spells: Spells
    spell_block: IntArray
    pathways: Pathways
    pathway_block: IntArray


def _stack(kind: type[RecordsT], parts: list[RecordsT]) -> RecordsT:
    """Concatenate dataclasses of parallel arrays field by field."""
    return kind(
        **{
            field.name: np.concatenate([getattr(part, field.name) for part in parts])
            for field in fields(kind)
        }
    )


def _globalise_patients(records: Attendances | Spells | Pathways, block: int) -> None:
    records.patient[:] += block * BLOCK_SIZE


def generate_activity(
    seed: int,
    spec: ScaleSpec,
    patients: Patients,
    advance: Callable[[], None] | None = None,
    timings: dict[str, float] | None = None,
) -> Activity:
    """Attendances (with planted bad records), spells and pathways for every block of patients.

    ``advance`` is called after each block (for a progress bar); ``timings``, if given, gathers the seconds spent
    on each data set (for the benchmark).
    """
    clock = timings if timings is not None else {}
    spoiled_parts: list[Spoiled] = []
    spell_parts: list[Spells] = []
    pathway_parts: list[Pathways] = []
    sizes: dict[str, list[int]] = {"attendances": [], "keys": [], "spells": [], "pathways": []}
    for block in range(spec.blocks):
        group = patients.block(block)
        started = perf_counter()
        attendances = generate_attendances(stream(seed, "ae_attendances", block), group)
        spoiled = plant_bad_records(
            stream(seed, "ae_quality", block), attendances, group.nhs_number[attendances.patient]
        )
        clock["ae_attendances"] = clock.get("ae_attendances", 0.0) + perf_counter() - started
        started = perf_counter()
        spells = generate_spells(stream(seed, "admissions", block), group, attendances)
        clock["admissions"] = clock.get("admissions", 0.0) + perf_counter() - started
        started = perf_counter()
        pathways = generate_pathways(stream(seed, "rtt_pathways", block), group)
        clock["rtt_pathways"] = clock.get("rtt_pathways", 0.0) + perf_counter() - started
        for records in (spoiled.attendances, spells, pathways):
            _globalise_patients(records, block)
        spoiled_parts.append(spoiled)
        spell_parts.append(spells)
        pathway_parts.append(pathways)
        sizes["attendances"].append(len(spoiled.sequence))
        sizes["keys"].append(len(spoiled.key_sequence))
        sizes["spells"].append(len(spells))
        sizes["pathways"].append(len(pathways))
        if advance is not None:
            advance()

    def blocks(name: str) -> IntArray:
        return np.repeat(np.arange(spec.blocks, dtype=np.int64), sizes[name])

    # Concatenate one data set at a time and let go of its blocks at once, to keep the peak of memory low.
    spoiled_all = Spoiled(
        attendances=_stack(Attendances, [part.attendances for part in spoiled_parts]),
        **{
            name: np.concatenate([getattr(part, name) for part in spoiled_parts])
            for name in (
                "nhs_number",
                "sequence",
                "key_sequence",
                "key_problem",
                "key_column",
                "key_duplicate_of",
            )
        },
    )
    spoiled_parts.clear()
    spells_all = _stack(Spells, spell_parts)
    spell_parts.clear()
    pathways_all = _stack(Pathways, pathway_parts)
    pathway_parts.clear()
    return Activity(
        attendances=spoiled_all,
        attendance_block=blocks("attendances"),
        key_block=blocks("keys"),
        spells=spells_all,
        spell_block=blocks("spells"),
        pathways=pathways_all,
        pathway_block=blocks("pathways"),
    )
