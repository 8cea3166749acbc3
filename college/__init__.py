"""The Open College for NHS Analysts: curriculum model, page generation, synthetic data and methods.

The open library, for use in other pipelines, is three packages, each with its public API in its ``__all__``:

- :mod:`college.methods`: NHS analysis methods (rates and intervals, SPC, waiting times, A&E, readmissions);
- :mod:`college.validity`: validity checks that return the failing rows;
- :mod:`college.data`: the synthetic data generator and its data dictionary.

Everything else (curriculum model, site generation, command line) serves the college itself.
"""

__version__ = "0.1.0"
