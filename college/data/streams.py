"""Independent, reproducible random streams, one per purpose (and per block of patients).

Each stream is seeded from the user's seed and a key made of the stream's name and numbers, through NumPy's
``SeedSequence``. The name is hashed with SHA-256, never with Python's ``hash`` (which changes between runs), so the
same seed gives the same numbers on every machine with the same NumPy version.
"""

from __future__ import annotations

import hashlib

import numpy as np


def _name_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


def stream(seed: int, name: str, *numbers: int) -> np.random.Generator:
    """The random generator for one purpose, such as ``stream(2022, "ae_attendances", block)``."""
    if seed < 0:
        raise ValueError(f"the seed must be zero or more, got {seed}")
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(_name_key(name), *numbers))
    return np.random.Generator(np.random.PCG64(sequence))
