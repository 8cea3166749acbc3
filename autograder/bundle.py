"""Feedback ready to return: one ZIP of every trainee's page, named as the place it goes back to expects.

- ``feedback.zip``: ``<trainee>/<exercise>/<notebook>.html``, nbgrader's ``feedback/`` layout, one folder per
  trainee (``nbgrader release_feedback`` reads the same layout from the course folder);
- ``moodle-feedback.zip`` (submissions from Moodle): each page named with the trainee's Moodle prefix
  (``<Full name>_<participant id>_assignsubmission_file_``), the names Moodle's "Upload multiple feedback files in
  a zip" matches to participants;
- ``canvas-feedback.zip`` (submissions from Canvas): each page named ``<name>_<user id>_<submission id>_...``,
  as Canvas's downloaded files are named, for its bulk re-upload of marked files as comments.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from autograder.files import write_atomic
from autograder.models import TraineeResult
from autograder.names import file_stem

FIXED_TIME = (2026, 1, 1, 0, 0, 0)
"""Entries carry a fixed time, so the same feedback makes the same ZIP."""


def _zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def write_feedback_bundles(
    out: Path,
    exercise: str,
    notebook: str,
    results: Sequence[TraineeResult],
    lms: str = "",
    origins: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Write the ZIPs from ``out/feedback/<trainee>.html``; return their paths by kind."""
    pages = []
    for result in results:
        page = out / "feedback" / f"{file_stem(result.trainee)}.html"
        if page.is_file():
            pages.append((result.trainee, page.read_bytes()))
    stem = Path(notebook).stem
    files = {"feedback_zip": out / "feedback.zip"}
    write_atomic(
        files["feedback_zip"], _zip([(f"{file_stem(t)}/{exercise}/{stem}.html", data) for t, data in pages])
    )
    if lms in ("moodle", "canvas") and origins:
        named = [(f"{origins[t]}feedback-{stem}.html", data) for t, data in pages if t in origins]
        files[f"{lms}_feedback_zip"] = out / f"{lms}-feedback.zip"
        write_atomic(files[f"{lms}_feedback_zip"], _zip(named))
    return files
