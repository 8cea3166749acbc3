"""The Open College for NHS Analysts: curriculum model, page generation, synthetic data and methods."""

__version__ = "0.1.0"
