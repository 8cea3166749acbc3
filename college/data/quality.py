"""Deliberately bad emergency care records, planted for data quality exercises and recorded in an answer key.

About 1.5% of attendances are spoiled, each in exactly one way: a departure before the arrival, an NHS number
with a wrong check digit, a code outside its code list, or a second copy of another (clean) attendance with an
identifier of its own. The spoiled rows are chosen at random among clean rows, so a validity check finds
exactly the planted rows and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from college.data.ae import Attendances
from college.data.planted import PROBLEMS, RATES

IntArray = npt.NDArray[np.int64]


CODED_COLUMNS = ("department_type", "arrival_mode", "acuity", "discharge_destination")
UNKNOWN_VALUES = {"department_type": 9, "arrival_mode": 99, "acuity": 99, "discharge_destination": 99}
"""Values that are in no code list, like the local defaults that slip into real extracts."""


@dataclass(frozen=True)
class Spoiled:
    """Attendances with bad records planted, and the answer key."""

    attendances: Attendances
    nhs_number: IntArray
    sequence: IntArray
    """Number of each record within its block, from which its attendance id is made."""
    key_sequence: IntArray
    """The bad records' sequence numbers."""
    key_problem: IntArray
    """Index into ``PROBLEMS``."""
    key_column: npt.NDArray[np.str_]
    """The column holding the problem ('' for a duplicate)."""
    key_duplicate_of: IntArray
    """Sequence number of the copied record, or −1."""


def plant_bad_records(rng: np.random.Generator, attendances: Attendances, nhs_number: IntArray) -> Spoiled:
    """Spoil a few of a block's attendances; the clean rows keep sequence numbers 0 … n − 1 in arrival order."""
    n = len(attendances)
    counts = [int(rng.binomial(n, rate)) for rate in RATES]
    chosen = rng.permutation(n)[: sum(counts) + counts[3]]
    late, bad_nhs, unknown, copied = np.split(chosen[: sum(counts)], np.cumsum(counts)[:-1])
    columns = {name: getattr(attendances, name).copy() for name in attendances.__dataclass_fields__}
    nhs = nhs_number.copy()

    columns["departure"][late] = columns["arrival"][late] - rng.integers(5, 181, size=len(late))
    nhs[bad_nhs] = nhs[bad_nhs] // 10 * 10 + (nhs[bad_nhs] % 10 + rng.integers(1, 10, size=len(bad_nhs))) % 10
    which = rng.integers(0, len(CODED_COLUMNS), size=len(unknown))
    for index, name in enumerate(CODED_COLUMNS):
        columns[name][unknown[which == index]] = UNKNOWN_VALUES[name]

    copies = np.concatenate([np.arange(n), copied])
    spoiled = Attendances(**{name: values[copies] for name, values in columns.items()})
    sequence = np.arange(n + len(copied), dtype=np.int64)
    order = np.lexsort((sequence, spoiled.arrival))
    problem_rows = np.concatenate([late, bad_nhs, unknown, n + np.arange(len(copied))])
    problem = np.repeat(np.arange(len(PROBLEMS)), [len(late), len(bad_nhs), len(unknown), len(copied)])
    column = np.concatenate([
        np.full(len(late), "departure_datetime"), np.full(len(bad_nhs), "nhs_number"),
        np.asarray(CODED_COLUMNS)[which].astype("<U21"), np.full(len(copied), ""),
    ])  # fmt: skip
    duplicate_of = np.concatenate([np.full(len(problem_rows) - len(copied), -1), copied]).astype(np.int64)
    key_order = np.argsort(problem_rows)
    return Spoiled(
        attendances=spoiled.take(order),
        nhs_number=nhs[copies][order],
        sequence=sequence[order],
        key_sequence=problem_rows[key_order],
        key_problem=problem[key_order],
        key_column=column[key_order],
        key_duplicate_of=duplicate_of[key_order],
    )
