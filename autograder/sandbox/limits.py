"""Resource limits for one submission. Standard library only: this module is imported inside the sandbox."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Limits:
    """What one trainee's code may use. The defaults suit the college's exercises on the small data set."""

    cell_timeout: float = 30.0
    """Wall-clock seconds one cell (or one call of a trainee's function from a test) may run."""
    submission_timeout: float = 180.0
    """Wall-clock seconds for the whole notebook."""
    memory_mb: int = 1024
    """Address space the trainee's code may add to the already-imported libraries (RLIMIT_AS)."""
    cpu_seconds: int = 120
    """CPU seconds for the whole submission (RLIMIT_CPU)."""
    processes: int = 32
    """Processes and threads the trainee's code may have at once (RLIMIT_NPROC, where the kernel enforces it)."""
    file_mb: int = 64
    """Largest file the trainee's code may write (RLIMIT_FSIZE)."""
    open_files: int = 256
    output_chars: int = 20_000
    """Characters of printed output kept per cell; the rest is dropped and the feedback says so."""
    value_mb: int = 64
    """Largest value (a data frame, say) that may be moved out of the sandbox for a test to check."""
    notebook_mb: int = 20
    """Largest submitted notebook file accepted."""
    notebook_output_chars: int = 400_000
    """Characters of output and cell text kept for the whole notebook (feedback, results); the rest is dropped."""
    value_nodes: int = 1_000_000
    """Most JSON objects and arrays the grader parses in one reply from the sandbox (counted before parsing)."""
    value_cells: int = 20_000_000
    """Most cells (rows times columns) of a data frame the grader rebuilds from one reply."""
    grader_memory_mb: int = 4096
    """Address space of the grader's own worker process (RLIMIT_AS): whatever a trainee sends, grading them can
    cost the grader no more; a test that goes past it fails for that trainee alone."""
    grader_test_seconds: float = 60.0
    """Wall-clock seconds one test cell may run in the grader (the trainee's calls from it included)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        known = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})
