"""The patient-level activity (attendances, spells, pathways), generated block by block.

Every block of patients has its own random streams, so the records of a block are the same whatever the scale,
and memory and time grow in step with the number of blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
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
    return kind(**{field.name: np.concatenate([getattr(part, field.name) for part in parts]) for field in fields(kind)})  # type: ignore[arg-type]


def _globalise_patients(records: Attendances | Spells | Pathways, block: int) -> None:
    records.patient[:] += block * BLOCK_SIZE


def generate_activity(seed: int, spec: ScaleSpec, patients: Patients, advance: Callable[[], None] | None = None) -> Activity:
    """Attendances (with planted bad records), spells and pathways for every block of patients."""
    spoiled_parts: list[Spoiled] = []
    spell_parts: list[Spells] = []
    pathway_parts: list[Pathways] = []
    sizes: dict[str, list[int]] = {"attendances": [], "keys": [], "spells": [], "pathways": []}
    for block in range(spec.blocks):
        group = patients.block(block)
        attendances = generate_attendances(stream(seed, "ae_attendances", block), group)
        spells = generate_spells(stream(seed, "admissions", block), group, attendances)
        pathways = generate_pathways(stream(seed, "rtt_pathways", block), group)
        spoiled = plant_bad_records(stream(seed, "ae_quality", block), attendances, group.nhs_number[attendances.patient])
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

    spoiled_all = Spoiled(
        attendances=_stack(Attendances, [part.attendances for part in spoiled_parts]),
        **{
            name: np.concatenate([getattr(part, name) for part in spoiled_parts])
            for name in ("nhs_number", "sequence", "key_sequence", "key_problem", "key_column", "key_duplicate_of")
        },
    )
    return Activity(
        attendances=spoiled_all,
        attendance_block=blocks("attendances"),
        key_block=blocks("keys"),
        spells=_stack(Spells, spell_parts),
        spell_block=blocks("spells"),
        pathways=_stack(Pathways, pathway_parts),
        pathway_block=blocks("pathways"),
    )
