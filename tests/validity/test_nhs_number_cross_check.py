"""NHS number checks cross-checked against an independent implementation: the ``nhs-number`` package (PyPI).

``nhs-number`` (MIT licence, https://github.com/uk-fci/nhs-number) implements the Modulus 11 check of the NHS Data
Model and Dictionary on its own. Its generator makes the test vectors: valid and deliberately invalid numbers in
the synthetic (9xx) and England (4xx) ranges. Scotland's CHI range is left out: ``nhs-number`` also checks that a
CHI number starts with a real date, which is not part of the NHS number's definition.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from college.validity import invalid_nhs_numbers, nhs_number_check_digit, nhs_number_is_valid

nhs_number = pytest.importorskip(
    "nhs_number", reason="the nhs-number package is a test-only dependency ([dev])"
)

VECTORS_PER_KIND = 2_000


@pytest.fixture(scope="module")
def vectors() -> list[tuple[str, bool]]:
    """Numbers made by ``nhs-number``'s own generator, each with its verdict (seeded: the same every run)."""
    random.seed(20260)
    made = []
    for region in (nhs_number.REGION_SYNTHETIC, nhs_number.REGION_ENGLAND):
        for valid in (True, False):
            numbers = nhs_number.generate(valid=valid, for_region=region, quantity=VECTORS_PER_KIND)
            made += [(number, nhs_number.is_valid(number)) for number in numbers]
    return made


def test_the_vectors_hold_both_verdicts(vectors: list[tuple[str, bool]]) -> None:
    assert sum(verdict for _, verdict in vectors) == 2 * VECTORS_PER_KIND
    assert len(vectors) == 4 * VECTORS_PER_KIND


def test_single_values_agree_with_nhs_number(vectors: list[tuple[str, bool]]) -> None:
    disagreements = [number for number, verdict in vectors if nhs_number_is_valid(number) != verdict]
    assert disagreements == []


def test_spaced_values_agree_with_nhs_number(vectors: list[tuple[str, bool]]) -> None:
    spaced = [(f"{n[:3]} {n[3:6]} {n[6:]}", verdict) for n, verdict in vectors[::10]]
    assert [n for n, verdict in spaced if nhs_number_is_valid(n) != nhs_number.is_valid(n)] == []


def test_a_whole_column_agrees_with_nhs_number(vectors: list[tuple[str, bool]]) -> None:
    frame = pd.DataFrame({"nhs_number": [number for number, _ in vectors]})
    expected = [index for index, (_, verdict) in enumerate(vectors) if not verdict]
    assert invalid_nhs_numbers(frame).index.tolist() == expected


def test_check_digits_agree_with_nhs_number() -> None:
    """Every stem of a seeded sample across the whole ten-digit space, the remainder-1 case (no digit) included."""
    sample = random.Random(11).sample(range(1_000_000_000), 20_000)
    stems = [f"{stem:09d}" for stem in sample]
    theirs = {stem: nhs_number.calculate_checksum(stem) for stem in stems}
    assert 10 in theirs.values()  # the sample reaches the case where no check digit is valid
    ours = {stem: nhs_number_check_digit(stem) for stem in stems}
    assert ours == {stem: None if digit == 10 else digit for stem, digit in theirs.items()}
