"""Start-up cost at the command line's boundary: optional imports that cost seconds and that grading never uses.

``jsonschema`` (imported by nbformat and nbgrader) imports ``rfc3987_syntax`` when it is installed (it comes with
``jsonschema[format-nongpl]``, which Jupyter's packages ask for) only to check the ``iri`` and ``iri-reference``
string formats; at import it compiles about forty lark grammars, 1.8-2.7 s on these machines, more than
everything else a one-notebook grading run does. Likewise ``isoduration`` (with the ``arrow`` date library) only
checks the ``duration`` format. No notebook schema uses those formats (nbformat's schemas use no ``format`` at
all). Marking the modules as absent makes jsonschema skip those format checks, exactly as when the packages are
not installed.

``nbgrader``'s package ``__init__`` imports its four Jupyter server extensions (jupyter_server, tornado,
requests and the exchange: about 3 s), although the gradebook (``nbgrader.api``), ``coursedir``, ``utils`` and the
preprocessors grading uses need none of them. The command line registers the package without running its
``__init__`` (its submodules import as usual, each loading what it needs itself); nbgrader's own commands, which
run in their own processes, are untouched.

Grading asks nbgrader's ``ClearSolutions`` and ``ClearHiddenTests`` what a trainee's copy holds. Importing them
through ``nbgrader.preprocessors`` runs that package's ``__init__``, which imports every nbgrader preprocessor,
and through them nbconvert's ``__init__``, which imports every exporter, filter and template library (about
0.3 s); ``nbgrader.utils`` imports ``setuptools.archive_util``, and with it setuptools' whole ``__init__``
(another 0.1 s). :func:`deferred_packages` registers those packages with their ``__init__`` not yet run: the names grading
uses load just their own submodule, and any other name first runs the package's ``__init__`` as usual, so
``from nbconvert import HTMLExporter`` and ``from nbgrader.preprocessors import Execute`` still work.

Only the ``college`` commands call this (never the library on import), so a program that imports the autograder
and uses ``rfc3987_syntax`` itself is unaffected.
"""

from __future__ import annotations

import importlib.util
import sys
import types

SLOW_OPTIONAL = ("rfc3987_syntax", "isoduration")


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


DEFERRED = {
    "nbconvert": {},
    "nbconvert.exporters": {},
    "nbconvert.preprocessors": {"Preprocessor": "base"},
    "setuptools": {},
    "nbgrader.auth": {
        "Authenticator": "base"
    },  # the gradebook's import; the rest is JupyterHub's (requests)  # nbgrader.utils imports setuptools.archive_util only (its __init__: a tenth of a second)
    "nbgrader.preprocessors": {
        "NbGraderPreprocessor": "base",
        "ClearSolutions": "clearsolutions",
        "ClearHiddenTests": "clearhiddentests",
    },
}
"""Packages registered without running their ``__init__``, and the names that load only their own submodule."""


def defer_package(name: str, names: dict[str, str]) -> None:
    """Register package ``name`` with its ``__init__`` not yet run (see the module's docstring)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None or spec.loader is None:
        return
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def __getattr__(attribute: str) -> object:
        if attribute in names:  # one submodule, which sets nothing else on the package
            value = getattr(importlib.import_module(f"{name}.{names[attribute]}"), attribute)
            setattr(package, attribute, value)
            return value
        if not attribute.startswith("__") and importlib.util.find_spec(f"{name}.{attribute}") is not None:
            # a submodule (``from nbconvert import filters`` inside nbconvert's own exporters): just that one,
            # as an ordinary package gives it; running the whole __init__ here would import the half-imported
            # module that asked, and fail
            return importlib.import_module(f"{name}.{attribute}")
        # any other name: the package's own __init__, now and once, in this module
        del package.__dict__["__getattr__"]
        loader.exec_module(package)
        return getattr(package, attribute)

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, package)


def deferred_packages() -> None:
    """Register :data:`DEFERRED`'s packages (nbgrader first, as :func:`light_nbgrader` does)."""
    for name, names in DEFERRED.items():
        defer_package(name, names)


def fast_start() -> None:
    """All of the above, for the ``college`` commands."""
    skip_slow_optional_imports()
    light_nbgrader()
    deferred_packages()
