"""Turn a notebook cell's text into plain Python, and find what a piece of code reads and imports.

Notebook cells may hold IPython syntax (``%matplotlib inline``, ``!ls``). IPython's own input transformer turns
that into ordinary calls to ``get_ipython()``, which the sandbox provides; it runs here, in the grader, so the
sandbox does not need to import IPython.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from functools import lru_cache

from IPython.core.inputtransformer2 import TransformerManager

BUILTIN_NAMES = frozenset(dir(builtins))


@lru_cache(maxsize=1)
def _transformer() -> TransformerManager:
    return TransformerManager()


def cell_text(source: object) -> str:
    """A cell's ``source`` as one string (notebooks may store it as a list of lines)."""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise ValueError("a cell's source is neither text nor a list of lines")


def to_python(source: str) -> str:
    """The cell as plain Python: IPython magics and shell escapes become ``get_ipython()`` calls."""
    if "%" not in source and "!" not in source and "?" not in source:
        return source
    try:
        return str(_transformer().transform_cell(source))
    except Exception:  # the transformer fails on some broken code; let compile() report the real error
        return source


def bound_names(node: ast.stmt) -> set[str]:
    """Names a top-level statement binds in the module namespace."""
    names: set[str] = set()
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        names.add(node.name)
    elif isinstance(node, ast.Import | ast.ImportFrom):
        for alias in node.names:
            names.add((alias.asname or alias.name).split(".")[0])
    else:
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store | ast.Del):
                names.add(child.id)
    return names


def _globals_of_nested_scopes(table: symtable.SymbolTable) -> set[str]:
    """Names that functions, lambdas and comprehensions look up in the module namespace."""
    names: set[str] = set()
    for child in table.get_children():
        names |= {s.get_name() for s in child.get_symbols() if s.is_referenced() and s.is_global()}
        names |= _globals_of_nested_scopes(child)
    return names


def free_names(source: str) -> tuple[str, ...]:
    """Names the code reads before binding them itself: the values a test cell needs from the trainee.

    Statements are taken in order, so ``answer = answer.strip()`` still reads ``answer``. Names read inside
    functions and comprehensions count too. Built-in names are left out on purpose: a test always gets the real
    ``len`` or ``all``, never one the trainee redefined.
    """
    tree = ast.parse(source)
    table = symtable.symtable(source, "<test>", "exec")
    looked_up = {symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced()}
    looked_up |= _globals_of_nested_scopes(table)
    bound: set[str] = set()
    free: dict[str, None] = {}
    for statement in tree.body:
        for child in ast.walk(statement):
            if (
                isinstance(child, ast.Name)
                and isinstance(child.ctx, ast.Load)
                and child.id not in bound
                and child.id not in BUILTIN_NAMES
                and child.id in looked_up  # not a comprehension's or function's own variable
            ):
                free.setdefault(child.id, None)
        bound |= bound_names(statement)
    return tuple(free)


def import_statements(source: str) -> list[str]:
    """The top-level ``import`` statements of some code, as source, skipping any that do not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
