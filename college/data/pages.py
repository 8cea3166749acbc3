"""The data dictionary pages of the site, made from the dictionary by one pure function.

``dictionary_pages()`` returns ``{site path: Markdown}``: ``data/index.md`` (the data sets, how to download
them, the licence), ``data/<data set>.md`` for every data set (fields, codes, caveats, downloads) and
``data/how-it-was-made.md`` (method, scales, determinism, planted problems, plausibility ranges). Downloads are
relative links to ``files/<data set>.csv`` and ``.parquet``, where the site build places the small-scale files.
"""

from __future__ import annotations

from college.data.dictionary import CodeList, DataDictionary, DatasetSpec, FieldSpec, load_dictionary
from college.data.planted import PROBLEMS, RATES
from college.data.plausibility import RANGES
from college.data.scales import BLOCK_SIZE, DEFAULT_SEED, SCALES, Scale
from college.markdown_table import cell, table

INDEX = "data/index.md"
HOW_IT_WAS_MADE = "data/how-it-was-made.md"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
TYPE_NAMES = {"string": "text", "integer": "whole number", "number": "decimal number", "date": "date",
              "datetime": "date and time"}  # fmt: skip
INLINE_CODES = 8
"""Code lists up to this long are printed on each data set page that uses them."""


def dataset_page(name: str) -> str:
    """The site path of a data set's page."""
    return f"data/{name}.md"


def _downloads(name: str) -> str:
    return f"[CSV](files/{name}.csv) · [Parquet](files/{name}.parquet)"


def _coverage(spec: DatasetSpec) -> str:
    if spec.coverage == "whole":
        return "The whole table at every scale."
    share = SCALES[Scale.SMALL].sampling_fraction
    return f"Patients sampled: {share:.0%} of the registered population at the small scale, all of them at the medium scale."


def _allowed(field: FieldSpec, dictionary: DataDictionary) -> str:
    allowed = field.allowed
    parts: list[str] = []
    if allowed is not None:
        if allowed.code_list is not None:
            code_list = dictionary.code_list(allowed.code_list)
            parts.append(f"a code from [{code_list.title}](code_lists.md#{code_list.id})")
        if allowed.values is not None:
            parts.append("one of " + ", ".join(f"`{value}`" for value in allowed.values))
        if allowed.minimum is not None and allowed.maximum is not None:
            parts.append(f"from {allowed.minimum} to {allowed.maximum}")
        elif allowed.minimum is not None:
            parts.append(f"at least {allowed.minimum}")
        elif allowed.maximum is not None:
            parts.append(f"at most {allowed.maximum}")
        if allowed.pattern is not None:
            parts.append(f"matching `{allowed.pattern}`")
        if allowed.nhs_number:
            parts.append(
                "ten digits from the test range 999 000 0000 to 999 999 9999, passing the Modulus 11 check"
            )
    if field.unique:
        parts.append("every value different")
    parts.append("may be empty" if field.nullable else "never empty")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _data_dictionary_link(field: FieldSpec) -> str:
    link = field.nhs_data_dictionary
    return f"[{link.item}]({link.url})" if link is not None else "—"


def _code_table(code_list: CodeList) -> str:
    return table(("Code", "Meaning"), [(f"`{entry.code}`", entry.description) for entry in code_list.codes])


def render_dataset(spec: DatasetSpec, dictionary: DataDictionary) -> str:
    """The page of one data set."""
    facts = [("What one row is", spec.grain), ("Coverage", _coverage(spec))]
    if spec.period:
        facts.append(("Period", spec.period))
    if spec.reference_date:
        facts.append(("Reference date", spec.reference_date.isoformat()))
    if spec.census_date:
        facts.append(("Census date", spec.census_date.isoformat()))
    facts.append(("Download (small scale)", _downloads(spec.name)))
    rows = [
        (f"`{field.name}`", TYPE_NAMES[field.type], field.meaning, _allowed(field, dictionary), field.unit or "—",
         _data_dictionary_link(field))
        for field in spec.fields
    ]  # fmt: skip
    parts = [
        f"# {spec.title}",
        spec.description,
        table(("About the data set", "Detail"), facts),
        "## Fields",
        table(("Field", "Type", "Meaning", "Allowed values", "Unit", "NHS Data Model and Dictionary"), rows),
    ]
    if spec.rules:
        parts += ["## Rules between fields", "\n".join(f"- {rule.description}" for rule in spec.rules)]
    code_lists = [
        dictionary.code_list(field.allowed.code_list)
        for field in spec.fields
        if field.allowed is not None and field.allowed.code_list is not None
    ]
    short = [code_list for code_list in dict.fromkeys(code_lists) if len(code_list.codes) <= INLINE_CODES]
    if short:
        parts.append("## Codes")
        for code_list in short:
            parts += [f"### {code_list.title}", code_list.description, _code_table(code_list)]
    notes = [(f"`{field.name}`", field.caveats) for field in spec.fields if field.caveats]
    if spec.caveats or notes:
        parts.append("## Caveats")
        if spec.caveats:
            body = "\n".join(f"    - {cell(caveat)}" for caveat in spec.caveats)
            parts.append(f'!!! warning "How these synthetic data differ from the real thing"\n\n{body}')
        if notes:
            parts += ["Notes on single fields:", table(("Field", "Note"), notes)]
    if spec.sources:
        parts += ["## Sources", "\n".join(f"- [{source.title}]({source.url})" for source in spec.sources)]
    return "\n\n".join(parts) + "\n"


def render_code_lists(spec: DatasetSpec, dictionary: DataDictionary) -> str:
    """The code lists page: the data set page, followed by every code list in full."""
    parts = [render_dataset(spec, dictionary).rstrip("\n"), "## Every code list"]
    for code_list in dictionary.code_lists:
        parts.append(f"### {code_list.title} {{#{code_list.id}}}")
        parts.append(f"List id `{code_list.id}`. {code_list.description}")
        if code_list.source is not None:
            parts.append(f"Source: [{code_list.source.title}]({code_list.source.url}).")
        parts.append(_code_table(code_list))
    return "\n\n".join(parts) + "\n"


def render_index(dictionary: DataDictionary) -> str:
    """The overview page of the data."""
    rows = [
        (f"[{spec.title}]({spec.name}.md)", f"`{spec.name}`", spec.grain, _downloads(spec.name))
        for spec in dictionary.datasets
    ]
    small = SCALES[Scale.SMALL]
    parts = [
        "# Synthetic NHS data",
        (
            "Every exercise and worked example of the Open College uses the same synthetic data: the registered "
            "population, patients and hospital activity of one invented integrated care board (ICB) of about "
            f"{small.registered_population:,} people during 2023, with the monthly indicators of its five NHS "
            "trusts and the deaths of its residents. The data are made by code, documented field by field on "
            "these pages, and the same for everyone."
        ),
        '!!! info "No real person is in these data"\n\n'
        "    Every record is invented by a computer program; none describes a real patient, practice, area or trust. "
        "NHS numbers come only from the range 999 000 0000 to 999 999 9999, which is reserved for testing and "
        "never issued to anybody. There are no names, addresses, postcodes or full dates of birth.",
        "## The data sets",
        table(("Data set", "File name", "What one row is", "Download"), rows),
        (
            f"The files on this site are the **small scale**: the population, deaths, monthly indicators and "
            f"reference tables whole, and a {small.sampling_fraction:.0%} simple random sample of the patients "
            f"(about {small.patients:,}) with all their activity. Each data set page lists its fields, the values "
            "they may hold, the NHS Data Model and Dictionary item they mirror and how they differ from real data."
        ),
        "## Download and load",
        (
            "Download the CSV or Parquet file from a data set page. CSV files are UTF-8 with a header row; dates are "
            "written `YYYY-MM-DD` and dates with times `YYYY-MM-DD HH:MM:SS`. Parquet files keep the column types. "
            "In Python:"
        ),
        "```python\n"
        "import pandas as pd\n\n"
        'attendances = pd.read_csv("data/ae_attendances.csv", parse_dates=["arrival_datetime", "departure_datetime"],\n'
        '                          dtype={"nhs_number": str})\n'
        'admissions = pd.read_parquet("data/admissions.parquet")\n'
        "```",
        "Or make the files yourself, byte for byte the same, with the project's command line:",
        "```bash\ncollege data generate --scale small --format both --out data\n```",
        '!!! tip "Spreadsheets"\n\n'
        "    Spreadsheet programs may turn age bands such as `5-9` into dates and drop the leading part of long "
        "codes. Import those columns as text.",
        "## Check the files with standard tools",
        (
            "The CSV files are described by a Frictionless Data Package, [datapackage.json](files/datapackage.json), "
            "made from the same data dictionary as these pages: each column's type, meaning and allowed values. Any "
            "tool that reads Table Schema can check a file against it; with the `frictionless` package from PyPI, in "
            "the folder holding the files:"
        ),
        "```bash\nfrictionless validate datapackage.json\n```",
        (
            "It reports the A&E attendances as invalid, because of the codes planted outside their code lists for "
            "exercises, and every other data set as valid. Two rules of the dictionary cannot be written in a Table "
            "Schema: the NHS number's check digit and the order of two columns (an arrival before its departure); "
            "`college.validity` checks both."
        ),
        "## Licence",
        (
            f"The data and these pages are published under the [Open Government Licence v3.0]({OGL}). The 2013 "
            "European Standard Population is Eurostat's, reproduced with acknowledgement; the short code titles "
            "come from the classifications named on the [code lists](code_lists.md) page."
        ),
        "## More",
        "- [How the data were made](how-it-was-made.md): the method, the seed, the scales, and what was planted "
        "for exercises.\n- [Code lists](code_lists.md): every code the coded columns may hold.",
    ]
    return "\n\n".join(parts) + "\n"


def render_how_it_was_made(dictionary: DataDictionary) -> str:
    """The method page."""
    scale_rows = [
        (f"`{spec.scale.value}`", f"{spec.registered_population:,}", f"{spec.patients:,}",
         f"{spec.sampling_fraction:.0%}", f"{spec.areas:,}", f"{spec.practices:,}")
        for spec in SCALES.values()
    ]  # fmt: skip
    quality = dictionary.code_list("quality_problem")
    problem_rows = [
        (f"`{problem}`", quality.describe(problem), f"{rate:.1%}")
        for problem, rate in zip(PROBLEMS, RATES, strict=True)
    ]
    range_rows = [
        (check.description, f"{check.minimum:g} to {check.maximum:g} {check.unit}",
         f"[{check.basis}]({check.source_url})" if check.source_url else check.basis)
        for check in RANGES
    ]  # fmt: skip
    parts = [
        "# How the data were made",
        (
            "The synthetic data are the output of a program in this project (`college.data`), a pure function of "
            "a seed, a scale and the data dictionary. Nothing in them was copied from real records."
        ),
        "## Method",
        (
            "1. **The ICB.** Small areas are laid out along a line, with a deprivation decile that changes smoothly "
            "from one area to the next. GP practices serve runs of neighbouring areas. The registered population is "
            "shared among areas, sexes and five-year age bands with an age structure close to England's; more "
            "deprived areas are a little younger.\n"
            "2. **Patients.** Everybody in the population table becomes a patient, in a random order. Each patient "
            "gets a month of birth and an NHS number from the test range.\n"
            "3. **Activity.** For each patient, counts of emergency care attendances, hospital admissions and "
            "referral to treatment pathways are drawn from rates that depend on age and deprivation, with a random "
            "frailty so that a few people attend often. Each record then gets its times, codes and outcomes from "
            "simple models (for example, the time in the department depends on the department type, acuity, the "
            "trust, the season and whether the patient is admitted). Attendances that end on a ward become "
            "emergency admissions.\n"
            "4. **Aggregates.** Deaths are drawn for every area, sex and age band from death rates close to "
            "England's, raised in deprived areas. The monthly indicators are series with a level, a mild seasonal "
            "swing and noise."
        ),
        "## Seed, scales and determinism",
        (
            f"The default seed is {DEFAULT_SEED}, the year of the Goldacre review of health data for research and "
            "analysis. The same seed and scale give byte-identical files on any machine with the project's pinned "
            "dependencies: every random number comes from a stream keyed by the seed and the purpose, and the files "
            "are written with fixed formatting. `manifest.json` beside the data records the seed, the scale, the "
            "dictionary's schema version and the SHA-256 of every file."
        ),
        table(
            ("Scale", "Registered population", "Patients", "Share sampled", "Areas", "Practices"), scale_rows
        ),
        (
            f"Patients are generated in blocks of {BLOCK_SIZE:,}, each with its own random streams, so the small "
            "scale is exactly the first blocks of the medium scale: the same patients with the same records. The "
            "large scale exists to test speed. The test range holds only about 909,000 valid NHS numbers, so at "
            "the large scale each number is shared by ten patients."
        ),
        "## What was planted for exercises",
        (
            "About 1.5% of the emergency care attendances are deliberately bad, each in one way. They are chosen "
            "at random among good records and are not marked in the file: finding them is the exercise."
        ),
        table(("Problem", "What it looks like", "Share of attendances"), problem_rows),
        (
            "The monthly indicators carry six injected special cause events: two shifts, two trends and two "
            "outliers, each in a different series and all after the first 24 months, which are stable. Each series "
            "was redrawn until the Making Data Count rules, read cautiously, find special cause variation inside "
            "its event and nowhere else when the limits are fixed on those 24 months."
        ),
        "## Plausibility",
        (
            "Headline figures are checked against ranges set around England's published figures for recent "
            "years, so that the data feel real. The ranges are targets for teaching data, not statistics about "
            "the NHS."
        ),
        table(("Figure", "Range", "Modelled on"), range_rows),
        "## Limits",
        (
            "- The data describe one invented ICB in one year. Trends over years, the pandemic and differences "
            "between real places are not modelled.\n"
            "- Relationships between data sets are simple: only attendances that end on a ward link to admissions, "
            "and deaths are not linked to patients.\n"
            "- Codes come from small subsets of the real classifications, and many fields of the real data sets "
            "are left out.\n"
            "- Each data set page lists its own caveats."
        ),
    ]
    return "\n\n".join(parts) + "\n"


def dictionary_pages(dictionary: DataDictionary | None = None) -> dict[str, str]:
    """Every data page of the site: ``{site path: Markdown}``."""
    dictionary = dictionary or load_dictionary()
    pages = {INDEX: render_index(dictionary), HOW_IT_WAS_MADE: render_how_it_was_made(dictionary)}
    for spec in dictionary.datasets:
        render = render_code_lists if spec.name == "code_lists" else render_dataset
        pages[dataset_page(spec.name)] = render(spec, dictionary)
    return pages
