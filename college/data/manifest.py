"""The manifest written beside the data, and keeping a copy of the small data up to date.

``manifest.json`` records how the files were made (seed, scale, schema version, a fingerprint of the generator's
code and dictionary) and the SHA-256 of every file. :func:`ensure_small_data` regenerates the small scale only
when the manifest is missing, was made differently, or a file is missing or changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from college.files import sha256_of_file

PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST_NAME = "manifest.json"
_FINGERPRINTED = (PACKAGE_DIR, PACKAGE_DIR.parent / "validity")


@dataclass(frozen=True)
class Manifest:
    """How a directory of synthetic data was made."""

    seed: int
    scale: str
    schema_version: int
    fingerprint: str
    """SHA-256 over the generator's source and dictionary files: any change to them makes the data stale."""
    sampling_fraction: float
    formats: tuple[str, ...]
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """SHA-256 of each file, by path relative to the data directory."""

    def to_json(self) -> dict[str, object]:
        content = asdict(self)
        content["formats"] = list(self.formats)
        content["generator"] = "college.data (Open College for NHS Analysts)"
        return content

    @classmethod
    def from_json(cls, content: dict[str, object]) -> Manifest:
        known = {name: content[name] for name in cls.__dataclass_fields__ if name in content}
        known["formats"] = tuple(known.get("formats", ()))  # type: ignore[arg-type]
        return cls(**known)  # type: ignore[arg-type]


def fingerprint() -> str:
    """SHA-256 over every Python and YAML file of the generator (and of the validity checks it uses)."""
    digest = hashlib.sha256()
    for directory in _FINGERPRINTED:
        for path in sorted([*directory.glob("*.py"), *directory.glob("*.yml")]):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_manifest(directory: Path) -> Manifest | None:
    """The manifest of a data directory, or None if it is missing or unreadable."""
    try:
        content = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
        return Manifest.from_json(content)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _sha256(path: Path) -> str | None:
    try:
        return sha256_of_file(path)
    except OSError:
        return None


def is_current(
    directory: Path, *, seed: int, scale: str, schema_version: int, formats: tuple[str, ...]
) -> bool:
    """Whether the directory holds data made with these settings by this version of the generator, untouched."""
    manifest = read_manifest(directory)
    if manifest is None:
        return False
    made_alike = (
        manifest.seed == seed
        and manifest.scale == scale
        and manifest.schema_version == schema_version
        and manifest.fingerprint == fingerprint()
        and set(formats) <= set(manifest.formats)
    )
    return (
        made_alike
        and bool(manifest.files)
        and all(_sha256(directory / relative) == digest for relative, digest in manifest.files.items())
    )
