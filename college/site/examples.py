"""Worked examples show what they print: each module page's Python blocks are run at build time on the shared
synthetic data, in order, in one fresh interpreter per page, and what each block prints is placed under it as an
"Output" block. The page and its code therefore cannot disagree, and an example that fails is a problem of
`college check` and of the build, naming the module's file (the page is then shown without outputs).

Running every page takes about 25 s, so outputs are kept in ``build/examples/``, keyed by a hash of the page's
code, the data's manifest and the Python and library versions: an unchanged page is not run again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from college.curriculum import Curriculum, Module, Problem
from college.files import write_atomic
from college.site import paths

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
"""A fenced code block, possibly indented (inside a list item or an admonition)."""

TRACKS_WITH_CODE = ("analysts", "practitioners")
MAX_LINES = 60
"""Longer outputs are cut, saying how many lines were left out: a page is read, not scrolled through."""
CACHE_FOLDER = Path("build") / "examples"
TIMEOUT = 300

RUNNER = r"""
import contextlib, io, json, sys, traceback
blocks = json.load(sys.stdin)
namespace = {"__name__": "__main__"}
outputs = []
for number, code in enumerate(blocks, start=1):
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"<example {number}>", "exec"), namespace)
    except BaseException:
        json.dump({"outputs": outputs, "failed": number, "error": traceback.format_exc(limit=-3)}, sys.__stdout__)
        sys.exit(0)
    outputs.append(printed.getvalue())
json.dump({"outputs": outputs, "failed": None, "error": ""}, sys.__stdout__)
"""
"""Runs in the fresh interpreter: each block in one shared namespace, as the page reads, printing captured."""


class ExampleFailed(Exception):
    """A worked example raised an error, or its interpreter could not run: the page would show wrong code."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Block:
    """One Python block of a page: where its fence ends, its indent and its code (dedented)."""

    end: int
    indent: str
    code: str


def python_blocks(markdown: str) -> list[Block]:
    """The page's Python blocks, in order (the same ones the content tests run)."""
    blocks = []
    for match in FENCE.finditer(markdown):
        if match.group("lang") == "python":
            indent = match.group("indent")
            code = "\n".join(line.removeprefix(indent) for line in match.group("code").splitlines())
            blocks.append(Block(match.end(), indent, code))
    return blocks


def _versions() -> str:
    names = ("pandas", "numpy", "college")
    found = []
    for name in names:
        try:
            found.append(f"{name}={metadata.version(name if name != 'college' else 'nhs-open-college')}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return f"{sys.version};{';'.join(found)}"


def _cache_key(codes: Sequence[str], data: Path) -> str:
    manifest = data / "manifest.json"
    digest = hashlib.sha256()
    digest.update(json.dumps(list(codes)).encode())
    digest.update(manifest.read_bytes() if manifest.is_file() else b"no data")
    digest.update(_versions().encode())
    digest.update(RUNNER.encode())
    return digest.hexdigest()


def run_examples(codes: Sequence[str], data: Path, where: str, python: str = sys.executable) -> list[str]:
    """What each block prints, run in order in one fresh interpreter (``python``) next to a ``data`` folder.

    Raises :class:`ExampleFailed`, naming ``where`` (the module's file) and the block, if one raises."""
    with tempfile.TemporaryDirectory(prefix="college-examples-") as folder:
        (Path(folder) / "data").symlink_to(data.resolve(), target_is_directory=True)
        environment = {**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
        try:
            completed = subprocess.run(
                [python, "-c", RUNNER],
                input=json.dumps(list(codes)),
                cwd=folder,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=TIMEOUT,
                env=environment,
            )
            result = json.loads(completed.stdout)
        except subprocess.TimeoutExpired:
            raise ExampleFailed(
                Problem(where, "worked examples", f"did not finish within {TIMEOUT} s")
            ) from None
        except json.JSONDecodeError:
            raise ExampleFailed(
                Problem(where, "worked examples", f"could not be run: {completed.stderr.strip()[-2000:]}")
            ) from None
    if result["failed"] is not None:
        raise ExampleFailed(
            Problem(where, "worked examples", f"Python block {result['failed']} fails:\n{result['error']}")
        )
    return [str(output) for output in result["outputs"]]


def cached_outputs(codes: Sequence[str], data: Path, cache: Path, where: str) -> list[str]:
    """:func:`run_examples`, or its kept result for exactly this code, data and interpreter."""
    file = cache / f"{_cache_key(codes, data)}.json"
    try:
        kept = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(kept, list) and len(kept) == len(codes) and all(isinstance(item, str) for item in kept):
            return kept
    except (OSError, ValueError):
        pass
    outputs = run_examples(codes, data, where)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        write_atomic(file, json.dumps(outputs, ensure_ascii=False).encode())
    except OSError:
        pass  # a read-only checkout still builds; it only runs the examples again next time
    return outputs


def _shown(output: str) -> str:
    lines = output.rstrip("\n").splitlines()
    if len(lines) > MAX_LINES:
        left_out = len(lines) - MAX_LINES
        lines = [*lines[:MAX_LINES], f"… ({left_out} more lines)"]
    return "\n".join(line.rstrip() for line in lines)


def _output_block(output: str, indent: str) -> str:
    text = _shown(output)
    fence = "```"
    while fence in text:
        fence += "`"
    body = "\n".join(f"{indent}{line}" if line else "" for line in text.splitlines())
    return f'\n\n{indent}{fence}text title="Output"\n{body}\n{indent}{fence}'


def with_outputs(markdown: str, outputs: Sequence[str]) -> str:
    """The page with each block's output (if it printed anything) placed under it."""
    blocks = python_blocks(markdown)
    if len(blocks) != len(outputs):
        raise ValueError(f"{len(blocks)} Python blocks but {len(outputs)} outputs")
    pieces, start = [], 0
    for block, output in zip(blocks, outputs, strict=True):
        pieces.append(markdown[start : block.end])
        if output.strip():
            pieces.append(_output_block(output, block.indent))
        start = block.end
    pieces.append(markdown[start:])
    return "".join(pieces)


def modules_with_code(curriculum: Curriculum) -> list[Module]:
    return [
        module
        for module in curriculum.modules
        if str(module.track) in TRACKS_WITH_CODE and python_blocks(module.body)
    ]


def _outputs_or_problem(codes: Sequence[str], data: Path, cache: Path, where: str) -> list[str] | Problem:
    try:
        return cached_outputs(codes, data, cache, where)
    except ExampleFailed as failure:
        return failure.problem


def _all_outputs(curriculum: Curriculum, pages: Mapping[str, str]) -> dict[str, list[str] | Problem]:
    """Per module page with code: what its blocks print, or the problem that stopped them."""
    data = curriculum.root / "data"
    cache = curriculum.root / CACHE_FOLDER
    jobs = []
    for module in modules_with_code(curriculum):
        page = paths.module_page(module)
        if page in pages:
            codes = [block.code for block in python_blocks(pages[page])]
            jobs.append((page, codes, f"courses/{module.source_path}"))
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        futures = [pool.submit(_outputs_or_problem, codes, data, cache, where) for _, codes, where in jobs]
        return {page: future.result() for (page, _, _), future in zip(jobs, futures, strict=True)}


def with_example_outputs(curriculum: Curriculum, pages: Mapping[str, str]) -> dict[str, str]:
    """``pages`` with the output of every worked example on the analysts' and practitioners' module pages (a page
    whose examples fail is left as it is: :func:`example_problems` reports it)."""
    result = dict(pages)
    for page, outputs in _all_outputs(curriculum, pages).items():
        if not isinstance(outputs, Problem):
            result[page] = with_outputs(pages[page], outputs)
    return result


def example_problems(curriculum: Curriculum, pages: Mapping[str, str]) -> list[Problem]:
    """The module pages whose worked examples fail, each naming the module's file and the failing block."""
    return [outputs for outputs in _all_outputs(curriculum, pages).values() if isinstance(outputs, Problem)]
