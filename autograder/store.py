"""Each trainee's result as a JSON file, written atomically as soon as it is known.

The file is the mark that a trainee is done: a run that is interrupted (even by ``kill -9``) and started again
skips every trainee with a result for the same exercise version and the same submitted file, unless asked to
regrade. Files that are damaged are treated as missing, so that trainee is graded again.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from autograder.files import write_atomic
from autograder.models import TraineeResult
from autograder.names import file_stem


class ResultStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, trainee: str) -> Path:
        return self.folder / f"{file_stem(trainee)}.json"

    def load(self, trainee: str) -> TraineeResult | None:
        path = self.path(trainee)
        try:
            return TraineeResult.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None

    def save(self, result: TraineeResult) -> None:
        write_atomic(self.path(result.trainee), result.model_dump_json(indent=1))
