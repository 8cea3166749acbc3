"""API reference pages for the open library, generated from its docstrings by reading the source.

The source is parsed, never imported (as griffe, the library behind mkdocstrings, does by default): the site build
then loads neither pandas nor NumPy for these pages, and both builders get the same Markdown, since Zensical runs
no MkDocs plugin. Module docstrings, function signatures (with their annotations), Google-style sections (Args,
Returns, Raises), dataclass and pydantic fields with their attribute docstrings, and documented constants are
rendered.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Scope = Literal["public", "exported"]
"""``public``: every public name of every module in the package; ``exported``: the package's ``__all__`` only."""


@dataclass(frozen=True)
class ApiPackage:
    """One package of the library and the reference page made for it."""

    name: str
    """Dotted name, e.g. ``college.methods``."""
    page: str
    """Site path of its reference page."""
    title: str
    scope: Scope

    @property
    def folder(self) -> str:
        return self.name.replace(".", "/")

    @property
    def init(self) -> str:
        return f"{self.folder}/__init__.py"


API_PACKAGES = (
    ApiPackage("college.methods", "library/reference/methods.md", "Reference: college.methods", "public"),
    ApiPackage("college.validity", "library/reference/validity.md", "Reference: college.validity", "public"),
    ApiPackage("college.data", "library/reference/data.md", "Reference: college.data", "exported"),
)

SECTION = re.compile(r"^(Args|Arguments|Parameters|Returns|Yields|Raises|Example|Examples|Note|Notes):\s*$")
ROLE = re.compile(r":(?:mod|func|class|meth|attr|data|obj|exc):`~?([^`]+)`")
LITERAL = re.compile(r"``([^`]+)``")
URL = re.compile(r"(?<![<(`])\bhttps?://[^\s<>`]+")
ITEM = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*(?: \([^)]*\))?):\s*(.*)$")


SOURCE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the ``college`` package that is running: the library documented is the one installed."""


def api_reference_pages(root: Path = SOURCE_ROOT) -> dict[str, str]:
    """``{site path: Markdown}``: one reference page per package of :data:`API_PACKAGES`, read from ``root``."""
    return {package.page: render_package(root, package) for package in API_PACKAGES}


def api_reference_sources() -> dict[str, str]:
    """Which repository file each reference page is made from (the package's ``__init__.py``)."""
    return {package.page: package.init for package in API_PACKAGES}


# ---------------------------------------------------------------------------------------------- source reading


def exported_names(init: ast.Module) -> tuple[list[str], dict[str, str]]:
    """The package's ``__all__`` and, for each name, the module it is imported from."""
    names: list[str] = []
    homes: dict[str, str] = {}
    for node in ast.walk(init):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            names = list(ast.literal_eval(node.value))
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                homes[alias.asname or alias.name] = node.module
    return names, homes


def _parse(root: Path, module: str) -> ast.Module:
    folder = root / module.replace(".", "/")
    path = folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _documented_assignments(body: list[ast.stmt]) -> Iterator[tuple[ast.stmt, str, str | None]]:
    """Each ``name = value`` or ``name: type`` in a body, with the string literal that follows it, if any."""
    for position, node in enumerate(body):
        target: ast.expr | None = None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        following = body[position + 1] if position + 1 < len(body) else None
        doc = None
        if (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            doc = inspect.cleandoc(following.value.value)
        yield node, target.id, doc


def _public_modules(root: Path, package: ApiPackage, homes: dict[str, str]) -> list[str]:
    """The package's public modules: those ``__init__`` imports from first, in that order, then the rest."""
    ordered: list[str] = []
    for home in homes.values():
        if home.startswith(package.name + ".") and home not in ordered:
            ordered.append(home)
    for path in sorted((root / package.folder).glob("*.py")):
        module = f"{package.name}.{path.stem}"
        if not path.stem.startswith("_") and module not in ordered:
            ordered.append(module)
    return ordered


# ---------------------------------------------------------------------------------------------- rendering


def render_package(root: Path, package: ApiPackage) -> str:
    init = _parse(root, package.name)
    exported, homes = exported_names(init)
    lines = [f"# {package.title}", ""]
    lines += [docstring_markdown(ast.get_docstring(init) or ""), ""]
    if package.scope == "exported":
        lines += [f"Everything below is importable from `{package.name}` itself.", ""]
    else:
        lines += [
            f"Names marked *exported* can be imported from `{package.name}` itself; the others from their module.",
            "",
        ]
    modules = _public_modules(root, package, homes)
    if package.scope == "exported":
        modules = [m for m in modules if any(homes.get(name) == m for name in exported)]
    for module in modules:
        tree = _parse(root, module)
        wanted = {n for n in exported if homes.get(n) == module} if package.scope == "exported" else None
        lines += _render_module(
            module, tree, package.name, set(exported) & {n for n, m in homes.items() if m == module}, wanted
        )
    return "\n".join(lines).rstrip() + "\n"


def _render_module(
    module: str, tree: ast.Module, package: str, exported: set[str], wanted: set[str] | None
) -> list[str]:
    lines = [f"## `{module}`", ""]
    doc = ast.get_docstring(tree)
    if doc and wanted is None:
        lines += [docstring_markdown(doc), ""]

    def include(name: str) -> bool:
        if wanted is not None:
            return name in wanted
        return not name.startswith("_")

    constants = []
    for node, name, doc_text in _documented_assignments(tree.body):
        if include(name) and (doc_text or name in exported) and (name.isupper() or name in exported):
            constants.append(_constant_line(node, name, doc_text, name in exported))
    if constants:
        lines += ["**Constants**", "", *constants, ""]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and include(node.name):
            lines += _render_function(node, module, package, node.name in exported, level=3)
        elif isinstance(node, ast.ClassDef) and include(node.name):
            lines += _render_class(node, module, package, node.name in exported)
    return lines


def _import_line(name: str, module: str, package: str, exported: bool) -> str:
    home = package if exported else module
    marker = " (*exported*)" if exported else ""
    return f"`from {home} import {name}`{marker}"


def _constant_line(node: ast.stmt, name: str, doc: str | None, exported: bool) -> str:
    value = getattr(node, "value", None)
    shown = ast.unparse(value) if value is not None and _is_literal(value) else ""
    head = f"`{name} = {shown}`" if shown and len(shown) <= 60 else f"`{name}`"
    marker = " (*exported*)" if exported else ""
    text = _inline(" ".join(doc.split())) if doc else ""
    return f"- {head}{marker}" + (f": {text}" if text else "")


def _is_literal(value: ast.expr) -> bool:
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The ``def`` line as PEP 8 writes it (``x: int = 1``), over several lines when it is long."""
    parts = list(_argument_parts(node.args))
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    one_line = f"def {node.name}({', '.join(parts)}){returns}"
    if len(one_line) <= 100:
        return one_line
    return f"def {node.name}(\n" + "".join(f"    {p},\n" for p in parts) + f"){returns}"


def _argument_parts(args: ast.arguments) -> Iterator[str]:
    """The arguments of a signature one by one, with ``/`` and ``*`` markers, for a signature over several lines."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (argument, default) in enumerate(zip(positional, defaults, strict=True)):
        yield _argument(argument, default)
        if args.posonlyargs and index == len(args.posonlyargs) - 1:
            yield "/"
    if args.vararg:
        yield "*" + _argument(args.vararg, None)
    elif args.kwonlyargs:
        yield "*"
    for argument, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        yield _argument(argument, kw_default)
    if args.kwarg:
        yield "**" + _argument(args.kwarg, None)


def _argument(argument: ast.arg, default: ast.expr | None) -> str:
    text = argument.arg
    if argument.annotation is not None:
        text += f": {ast.unparse(argument.annotation)}"
        if default is not None:
            text += f" = {ast.unparse(default)}"
    elif default is not None:
        text += f"={ast.unparse(default)}"
    return text


def _render_function(
    node: ast.FunctionDef | ast.AsyncFunctionDef, module: str, package: str, exported: bool, level: int
) -> list[str]:
    signature = _signature(node)
    lines = ["#" * level + f" `{node.name}`", ""]
    if level == 3:
        lines += [_import_line(node.name, module, package, exported), ""]
    lines += ["```python", signature, "```", ""]
    doc = ast.get_docstring(node)
    if doc:
        lines += [docstring_markdown(doc), ""]
    return lines


def _render_class(node: ast.ClassDef, module: str, package: str, exported: bool) -> list[str]:
    bases = ", ".join(ast.unparse(base) for base in node.bases)
    lines = [f"### `{node.name}`", "", _import_line(node.name, module, package, exported), ""]
    lines += ["```python", f"class {node.name}({bases})" if bases else f"class {node.name}", "```", ""]
    doc = ast.get_docstring(node)
    if doc:
        lines += [docstring_markdown(doc), ""]
    fields, members = [], []
    for statement, name, field_doc in _documented_assignments(node.body):
        if name.startswith("_"):
            continue
        text = f": {_inline(' '.join(field_doc.split()))}" if field_doc else ""
        if isinstance(statement, ast.AnnAssign):
            fields.append(f"- `{name}` (`{ast.unparse(statement.annotation)}`){text}")
        else:
            members.append(_constant_line(statement, name, field_doc, exported=False))
    if fields:
        lines += ["**Fields**", "", *fields, ""]
    if members:
        lines += ["**Members**", "", *members, ""]
    for member in node.body:
        if isinstance(member, ast.FunctionDef) and not member.name.startswith("_"):
            decorators = {ast.unparse(d) for d in member.decorator_list}
            kind = (
                "property"
                if decorators & {"property", "cached_property", "functools.cached_property"}
                else "method"
            )
            lines += [f"#### `{node.name}.{member.name}` ({kind})", ""]
            lines += ["```python", _signature(member), "```", ""]
            member_doc = ast.get_docstring(member)
            if member_doc:
                lines += [docstring_markdown(member_doc), ""]
    return lines


# ---------------------------------------------------------------------------------------------- docstrings


def _inline(text: str) -> str:
    """Docstring text with reST roles and double backticks turned into Markdown code, and URLs into links."""
    text = ROLE.sub(r"`\1`", text)
    text = LITERAL.sub(r"`\1`", text)
    return URL.sub(lambda m: _link(m.group(0)), text)


def _link(url: str) -> str:
    trailing = ""
    while url and url[-1] in ".,;:)":
        trailing = url[-1] + trailing
        url = url[:-1]
    return f"<{url}>{trailing}"


def docstring_markdown(doc: str) -> str:
    """A docstring as Markdown: paragraphs and lists kept, underlined headings and Google sections made bold,
    ``Args``/``Raises`` entries made a list, and doctest examples made code blocks."""
    lines = inspect.cleandoc(doc).splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            line.strip()
            and re.fullmatch(r"-{3,}", following.strip())
            and len(following.strip()) >= len(line.strip())
        ):
            out += [f"**{_inline(line.strip())}**", ""]
            index += 2
            continue
        section = SECTION.match(line)
        if section:
            block, index = _indented_block(lines, index + 1)
            out += _section(section.group(1), block)
            continue
        if line.startswith(">>>"):
            code = []
            while index < len(lines) and lines[index].strip():
                code.append(lines[index])
                index += 1
            out += ["```pycon", *code, "```", ""]
            continue
        out.append(_inline(line))
        index += 1
    return "\n".join(out).strip()


def _indented_block(lines: list[str], start: int) -> tuple[list[str], int]:
    block = []
    index = start
    while index < len(lines) and (not lines[index].strip() or lines[index].startswith((" ", "\t"))):
        block.append(lines[index])
        index += 1
    while block and not block[-1].strip():
        block.pop()
    return [line.removeprefix("    ") for line in block], index


def _section(title: str, block: list[str]) -> list[str]:
    out = [f"**{title}**", ""]
    if title in {"Returns", "Yields", "Note", "Notes"}:
        out += [" ".join(_inline(line.strip()) for line in block if line.strip()), ""]
        return out
    if title in {"Example", "Examples"}:
        out += [docstring_markdown("\n".join(block)), ""]
        return out
    items: list[list[str]] = []
    for line in block:
        if not line.strip():
            continue
        match = ITEM.match(line) if not line.startswith(" ") else None
        if match:
            items.append([f"`{match.group(1)}`", match.group(2)])
        elif items:
            items[-1].append(line.strip())
        else:
            items.append([line.strip()])
    for item in items:
        head, *rest = item
        text = _inline(" ".join(part for part in rest if part))
        out.append(f"- {head}: {text}" if rest else f"- {_inline(head)}")
    out.append("")
    return out
