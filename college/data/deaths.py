"""Deaths by area, sex and age band during 2023, drawn from the registered population.

Deaths follow Poisson counts around death rates by age and sex close to England's, multiplied by a deprivation
factor (1.3 in the most deprived decile down to 0.8 in the least deprived), so that deprivation gaps survive age
standardisation as they do in real data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from college.data import reference as ref
from college.data.population import Geography, PopulationCells, area_codes
from college.data.streams import stream
from college.data.text import labels

DEPRIVATION_FACTOR = (1.3, 0.8)


def deaths_table(seed: int, cells: PopulationCells, geography: Geography) -> pd.DataFrame:
    """The deaths data set: every area, sex and age band, with deaths and the population at risk."""
    bands = len(ref.AGE_BANDS)
    population = np.zeros((geography.areas, 2, bands), dtype=np.int64)
    np.add.at(population, (cells.area, cells.sex, cells.age_band), cells.count)
    rate = (
        ref.DEATH_RATE_PER_1000[None, None, :]
        * ref.DEATH_RATE_SEX_FACTOR[None, :, None]
        * ref.deprivation_factor(geography.deprivation_decile, *DEPRIVATION_FACTOR)[:, None, None]
        / 1000.0
    )
    deaths = stream(seed, "deaths").poisson(population * rate)
    area, sex, band = np.indices(population.shape).reshape(3, -1)
    return pd.DataFrame(
        {
            "year": np.full(len(area), ref.YEAR, dtype=np.int64),
            "area_code": area_codes(area),
            "deprivation_decile": geography.deprivation_decile[area],
            "sex": labels(ref.SEXES, sex),
            "age_band": labels(ref.AGE_BANDS, band),
            "deaths": deaths.ravel().astype(np.int64),
            "population": population.ravel(),
        }
    )
