"""``college data``: the command line of the synthetic data (a thin layer over :mod:`college.data`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from college.data.scales import DEFAULT_SEED, SCALES, Scale

app = typer.Typer(
    help="The shared synthetic NHS data.", no_args_is_help=True, add_completion=False, rich_markup_mode=None
)


class FormatChoice(StrEnum):
    """A format to write; ``both`` means CSV and Parquet."""

    CSV = "csv"
    PARQUET = "parquet"
    BOTH = "both"


def _formats(choices: list[FormatChoice]) -> tuple[str, ...]:
    chosen: set[str] = set()
    for choice in choices:
        chosen |= {"csv", "parquet"} if choice is FormatChoice.BOTH else {choice.value}
    return tuple(value for value in ("csv", "parquet") if value in chosen)


@app.command("generate")
def generate_command(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write the data into (created if missing).")
    ],
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed: the same seed gives the same files.")
    ] = DEFAULT_SEED,
    scale: Annotated[
        Scale, typer.Option(help="small (2% sample), medium (about 900,000 patients) or large (10× medium).")
    ] = Scale.SMALL,
    file_format: Annotated[
        list[FormatChoice] | None,
        typer.Option("--format", help="csv, parquet or both; may be given twice. Default csv."),
    ] = None,
) -> None:
    """Generate every synthetic data set, its answer keys (in truth/) and manifest.json."""
    from college.data.generator import generate  # imported here: NumPy and pandas are slow to load

    formats = _formats(file_format or [FormatChoice.CSV])
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} exists and is not a directory", param_hint="--out")
    try:
        generated = generate(
            out, seed=seed, scale=scale, formats=formats, show_progress=scale is not Scale.SMALL
        )
    except OSError as error:
        typer.echo(f"Error: cannot write to {out}: {error.strerror or error}", err=True)
        raise typer.Exit(code=1) from error
    except ValueError as error:  # a choice this install cannot honour (Parquet without pyarrow)
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(code=1) from error
    spec = SCALES[scale]
    rows = ", ".join(f"{name} {count:,}" for name, count in generated.manifest.rows.items())
    typer.echo(f"Wrote {scale.value} scale (seed {seed}, {spec.patients:,} patients) to {out}: {rows}.")
    if scale is Scale.LARGE:
        typer.echo(
            "Note: the NHS number test range has about 909,000 valid numbers, so at the large scale each number is "
            "shared by ten patients. Use the large scale for speed tests only."
        )
