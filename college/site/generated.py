"""A generated page and the repository file it is made from.

Every page generator says where each page it makes comes from, so that error messages and the edit links of
both builders name the file to change, without guessing it afterwards from the page's path. The curriculum's
files are named as :mod:`college.curriculum.validation` names them in its problems.
"""

from __future__ import annotations

from typing import NamedTuple

DATA_DICTIONARY_SOURCE = "college/data/dictionary.yml"
CHART_SOURCE = "college/site/charts/catalogue.py"


class Generated(NamedTuple):
    markdown: str
    """The page's Markdown (an SVG's text, for a chart)."""
    source: str
    """The repository file the page is made from, relative to the repository: what to edit to change it."""
