"""Write the whole site as plain files — pages, copied files and a config — for builders that run no hooks.

Zensical, the successor of Material for MkDocs, reads ``mkdocs.yml`` but runs no MkDocs hooks, so it builds from
the folder this writes: ``OUT/mkdocs.yml`` and ``OUT/docs/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from college.site.build import Site


def project_config(root: Path, site: Site) -> dict[str, Any]:
    """The repository's ``mkdocs.yml`` with the docs folder, navigation and hooks made explicit for plain files."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["nav"] = site.nav
    # Zensical's default "modern" look replaces Material's coloured header and buttons (our NHS identity and the
    # quiz buttons) with its own; "classic" is Material's look, so both builders show the same site.
    config.setdefault("theme", {})["variant"] = "classic"
    return config


def write_site_project(root: Path, site: Site, out: Path) -> list[str]:
    """Write ``out/docs`` and ``out/mkdocs.yml``; return the paths written under ``docs``."""
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    written = []
    for path, markdown in sorted(site.inputs.pages.items()):
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        written.append(path)
    for path, source in sorted(site.inputs.copied.items()):
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(path)
    config = project_config(root, site)
    custom_dir = config.get("theme", {}).get("custom_dir")
    if custom_dir:  # theme overrides travel with the pages, at the same place relative to the config
        if (out / custom_dir).exists():
            shutil.rmtree(out / custom_dir)
        shutil.copytree(root / custom_dir, out / custom_dir)
    (out / "mkdocs.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return written
