"""Synthetic NHS numbers: from the test range only, every one passing the Modulus 11 check.

The test range 999 000 0000 to 999 999 9999 has one million nine-digit stems (999 000 000 to 999 999 999), and
about 909,000 of them have a valid check digit: that is how many different patients the range can number. The
i-th patient gets the i-th valid number of a keyed pseudo-random permutation of the stems (a four-round Feistel
network on 20 bits with cycle walking), so patient i gets the same number whatever the scale. Beyond
``UNIQUE_PATIENTS`` (only at the large scale, a speed test) numbers repeat: patient i shares the number of
patient i mod ``UNIQUE_PATIENTS``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from college.data.streams import stream
from college.validity.nhs_number import check_digits

FIRST_NINE_START = 999_000_000
"""The first nine digits of the first number of the test range."""
DOMAIN = 1_000_000
"""How many nine-digit stems the test range holds (999 000 000 to 999 999 999)."""
_HALF_BITS = 10
_HALF_MASK = (1 << _HALF_BITS) - 1
_ROUNDS = 4

U64 = npt.NDArray[np.uint64]


def _round_function(half: U64, key: np.uint64) -> U64:
    """A keyed mixing of 10 bits (a multiply-xorshift hash), vectorised."""
    mixed = (half + key) * np.uint64(0x9E3779B97F4A7C15)
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(32)
    return mixed & np.uint64(_HALF_MASK)


def _encrypt(values: U64, keys: U64) -> U64:
    left = values >> np.uint64(_HALF_BITS)
    right = values & np.uint64(_HALF_MASK)
    for key in keys:
        left, right = right, left ^ _round_function(right, key)
    return (left << np.uint64(_HALF_BITS)) | right


def _permute(indices: npt.NDArray[np.int64], keys: U64) -> npt.NDArray[np.int64]:
    """A bijection of 0 … DOMAIN − 1 onto itself: encrypt, and encrypt again while outside the domain."""
    values = indices.astype(np.uint64)
    out = _encrypt(values, keys)
    outside = out >= DOMAIN
    while outside.any():
        out[outside] = _encrypt(out[outside], keys)
        outside = out >= DOMAIN
    return out.astype(np.int64)


UNIQUE_PATIENTS = 900_000
"""Patients with a number of their own (the medium scale); later patients reuse these numbers in turn."""


def _unique_numbers(seed: int, count: int) -> npt.NDArray[np.int64]:
    keys = stream(seed, "nhs-numbers").integers(0, 2**63, size=_ROUNDS, dtype=np.uint64)
    stems = FIRST_NINE_START + _permute(np.arange(DOMAIN, dtype=np.int64), keys)
    check = check_digits(stems)
    valid = check < 10
    numbers = stems[valid] * 10 + check[valid]
    return numbers[:count]


def synthetic_nhs_numbers(seed: int, count: int) -> npt.NDArray[np.int64]:
    """The NHS numbers of patients 0 … count − 1, as ten-digit integers."""
    if count < 0:
        raise ValueError(f"cannot number {count} patients")
    unique = _unique_numbers(seed, min(count, UNIQUE_PATIENTS))
    if count <= UNIQUE_PATIENTS:
        return unique
    return unique[np.arange(count) % UNIQUE_PATIENTS]
