"""The base of every typed record of the project: frozen pydantic models, and a published source.

The curriculum model, the data dictionary and the grader's results all derive from :class:`Frozen`, so they share
one idea of a record: immutable, strict about unknown keys, its fields documented by their docstrings. It sits at
the bottom of the layers and imports nothing of the project.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, HttpUrl, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty prose."""


class Frozen(BaseModel):
    """Base for every record: immutable, strict about unknown keys, documented by docstrings."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Source(Frozen):
    """A published source that content is drawn from."""

    title: Text
    """The title of the document or page, with its publisher."""
    url: HttpUrl
    """Where it can be read."""
