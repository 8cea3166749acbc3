"""Trainee ids as file names, and ids that only look different.

A trainee id is whatever the submission folder is called. It must become file names (``feedback/<id>.html``,
``results/<id>.json``) on the tutor's machine, which may be Linux, macOS or Windows, and the tutor must be told when
two ids would be taken for one person (or collide on a case-insensitive file system).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

MAX_NAME_BYTES = 150
"""Well inside the 255-byte limit of common file systems, leaving room for suffixes and temporary names."""
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]')
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic and Greek letters that look like Latin ones (a common subset of Unicode's confusables list)
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ο": "o", "α": "a", "ν": "v", "ρ": "p",
        "τ": "t", "ι": "i", "κ": "k", "χ": "x", "υ": "u", "ϲ": "c",
        # digits and letters often confused in ids
        "0": "o", "1": "l", "|": "l",
    }
)  # fmt: skip


def file_stem(trainee: str) -> str:
    """A file name for ``trainee``'s outputs: the id itself when it is safe everywhere, else a readable prefix and
    a hash of the whole id (so two different ids never share a file)."""
    encoded = trainee.encode("utf-8", "surrogateescape")
    safe = (
        len(encoded) <= MAX_NAME_BYTES
        and not UNSAFE.search(trainee)
        and not trainee.startswith(".")
        and not trainee.endswith((".", " "))
        and trainee.split(".")[0].lower() not in WINDOWS_RESERVED
        and trainee == unicodedata.normalize("NFC", trainee)
    )
    if safe and trainee:
        return trainee
    readable = UNSAFE.sub("_", unicodedata.normalize("NFC", trainee)).strip(". ")
    while len(readable.encode("utf-8", "surrogateescape")) > 60:
        readable = readable[:-1]
    if readable.split(".")[0].lower() in WINDOWS_RESERVED:
        readable = "_" + readable
    digest = hashlib.sha256(encoded).hexdigest()[:16]
    return f"{readable or 'trainee'}-{digest}"


def skeleton(trainee: str) -> str:
    """What an id looks like to a reader: case, Unicode form, accents and look-alike letters folded away."""
    folded = unicodedata.normalize("NFKD", trainee).casefold()
    without_marks = "".join(c for c in folded if not unicodedata.combining(c))
    return without_marks.translate(LOOK_ALIKES)


def look_alike_groups(trainees: Iterable[str]) -> list[tuple[str, ...]]:
    """Groups of two or more different ids that share a skeleton, each sorted; the groups sorted too."""
    groups: dict[str, set[str]] = {}
    for trainee in trainees:
        groups.setdefault(skeleton(trainee), set()).add(trainee)
    return sorted(tuple(sorted(group)) for group in groups.values() if len(group) > 1)
