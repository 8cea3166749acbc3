"""Start-up cost at the command line's boundary: optional imports that cost seconds and that grading never uses.

``jsonschema`` (imported by nbformat and nbgrader) imports ``rfc3987_syntax`` when it is installed (it comes with
``jsonschema[format-nongpl]``, which Jupyter's packages ask for) only to check the ``iri`` and ``iri-reference``
string formats; at import it compiles about forty lark grammars, 1.8-2.7 s on these machines, more than
everything else a one-notebook grading run does. No notebook schema uses those formats. Marking the module as
absent makes jsonschema skip those two format checks, exactly as when the package is not installed.

``nbgrader``'s package ``__init__`` imports its four Jupyter server extensions (jupyter_server, tornado,
requests and the exchange: about 3 s), although the gradebook (``nbgrader.api``), ``coursedir``, ``utils`` and the
preprocessors grading uses need none of them. The command line registers the package without running its
``__init__`` (its submodules import as usual, each loading what it needs itself); nbgrader's own commands, which
run in their own processes, are untouched.

Only the ``college`` commands call this (never the library on import), so a program that imports the autograder
and uses ``rfc3987_syntax`` itself is unaffected.
"""

from __future__ import annotations

import importlib.util
import sys
import types

SLOW_OPTIONAL = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Make ``import rfc3987_syntax`` fail fast (as if not installed) unless it is already imported."""
    for name in SLOW_OPTIONAL:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: "not importable", per importlib


def light_nbgrader() -> None:
    """Register ``nbgrader`` as a bare package (its ``__path__`` and version, no server extensions)."""
    if "nbgrader" in sys.modules:
        return
    spec = importlib.util.find_spec("nbgrader")
    if spec is None or spec.submodule_search_locations is None:
        return
    package = types.ModuleType("nbgrader", "nbgrader, registered without its Jupyter server extensions")
    package.__spec__ = spec
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    package.__package__ = "nbgrader"
    sys.modules["nbgrader"] = package
    from nbgrader._version import __version__

    package.__version__ = __version__  # type: ignore[attr-defined]


def fast_start() -> None:
    """Both of the above, for the ``college`` commands."""
    skip_slow_optional_imports()
    light_nbgrader()
