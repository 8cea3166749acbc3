"""Monthly indicators per provider, with injected special cause events and their answer key.

Each series is a level plus a mild seasonal swing plus noise. Six of the fifteen series (five providers, three
indicators) carry one event each: two shifts, two trends and two outliers, all after the 24 stable baseline
months. A series is redrawn until a cautious reading of the Making Data Count rules (see
:mod:`college.data.signals`) finds special cause variation inside its event and nowhere else, so the answer key is
complete and every event can be found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from college.data import reference as ref
from college.data.signals import certain_signals, possible_signals
from college.data.streams import stream

FloatArray = npt.NDArray[np.float64]

INDICATORS = ("ae_attendances", "four_hour_pct", "bed_occupancy_pct")
LEVEL = np.array([
    [11_000, 9_000, 7_500, 5_500, 1_800],
    [72.0, 70.0, 66.0, 96.0, 93.0],
    [92.0, 93.5, 90.5, 86.0, 80.0],
])  # fmt: skip
"""Typical level of each indicator (rows) for each provider (columns)."""
NOISE = np.array([
    [330.0, 270.0, 225.0, 165.0, 54.0],
    [1.5, 1.5, 1.5, 0.8, 0.8],
    [1.0, 1.0, 1.0, 1.0, 1.2],
])  # fmt: skip
"""Standard deviation of the month-to-month noise."""
WINTER = np.array([0.5, -0.5, 0.5])
"""Seasonal swing in noise standard deviations, at its peak in January (attendances and occupancy up, four-hour
performance down)."""
BOUNDS = ((500.0, 30_000.0), (40.0, 100.0), (60.0, 100.0))
DECIMALS = (0, 1, 1)
EVENTS = ("shift", "shift", "trend", "trend", "outlier", "outlier")
SHIFT_SIZE, OUTLIER_SIZE, TREND_STEP, TREND_POINTS = 2.5, 5.0, 0.8, 8
ATTEMPTS = 5_000


@dataclass(frozen=True)
class Event:
    """One injected event."""

    provider: int
    indicator: int
    kind: str
    direction: int
    """+1 up, −1 down."""
    first: int
    """Month index (0 is January 2020)."""
    last: int


def _place(rng: np.random.Generator, kind: str) -> tuple[int, int]:
    """First and last month of an event, after the baseline."""
    base = ref.BASELINE_MONTHS
    if kind == "outlier":
        month = int(rng.integers(base + 2, ref.MONTHS - 2))
        return month, month
    if kind == "shift":
        first = int(rng.integers(base + 2, base + 13))
        return first, min(first + int(rng.integers(9, 13)) - 1, ref.MONTHS - 1)
    first = int(rng.integers(base + 2, ref.MONTHS - TREND_POINTS + 1))
    return first, first + TREND_POINTS - 1


def _series(
    rng: np.random.Generator, provider: int, indicator: int, kind: str | None
) -> tuple[FloatArray, Event | None]:
    """One attempt at a series and its event."""
    months = np.arange(ref.MONTHS)
    sd = NOISE[indicator, provider]
    season = WINTER[indicator] * np.cos(2 * np.pi * months / 12)
    standardised = season + rng.standard_normal(ref.MONTHS)
    event = None
    if kind is not None:
        direction = -1 if indicator == 1 else int(rng.choice([-1, 1]))
        first, last = _place(rng, kind)
        window = slice(first, last + 1)
        if kind == "outlier":
            standardised[first] = season[first] + direction * OUTLIER_SIZE
        elif kind == "shift":
            standardised[window] += direction * SHIFT_SIZE
        else:
            steps = np.arange(last - first + 1)
            jitter = 0.1 * rng.standard_normal(len(steps))
            standardised[window] = season[window] + direction * (TREND_STEP * steps - 0.3 + jitter)
        event = Event(provider, indicator, kind, direction, first, last)
    values = np.round(LEVEL[indicator, provider] + sd * standardised, DECIMALS[indicator])
    return values, event


def _acceptable(values: FloatArray, indicator: int, event: Event | None) -> bool:
    low, high = BOUNDS[indicator]
    if values.min() < low or values.max() > high:
        return False
    inside = np.zeros(len(values), dtype=bool)
    if event is not None:
        inside[event.first : event.last + 1] = True
        if not certain_signals(values, ref.BASELINE_MONTHS)[inside].any():
            return False
    return not possible_signals(values, ref.BASELINE_MONTHS)[~inside].any()


def build_monthly(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The monthly_indicators data set and its answer key of injected events."""
    providers = len(ref.PROVIDERS)
    chosen = stream(seed, "monthly-events").permutation(providers * len(INDICATORS))[: len(EVENTS)]
    kinds: dict[tuple[int, int], str] = {
        divmod(int(series), providers): kind for series, kind in zip(chosen, EVENTS, strict=True)
    }

    columns: dict[str, list[FloatArray]] = {name: [] for name in INDICATORS}
    events: list[Event] = []
    for provider in range(providers):
        for indicator in range(len(INDICATORS)):
            rng = stream(seed, "monthly", provider, indicator)
            kind = kinds.get((indicator, provider))
            for _ in range(ATTEMPTS):
                values, event = _series(rng, provider, indicator, kind)
                if _acceptable(values, indicator, event):
                    break
            else:
                raise RuntimeError(
                    f"could not draw a clean series for provider {provider}, indicator {indicator}"
                )
            columns[INDICATORS[indicator]].append(values)
            if event is not None:
                events.append(event)

    month = (ref.MONTHLY_START + np.arange(ref.MONTHS)).astype("datetime64[D]")
    table = pd.DataFrame(
        {
            "provider_code": np.repeat(np.asarray(ref.PROVIDERS), ref.MONTHS),
            "month": np.tile(month, providers),
            "ae_attendances": np.concatenate(columns["ae_attendances"]).astype(np.int64),
            "four_hour_pct": np.concatenate(columns["four_hour_pct"]),
            "bed_occupancy_pct": np.concatenate(columns["bed_occupancy_pct"]),
        }
    )
    key = pd.DataFrame(
        {
            "provider_code": [ref.PROVIDERS[event.provider] for event in events],
            "indicator": [INDICATORS[event.indicator] for event in events],
            "event_type": [event.kind for event in events],
            "direction": ["up" if event.direction > 0 else "down" for event in events],
            "first_month": [month[event.first] for event in events],
            "last_month": [month[event.last] for event in events],
            "baseline_months": np.full(len(events), ref.BASELINE_MONTHS, dtype=np.int64),
        }
    )
    return table, key
