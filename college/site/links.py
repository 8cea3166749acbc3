"""Internal link checking over every page of the site, naming the source file of each broken link."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

from college.curriculum import Problem

FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
MARKDOWN_LINK = re.compile(r"(?<!\\)\]\((?P<target><[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_LINK = re.compile(r"""(?:href|src)="(?P<target>[^"]+)\"""")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def link_targets(markdown: str) -> Iterable[str]:
    """The targets of Markdown and HTML links in a page, ignoring code."""
    text = INLINE_CODE.sub("", FENCED_CODE.sub("", markdown))
    for pattern in (MARKDOWN_LINK, HTML_LINK):
        for match in pattern.finditer(text):
            yield match.group("target").strip("<>")


def broken_links(
    pages: Mapping[str, str], known_paths: set[str], source_of: Mapping[str, str]
) -> list[Problem]:
    """One problem per internal link whose target is not a file of the site.

    ``source_of`` maps a page's path to the repository file it comes from, so the message names what to edit.
    """
    problems = []
    for page, markdown in sorted(pages.items()):
        for target in link_targets(markdown):
            if EXTERNAL.match(target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0].split("?", 1)[0]
            file = source_of.get(page, page)
            if path.startswith("/"):
                problems.append(Problem(file, "links", f"'{target}' is absolute: link relative to the page"))
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if resolved not in known_paths:
                problems.append(Problem(file, "links", f"'{target}' points at no page or file of the site"))
    return problems
