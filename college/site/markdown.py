"""Small helpers for writing Markdown that MkDocs and Zensical both understand."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from college.curriculum.models import Source


def relative_link(from_page: str, to_page: str) -> str:
    """A relative link from one page's source path to another's (both relative to the docs folder)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def link(text: str, from_page: str, to_page: str) -> str:
    return f"[{escape(text)}]({relative_link(from_page, to_page)})"


def escape(text: str) -> str:
    """Escape the characters that would break a table cell or a link text."""
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def hours(minutes: int) -> str:
    """Minutes as a reader would say them: '45 minutes', '1 hour 30 minutes', '12.5 hours'."""
    if minutes < 60:
        return f"{minutes} minutes"
    whole, rest = divmod(minutes, 60)
    if whole >= 10:
        return f"{minutes / 60:.1f} hours".replace(".0 hours", " hours")
    unit = "hour" if whole == 1 else "hours"
    return f"{whole} {unit}" + (f" {rest} minutes" if rest else "")


def plural(count: int, noun: str) -> str:
    """'1 module', '2 modules', '3 competencies'."""
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in set("aeiou"):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"


def sources_section(sources: Iterable[Source]) -> str:
    return "## Sources\n\n" + bullet_list(f"[{escape(s.title)}]({s.url})" for s in sources)
