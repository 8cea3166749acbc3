"""The `college` command line: a thin layer over the library."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from autograder.cli import exercise_app, grade
from college.data.cli import app as data_app

app = typer.Typer(
    help="Open College for NHS Analysts.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # help texts show [default: ...] and [scale] literally, not as markup
)
console = Console()
error_console = Console(stderr=True)

ROOT_OPTION = typer.Option(Path("."), "--root", help="The repository root (holding mkdocs.yml).")

# Sub-commands from other packages are registered below, one line each.
app.add_typer(data_app, name="data")
app.add_typer(exercise_app, name="exercise")
app.command("grade")(grade)


@app.command("check")
def check_command(
    strict: bool = typer.Option(False, "--strict", help="Treat coverage warnings as errors (and list them)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every warning, not only their number."),
    root: Path = ROOT_OPTION,
) -> None:
    """Validate the curriculum: every reference resolves, every field is present, every link works.

    Errors are listed one per line. Warnings (role requirements that nothing in the college builds yet) are
    counted in one line unless ``--verbose`` or ``--strict`` asks for the list."""
    from college.checking import check
    from college.site.markdown import plural

    result = check(root)
    errors = sum(p.severity.value == "error" for p in result.problems)
    warnings = len(result.problems) - errors
    for problem in result.problems:  # one line each, like a compiler: file, field, message
        if problem.severity.value == "warning" and not (verbose or strict):
            continue
        colour = "red" if problem.severity.value == "error" or strict else "yellow"
        console.print(f"[{colour}]{escape(str(problem))}[/]", soft_wrap=True, highlight=False)
    if warnings and not (verbose or strict):
        console.print(
            f"[yellow]{plural(warnings, 'warning')} not listed: role requirements that no module or activity "
            "builds yet. `college check --verbose` lists them.[/]",
            soft_wrap=True,
            highlight=False,
        )
    loaded = ", ".join(plural(count, noun) for noun, count in result.counts.items())
    console.print(
        f"Checked {loaded}: {plural(errors, 'error')}, {plural(warnings, 'warning')}.", soft_wrap=True
    )
    if result.failed(strict):
        raise typer.Exit(1)


@app.command("pages")
def pages_command(
    out: Path = typer.Option(..., "--out", help="Folder to write: OUT/mkdocs.yml and OUT/docs/."),
    root: Path = ROOT_OPTION,
) -> None:
    """Write every page of the site as plain files, buildable by Zensical or MkDocs without hooks."""
    from college.curriculum import CurriculumError, load_curriculum
    from college.site.build import assemble_site
    from college.site.project import write_site_project
    from college.site.sql_assets import SqlAssetsMissing
    from college.site.sql_database import SqlDataMissing

    try:
        curriculum = load_curriculum(root)
    except CurriculumError as error:
        error_console.print(f"[red]The curriculum has errors; run `college check`.[/]\n{error}")
        raise typer.Exit(1) from None
    try:
        site = assemble_site(curriculum)
    except (SqlAssetsMissing, SqlDataMissing) as error:
        error_console.print(f"[red]The site cannot be written:[/] {error}")
        raise typer.Exit(1) from None
    written = write_site_project(root.resolve(), site, out)
    console.print(f"Wrote {len(written)} files to {out / 'docs'} and {out / 'mkdocs.yml'}.")
