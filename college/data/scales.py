"""The three sizes of the synthetic data and what each holds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_SEED = 2022
"""The default seed: the year of the Goldacre review of health data for research and analysis."""


class Scale(StrEnum):
    """How much data to generate."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


BLOCK_SIZE = 9_000
"""Patients per block. Each block has its own random streams, so a block's records do not depend on how many
blocks are generated: the small scale is exactly the first blocks of the medium scale."""


@dataclass(frozen=True)
class ScaleSpec:
    """The size of one scale."""

    scale: Scale
    registered_population: int
    """People in the population table (the whole synthetic ICB)."""
    areas: int
    practices: int
    patients: int
    """Patients generated with their activity: all of the population, or a simple random sample of it."""

    @property
    def blocks(self) -> int:
        """Number of blocks of patients."""
        return -(-self.patients // BLOCK_SIZE)

    @property
    def sampling_fraction(self) -> float:
        """Share of the registered population present in the patient-level data sets."""
        return self.patients / self.registered_population


SCALES: dict[Scale, ScaleSpec] = {
    Scale.SMALL: ScaleSpec(
        Scale.SMALL, registered_population=900_000, areas=600, practices=100, patients=18_000
    ),
    Scale.MEDIUM: ScaleSpec(
        Scale.MEDIUM, registered_population=900_000, areas=600, practices=100, patients=900_000
    ),
    Scale.LARGE: ScaleSpec(
        Scale.LARGE, registered_population=9_000_000, areas=6_000, practices=1_000, patients=9_000_000
    ),
}
"""Small is a 2% sample of medium's ICB of 900,000 people; large is ten times medium. Ten times medium is close to
the limit of the NHS number test range (about 9.09 million numbers pass the check digit test)."""
