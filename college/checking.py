"""`college check`: the curriculum's own problems plus every broken link in the pages made from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from college.curriculum import Problem, Severity, inspect_curriculum
from college.site.build import assemble_site


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[Problem, ...]
    counts: dict[str, int]
    """How many of each kind of thing (singular noun → count) were loaded, for the summary line."""

    def failed(self, strict: bool) -> bool:
        return any(p.severity is Severity.ERROR or strict for p in self.problems)


def check(root: Path) -> CheckResult:
    report = inspect_curriculum(root)
    problems = list(report.problems)
    try:
        site = assemble_site(report.curriculum, draw_charts=False)
        problems.extend(site.link_problems())
        problems.extend(site.chart_problems())
        problems.extend(site.example_problems())
    except (
        Exception
    ) as error:  # a broken curriculum can break page generation: say so, keep the other problems
        if not report.errors:
            raise
        problems.append(
            Problem("(site)", "pages", f"could not be generated until the errors above are fixed: {error}")
        )
    curriculum = report.curriculum
    counts = {
        "track": len(curriculum.tracks),
        "level": len(curriculum.levels),
        "competency": len(curriculum.competencies),
        "role": len(curriculum.roles),
        "module": len(curriculum.modules),
        "exercise": len(curriculum.exercises),
        "activity": len(curriculum.activities),
    }
    return CheckResult(tuple(sorted(set(problems))), counts)
