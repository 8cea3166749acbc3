"""Thin MkDocs adapter: validate the curriculum, then hand the generated pages and navigation to the build.

Everything it adds comes from :func:`college.site.build.assemble_site`; ``college pages --out`` writes the same
files for builders that run no hooks (Zensical).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from college.curriculum import inspect_curriculum
from college.site.build import Site, assemble_site
from college.site.sql_assets import SqlAssetsMissing
from college.site.sql_database import SqlDataMissing

_state: dict[str, Site] = {}


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    report = inspect_curriculum(root)
    if report.errors:
        raise PluginError("The curriculum has errors:\n" + "\n".join(str(p) for p in report.errors))
    try:
        site = assemble_site(report.curriculum)
    except (SqlAssetsMissing, SqlDataMissing) as error:
        raise PluginError(str(error)) from None
    links = site.link_problems()
    if links:
        raise PluginError("Broken links:\n" + "\n".join(str(p) for p in links))
    charts = site.chart_problems()
    if charts:
        raise PluginError("Unknown charts:\n" + "\n".join(str(p) for p in charts))
    examples = site.example_problems()
    if examples:
        raise PluginError("Worked examples that fail:\n" + "\n".join(str(p) for p in examples))
    _state["site"] = site
    config["nav"] = site.nav
    return config


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    site = _state["site"]
    for path, markdown in site.inputs.pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        generated = File.generated(config, path, content=markdown)
        generated.edit_uri = _edit_uri(site, path)
        files.append(generated)
    for path, source in site.inputs.copied.items():
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, abs_src_path=str(source)))
    return files


def _edit_uri(site: Site, path: str) -> str:
    """Edit links point at the repository file a page is made from (relative to the docs folder)."""
    source = site.source_of.get(path, f"courses/{path}")
    return source.removeprefix("courses/") if source.startswith("courses/") else f"../{source}"
