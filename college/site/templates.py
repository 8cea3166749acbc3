"""The page templates: the prose of generated pages, kept in Markdown files (``templates/*.md.j2``) beside this
module so that it can be edited without touching Python.

A template gets the model objects it describes and fills in their names, numbers and tables; anything worked out
(a table's rows, a sentence that depends on the data) is worked out in Python and passed in. The output is
Markdown, so nothing is HTML-escaped: values are escaped for Markdown where they are put into it (the ``table``
global escapes its cells). An unknown name in a template is an error, not an empty string.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from college.markdown_table import table

FOLDER = "college/site/templates"
"""Where the templates are in the repository."""


def template_source(name: str) -> str:
    """The repository file of template ``name``: the source of a page whose text is mostly the template's."""
    return f"{FOLDER}/{name}"


def _thousands(number: int) -> str:
    return f"{number:,}"


def _percent(share: float, places: int = 0) -> str:
    return f"{share:.{places}%}"


@cache
def environment() -> jinja2.Environment:
    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("college.site", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.filters.update(thousands=_thousands, percent=_percent)
    templates.globals.update(table=table)
    return templates


def render(name: str, **context: Any) -> str:
    """The Markdown of template ``name`` (a path under ``templates/``) filled with ``context``."""
    return environment().get_template(name).render(**context)
