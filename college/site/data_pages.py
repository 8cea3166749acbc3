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
from college.site.templates import render

INDEX = "data/index.md"
HOW_IT_WAS_MADE = "data/how-it-was-made.md"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
TYPE_NAMES = {"string": "text", "integer": "whole number", "number": "decimal number", "date": "date",
              "datetime": "date and time"}  # fmt: skip
INDEX_TEMPLATE = "data/index.md.j2"
HOW_IT_WAS_MADE_TEMPLATE = "data/how-it-was-made.md.j2"
PROSE_TEMPLATES = {INDEX: INDEX_TEMPLATE, HOW_IT_WAS_MADE: HOW_IT_WAS_MADE_TEMPLATE}
"""The data pages that are mostly prose, and the template each is written in (the others are made from the
dictionary's own text)."""
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


def _dataset_context(spec: DatasetSpec, dictionary: DataDictionary) -> dict[str, object]:
    """What the data set template is given: the rows of its tables, worked out here."""
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
    code_lists = [
        dictionary.code_list(field.allowed.code_list)
        for field in spec.fields
        if field.allowed is not None and field.allowed.code_list is not None
    ]
    short = [code_list for code_list in dict.fromkeys(code_lists) if len(code_list.codes) <= INLINE_CODES]
    notes = [(f"`{field.name}`", field.caveats) for field in spec.fields if field.caveats]
    return {
        "spec": spec,
        "dictionary": dictionary,
        "facts": facts,
        "rows": rows,
        "short": short,
        "notes": notes,
        "code_table": _code_table,
        "cell": cell,
    }


def render_dataset(spec: DatasetSpec, dictionary: DataDictionary) -> str:
    """The page of one data set."""
    return render("data/dataset.md.j2", **_dataset_context(spec, dictionary))


def render_code_lists(spec: DatasetSpec, dictionary: DataDictionary) -> str:
    """The code lists page: the data set page, followed by every code list in full."""
    return render("data/code_lists.md.j2", **_dataset_context(spec, dictionary))


def render_index(dictionary: DataDictionary) -> str:
    """The overview page of the data."""
    rows = [
        (f"[{spec.title}]({spec.name}.md)", f"`{spec.name}`", spec.grain, _downloads(spec.name))
        for spec in dictionary.datasets
    ]
    return render(INDEX_TEMPLATE, rows=rows, small=SCALES[Scale.SMALL], ogl=OGL)


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
    return render(
        HOW_IT_WAS_MADE_TEMPLATE,
        scale_rows=scale_rows,
        problem_rows=problem_rows,
        range_rows=range_rows,
        seed=DEFAULT_SEED,
        block_size=BLOCK_SIZE,
    )


def dictionary_pages(dictionary: DataDictionary | None = None) -> dict[str, str]:
    """Every data page of the site: ``{site path: Markdown}``."""
    dictionary = dictionary or load_dictionary()
    pages = {INDEX: render_index(dictionary), HOW_IT_WAS_MADE: render_how_it_was_made(dictionary)}
    for spec in dictionary.datasets:
        make = render_code_lists if spec.name == "code_lists" else render_dataset
        pages[dataset_page(spec.name)] = make(spec, dictionary)
    return pages
