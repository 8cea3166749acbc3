"""The synthetic ICB's geography (areas and practices) and its registered population.

Areas are laid out along a line, like a strip of neighbourhoods. Each practice serves a run of neighbouring areas;
an area's residents register mostly with their nearest practice and otherwise with a neighbouring one.
Deprivation is spatially clustered (a smoothed random field), and more deprived areas are a little younger.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from college.data import reference as ref
from college.data.scales import ScaleSpec
from college.data.streams import stream
from college.data.text import fixed_width, labels

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Geography:
    """Areas and practices, as arrays indexed by area number."""

    deprivation_decile: IntArray
    """Decile of each area, 1 (most deprived) to 10."""
    home_practice: IntArray
    """Index of each area's nearest practice."""
    neighbour_practice: IntArray
    """Index of the neighbouring practice that takes the rest of the area's residents."""
    acute_provider: IntArray
    """Index (0, 1 or 2) of the acute trust whose catchment the area is in."""
    practices: int

    @property
    def areas(self) -> int:
        return len(self.deprivation_decile)


@dataclass(frozen=True)
class PopulationCells:
    """The registered population as parallel arrays, one entry per practice, area, sex and age band."""

    practice: IntArray
    area: IntArray
    sex: IntArray
    """0 female, 1 male."""
    age_band: IntArray
    count: IntArray


def area_codes(indices: npt.ArrayLike) -> pd.Series:
    """Codes SYN00001, SYN00002 … for area indices 0, 1 …"""
    return fixed_width(np.asarray(indices) + 1, 5, "SYN")


def practice_codes(indices: npt.ArrayLike) -> pd.Series:
    """Codes Y90001, Y90002 … for practice indices 0, 1 …"""
    return fixed_width(np.asarray(indices) + 1, 4, "Y9")


def build_geography(spec: ScaleSpec, seed: int) -> Geography:
    """Areas with deprivation deciles and catchments, and the practices that serve them."""
    rng = stream(seed, "geography")
    areas, practices = spec.areas, spec.practices

    field = np.convolve(rng.normal(size=areas + 14), np.ones(15) / 15, mode="valid")
    field += rng.normal(scale=0.12, size=areas)
    quantile = (np.argsort(np.argsort(field)) + 0.5) / areas
    deprivation_decile = np.minimum(np.floor(quantile**1.15 * 10).astype(np.int64) + 1, 10)

    areas_per_practice = 1 + rng.multinomial(areas - practices, rng.dirichlet(np.full(practices, 3.0)))
    home_practice = np.repeat(np.arange(practices, dtype=np.int64), areas_per_practice)
    step = np.where(rng.random(areas) < 0.5, -1, 1)
    neighbour_practice = home_practice + step
    neighbour_practice[neighbour_practice < 0] = 1
    neighbour_practice[neighbour_practice >= practices] = practices - 2

    position = (np.arange(areas) + 0.5) / areas
    acute_provider = np.searchsorted(np.array(ref.ACUTE_CATCHMENT_BOUNDS), position).astype(np.int64)
    return Geography(deprivation_decile, home_practice, neighbour_practice, acute_provider, practices)


def build_population(spec: ScaleSpec, seed: int, geography: Geography) -> PopulationCells:
    """Registered people by practice, area, sex and age band; exactly ``spec.registered_population`` in all."""
    rng = stream(seed, "population")
    areas = geography.areas
    area_weight = rng.lognormal(sigma=0.25, size=areas)
    score = (5.5 - geography.deprivation_decile) / 4.5
    band_mid = np.arange(len(ref.AGE_BANDS)) * 5 + 2.5
    age_weight = ref.AGE_SHARE * np.exp(ref.DEPRIVATION_AGE_TILT * np.outer(score, (40 - band_mid) / 40))
    age_weight /= age_weight.sum(axis=1, keepdims=True)
    sex_weight = np.stack([1 - ref.MALE_SHARE, ref.MALE_SHARE], axis=1)  # band × sex
    cell_weight = area_weight[:, None, None] * age_weight[:, None, :] * sex_weight.T[None, :, :]
    counts = rng.multinomial(spec.registered_population, (cell_weight / cell_weight.sum()).ravel())
    counts = counts.reshape(areas, 2, len(ref.AGE_BANDS))

    home_share = rng.uniform(*ref.HOME_PRACTICE_SHARE, size=areas)
    home = rng.binomial(counts, home_share[:, None, None])
    area, sex, band = np.indices(counts.shape).reshape(3, -1)
    at_home = home.ravel()
    at_neighbour = counts.ravel() - at_home
    cells = PopulationCells(
        practice=np.concatenate([geography.home_practice[area], geography.neighbour_practice[area]]),
        area=np.concatenate([area, area]),
        sex=np.concatenate([sex, sex]),
        age_band=np.concatenate([band, band]),
        count=np.concatenate([at_home, at_neighbour]).astype(np.int64),
    )
    return _sorted_nonzero(cells)


def _sorted_nonzero(cells: PopulationCells) -> PopulationCells:
    """Drop empty cells, merge any repeated practice-area cells, and sort by practice, area, sex, age band."""
    keys = ["practice", "area", "sex", "age_band"]
    frame = pd.DataFrame(
        {"practice": cells.practice, "area": cells.area, "sex": cells.sex, "age_band": cells.age_band,
         "count": cells.count}
    )  # fmt: skip
    merged = frame[frame["count"] > 0].groupby(keys)["count"].sum().reset_index()
    return PopulationCells(*(merged[column].to_numpy(dtype=np.int64) for column in [*keys, "count"]))


def population_table(cells: PopulationCells, geography: Geography) -> pd.DataFrame:
    """The population data set."""
    return pd.DataFrame(
        {
            "practice_code": practice_codes(cells.practice),
            "area_code": area_codes(cells.area),
            "deprivation_decile": geography.deprivation_decile[cells.area],
            "sex": labels(ref.SEXES, cells.sex),
            "age_band": labels(ref.AGE_BANDS, cells.age_band),
            "registered_population": cells.count,
        }
    )


def standard_population_table() -> pd.DataFrame:
    """The european_standard_population data set."""
    return pd.DataFrame(
        {
            "age_band": labels(ref.AGE_BANDS, np.arange(len(ref.AGE_BANDS))),
            "standard_population": np.array(ref.EUROPEAN_STANDARD_POPULATION_2013, dtype=np.int64),
        }
    )
