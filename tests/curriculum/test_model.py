"""The curriculum model: loading, cross-file checks and the messages they give."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from college.checking import check
from college.curriculum import CurriculumError, Severity, inspect_curriculum, load_curriculum, load_exercise
from tests.conftest import MINIMAL, REPO


def problems_of(root: Path) -> list[str]:
    return [str(problem) for problem in check(root).problems if problem.severity is Severity.ERROR]


def edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def edit_front_matter(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    _, front, body = path.read_text().split("---\n", 2)
    data = yaml.safe_load(front)
    change(data)
    path.write_text("---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n" + body)


MODULE = "courses/analysts/01-xmr-charts.md"
LEADERS_MODULE = "courses/leaders/01-commissioning.md"


def test_minimal_curriculum_loads_into_typed_immutable_objects() -> None:
    curriculum = load_curriculum(MINIMAL)
    assert [level.id for level in curriculum.levels] == ["awareness", "working", "practitioner", "expert"]
    assert {module.id for module in curriculum.modules} == {"xmr-charts", "commissioning"}
    module = curriculum.module("xmr-charts")
    assert module.minutes.total == 50
    assert module.order == 1
    assert module.source_path == "analysts/01-xmr-charts.md"
    with pytest.raises(ValueError):
        module.title = "changed"  # type: ignore[misc]
    (exercise,) = curriculum.exercises
    assert exercise.notebook.is_absolute() and exercise.notebook.name == "first-look.ipynb"


def test_the_real_curriculum_has_no_errors() -> None:
    result = check(REPO)
    errors = [str(p) for p in result.problems if p.severity is Severity.ERROR]
    assert errors == []
    assert result.counts["competency"] >= 20
    assert result.counts["role"] >= 6


def test_coverage_gaps_are_warnings_listing_every_gap() -> None:
    warnings = [p for p in inspect_curriculum(MINIMAL).problems if p.severity is Severity.WARNING]
    assert {p.field for p in warnings} == {
        "roles (id senior-analyst).requires (rates)",
        "roles (id senior-analyst).requires (spc)",
    }


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            MODULE,
            lambda d: d["competencies"].append({"id": "spcc", "level": "working"}),
            f"error: {MODULE}: competencies[2]: unknown competency 'spcc'",
        ),
        (
            MODULE,
            lambda d: d.pop("minutes"),
            f"error: {MODULE}: minutes: is required but missing",
        ),
        (
            MODULE,
            lambda d: d.update(minutes={"reading": "half an hour", "exercises": 0}),
            f"error: {MODULE}: minutes.reading: Value should be a valid integer, unable to parse string as an integer",
        ),
        (
            MODULE,
            lambda d: d.update(competencies=[]),
            f"error: {MODULE}: competencies: List should have at least 1 item after validation, not 0",
        ),
        (
            MODULE,
            lambda d: d.update(prerequisites=["commissioning"]),
            "prerequisites form a cycle: commissioning → xmr-charts → commissioning",
        ),
        (
            MODULE,
            lambda d: d.update(prerequisites=["no-such-module"]),
            f"error: {MODULE}: prerequisites[0]: unknown module 'no-such-module'",
        ),
        (
            MODULE,
            lambda d: d.update(level="expertish"),
            f"error: {MODULE}: level: unknown level 'expertish'",
        ),
        (
            MODULE,
            lambda d: d["competencies"].__setitem__(1, {"id": "rates", "level": "expert"}),
            f"error: {MODULE}: competencies[1]: competency 'rates' has no description at level 'expert'",
        ),
        (
            MODULE,
            lambda d: d.update(colour="blue"),
            f"error: {MODULE}: colour: is not a known field (check its spelling)",
        ),
        (
            MODULE,
            lambda d: d.update(id="another-id"),
            f"error: {MODULE}: id: 'another-id' does not match the file name (expected 'xmr-charts')",
        ),
        (
            LEADERS_MODULE,
            lambda d: d["quiz"][0]["options"][1].update(correct=True),
            f"error: {LEADERS_MODULE}: quiz[0].options: needs exactly one correct option, not 2",
        ),
        (
            LEADERS_MODULE,
            lambda d: d["quiz"][1]["options"][0].pop("explanation"),
            f"error: {LEADERS_MODULE}: quiz[1].options[0].explanation: is required but missing",
        ),
        (
            LEADERS_MODULE,
            lambda d: d.update(quiz=d["quiz"][:2]),
            f"error: {LEADERS_MODULE}: quiz: a leaders' module needs 3 to 6 questions, not 2",
        ),
    ],
)
def test_module_problems_name_the_file_and_field(
    minimal_root: Path, file: str, change, expected: str
) -> None:  # type: ignore[no-untyped-def]
    edit_front_matter(minimal_root / file, change)
    problems = problems_of(minimal_root)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "competencies/competencies.yml",
            lambda d: d["competencies"].append(dict(d["competencies"][0])),
            "error: competencies/competencies.yml: competencies (id spc): id 'spc' is used 2 times",
        ),
        (
            "competencies/competencies.yml",
            lambda d: d["competencies"][1].update(area="maths"),
            "error: competencies/competencies.yml: competencies (id rates).area: unknown area 'maths'",
        ),
        (
            "competencies/competencies.yml",
            lambda d: d["competencies"][0].pop("summary"),
            "error: competencies/competencies.yml: competencies[0] (id spc).summary: is required but missing",
        ),
        (
            "competencies/roles.yml",
            lambda d: d["roles"][0]["requires"].append({"competency": "sql", "level": "working"}),
            "error: competencies/roles.yml: roles (id analyst).requires[2]: unknown competency 'sql'",
        ),
        (
            "competencies/roles.yml",
            lambda d: d["roles"][0].update(builds_on="senior-analyst"),
            "roles build on each other in a circle",
        ),
        (
            "competencies/roles.yml",
            lambda d: d["roles"][1].update(builds_on="graduate"),
            "error: competencies/roles.yml: roles (id senior-analyst).builds_on: unknown role 'graduate'",
        ),
        (
            "competencies/levels.yml",
            lambda d: d["levels"][1].update(rank=1),
            "error: competencies/levels.yml: levels.rank: rank 1 is given to 2 levels",
        ),
        (
            "exercises/first-look/exercise.yml",
            lambda d: d.update(module="no-such-module"),
            "error: exercises/first-look/exercise.yml: module: unknown module 'no-such-module'",
        ),
        (
            "exercises/first-look/exercise.yml",
            lambda d: d.update(notebook="missing.ipynb"),
            "error: exercises/first-look/exercise.yml: notebook: 'missing.ipynb' does not exist",
        ),
        (
            "exercises/first-look/exercise.yml",
            lambda d: d["competencies"][0].update(threshold=1.5),
            "error: exercises/first-look/exercise.yml: competencies[0] (id spc).threshold: Value should be less than or equal to 1",
        ),
    ],
)
def test_yaml_problems_name_the_file_and_field(minimal_root: Path, file: str, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    edit_yaml(minimal_root / file, change)
    problems = problems_of(minimal_root)
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_reported_at_once(minimal_root: Path) -> None:
    edit_front_matter(minimal_root / MODULE, lambda d: d.update(level="expertish", prerequisites=["nothing"]))
    edit_yaml(minimal_root / "competencies/roles.yml", lambda d: d["roles"][0].update(builds_on="graduate"))
    problems = problems_of(minimal_root)
    assert len(problems) >= 3, problems


def test_broken_internal_links_fail_naming_the_page(minimal_root: Path) -> None:
    page = minimal_root / MODULE
    page.write_text(page.read_text() + "\nSee [the missing page](../analysts/99-nothing.md).\n")
    assert (
        f"error: {MODULE}: links: '../analysts/99-nothing.md' points at no page or file of the site"
        in problems_of(minimal_root)
    )


def test_links_inside_code_are_not_checked(minimal_root: Path) -> None:
    page = minimal_root / MODULE
    page.write_text(page.read_text() + "\n```markdown\n[not a link](nowhere.md)\n```\n")
    assert problems_of(minimal_root) == []


def test_module_must_follow_the_page_pattern(minimal_root: Path) -> None:
    page = minimal_root / MODULE
    page.write_text(page.read_text().replace("## Why it matters", "## Why") + "\n## Key points\n\n- again\n")
    problems = problems_of(minimal_root)
    assert f"error: {MODULE}: body: has no '## Why it matters' section" in problems
    assert any("'## Key points' is made from the front matter" in p for p in problems)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "front matter: is missing"),
        (b"---\n- a\n- list\n---\nbody\n", "front matter: must be a mapping of keys to values, not a list"),
        (b"---\ntitle: [unclosed\n---\nbody\n", "front matter: is not valid YAML at line"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file, not text"),
        (b"---\ntitle: caf\xe9\n---\n", "is not valid UTF-8 text"),
        (b"---\n---\nbody\n", "front matter: is empty"),
    ],
)
def test_bad_module_files_get_a_clear_error(minimal_root: Path, content: bytes, expected: str) -> None:
    (minimal_root / MODULE).write_bytes(content)
    problems = problems_of(minimal_root)
    assert any(p.startswith(f"error: {MODULE}") and expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "competencies/competencies.yml: is empty"),
        (b"- just\n- a list\n", "must be a mapping of keys to values, not a list"),
        (b"areas: [\n", "is not valid YAML at line"),
        (b"\x00\x01\x02", "is a binary file, not text"),
        (b"areas: []\ncompetencies: []\n", "areas: must be a non-empty list"),
        (b"areas: 3\n", "competencies: is required but missing"),
    ],
)
def test_bad_yaml_files_get_a_clear_error(minimal_root: Path, content: bytes, expected: str) -> None:
    (minimal_root / "competencies/competencies.yml").write_bytes(content)
    problems = problems_of(minimal_root)
    assert any(expected in p for p in problems), problems


def test_missing_file_is_named(minimal_root: Path) -> None:
    (minimal_root / "competencies/roles.yml").unlink()
    assert "error: competencies/roles.yml: file is missing" in problems_of(minimal_root)


def test_load_curriculum_raises_with_every_problem(minimal_root: Path) -> None:
    edit_front_matter(minimal_root / MODULE, lambda d: d.update(level="expertish"))
    with pytest.raises(CurriculumError) as raised:
        load_curriculum(minimal_root)
    assert "unknown level 'expertish'" in str(raised.value)


def test_load_exercise_reads_one_folder() -> None:
    exercise = load_exercise(MINIMAL / "exercises" / "first-look")
    assert exercise.module == "xmr-charts"
    assert exercise.competencies[0].threshold == 0.8
    assert exercise.data == ("monthly_indicators.csv",)


def test_load_exercise_reports_a_broken_file(minimal_root: Path) -> None:
    (minimal_root / "exercises/first-look/exercise.yml").write_text("id: first-look\n")
    with pytest.raises(CurriculumError) as raised:
        load_exercise(minimal_root / "exercises" / "first-look")
    assert "exercises/first-look/exercise.yml: title: is required but missing" in str(raised.value)


ACTIVITIES = "competencies/activities.yml"


def test_activities_load_as_typed_items_of_the_curriculum() -> None:
    curriculum = load_curriculum(MINIMAL)
    (activity,) = curriculum.activities
    assert activity.id == "lead-spc-for-a-board"
    assert activity.hours == 40
    assert [(item.id, item.level) for item in activity.competencies] == [("spc", "expert")]
    assert curriculum.activities_evidencing("spc", "expert") == (activity,)
    assert curriculum.activities_evidencing("spc", "practitioner") == ()
    with pytest.raises(ValueError):
        activity.hours = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["activities"][0]["competencies"].append({"id": "spcc", "level": "expert"}),
            f"error: {ACTIVITIES}: activities (id lead-spc-for-a-board).competencies[1]: unknown competency 'spcc'",
        ),
        (
            lambda d: d["activities"][0]["competencies"].__setitem__(0, {"id": "rates", "level": "expert"}),
            f"error: {ACTIVITIES}: activities (id lead-spc-for-a-board).competencies[0]: competency 'rates' has "
            "no description at level 'expert'",
        ),
        (
            lambda d: d["activities"][0].pop("criteria"),
            f"error: {ACTIVITIES}: activities[0] (id lead-spc-for-a-board).criteria: is required but missing",
        ),
        (
            lambda d: d["activities"][0].pop("evidence"),
            f"error: {ACTIVITIES}: activities[0] (id lead-spc-for-a-board).evidence: is required but missing",
        ),
        (
            lambda d: d["activities"][0].update(hours=0),
            f"error: {ACTIVITIES}: activities[0] (id lead-spc-for-a-board).hours: Value should be greater than "
            "or equal to 1",
        ),
        (
            lambda d: d["activities"].append(dict(d["activities"][0])),
            f"error: {ACTIVITIES}: activities (id lead-spc-for-a-board): id 'lead-spc-for-a-board' is used 2 times",
        ),
        (
            lambda d: d.update(modules=[]),
            f"error: {ACTIVITIES}: modules: is not a known top-level key",
        ),
    ],
)
def test_activity_problems_name_the_file_and_field(minimal_root: Path, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    edit_yaml(minimal_root / ACTIVITIES, change)
    problems = problems_of(minimal_root)
    assert any(expected in problem for problem in problems), problems


def test_a_curriculum_may_have_no_activities(minimal_root: Path) -> None:
    (minimal_root / ACTIVITIES).unlink()
    assert load_curriculum(minimal_root).activities == ()
    assert problems_of(minimal_root) == []


def _coverage_warnings(root: Path) -> dict[str, str]:
    return {p.field: p.message for p in inspect_curriculum(root).problems if p.severity is Severity.WARNING}


def test_coverage_counts_an_activity_at_the_level_a_role_needs(minimal_root: Path) -> None:
    assert "roles (id senior-analyst).requires (rates)" in _coverage_warnings(minimal_root)
    edit_yaml(
        minimal_root / ACTIVITIES,
        lambda d: d["activities"][0]["competencies"].append({"id": "rates", "level": "working"}),
    )
    assert set(_coverage_warnings(minimal_root)) == {"roles (id senior-analyst).requires (spc)"}


def test_an_activity_evidences_its_own_level_not_the_levels_below(minimal_root: Path) -> None:
    # The fixture's activity evidences spc at expert; the senior analyst's practitioner need is still a gap,
    # because leading work at expert level does not teach what a practitioner module teaches.
    message = _coverage_warnings(minimal_root)["roles (id senior-analyst).requires (spc)"]
    assert message == (
        "needs level 'practitioner' but no module or activity reaches it: modules build toward 'working' at most"
    )
    edit_yaml(
        minimal_root / "competencies/roles.yml",
        lambda d: d["roles"][1]["requires"].__setitem__(0, {"competency": "spc", "level": "expert"}),
    )
    assert "roles (id senior-analyst).requires (spc)" not in _coverage_warnings(minimal_root)


def test_every_expert_requirement_of_the_real_ladder_is_evidenced_by_an_activity() -> None:
    curriculum = load_curriculum(REPO)
    expert = {r.competency for role in curriculum.roles for r in role.requires if r.level == "expert"}
    assert expert, "the ladder needs some competencies at expert level"
    assert {c for c in expert if not curriculum.activities_evidencing(c, "expert")} == set()
    warnings = [str(p) for p in inspect_curriculum(REPO).problems if "needs level 'expert'" in p.message]
    assert warnings == []


def test_tracks_are_data_in_the_order_of_their_file() -> None:
    curriculum = load_curriculum(REPO)
    assert [track.id for track in curriculum.tracks] == ["analysts", "practitioners", "leaders"]
    assert [track.id for track in curriculum.tracks if track.for_leaders] == ["leaders"]
    assert {module.track for module in curriculum.modules} == {track.id for track in curriculum.tracks}


def test_a_new_track_is_a_file_entry_and_a_folder(minimal_root: Path) -> None:
    edit_yaml(
        minimal_root / "competencies/tracks.yml",
        lambda d: d["tracks"].insert(
            1, {"id": "practitioners", "name": "Practice", "introduction": "Continuing development."}
        ),
    )
    (minimal_root / "courses/practitioners").mkdir()
    module = (minimal_root / MODULE).read_text().replace("track: analysts", "track: practitioners")
    (minimal_root / "courses/practitioners/01-xmr-charts.md").write_text(module)
    (minimal_root / MODULE).unlink()
    curriculum = load_curriculum(minimal_root)
    assert curriculum.module("xmr-charts").track == "practitioners"
    assert curriculum.track_name("practitioners") == "Practice"


def test_a_module_or_role_in_an_unknown_track_is_an_error(minimal_root: Path) -> None:
    edit_yaml(minimal_root / "competencies/roles.yml", lambda d: d["roles"][0].update(track="nurses"))
    edit_front_matter(minimal_root / MODULE, lambda d: d.update(track="nurses"))
    problems = problems_of(minimal_root)
    assert any("competencies/roles.yml" in p and ".track: unknown track 'nurses'" in p for p in problems)
    assert f"error: {MODULE}: track: 'nurses' but the page is in the 'analysts' folder" in problems


def test_the_leaders_rules_follow_the_track_not_its_name(minimal_root: Path) -> None:
    """A quiz of three to six questions is the rule of a track for leaders, whatever the track is called."""
    edit_yaml(minimal_root / "competencies/tracks.yml", lambda d: d["tracks"][0].update(for_leaders=True))
    assert any(
        p.startswith(f"error: {MODULE}: quiz: a leaders' module needs 3 to 6 questions")
        for p in problems_of(minimal_root)
    )


def test_a_missing_tracks_file_is_named(minimal_root: Path) -> None:
    (minimal_root / "competencies/tracks.yml").unlink()
    assert "error: competencies/tracks.yml: file is missing" in problems_of(minimal_root)


def test_a_module_in_a_folder_that_is_not_a_track_is_an_error(minimal_root: Path) -> None:
    (minimal_root / "courses/nurses").mkdir()
    (minimal_root / "courses/nurses/01-triage.md").write_text("---\nid: triage\n---\n")
    (minimal_root / "courses/nurses/notes.md").write_text(
        "# Notes\n"
    )  # not a module's file name: an ordinary page
    assert problems_of(minimal_root) == [
        "error: courses/nurses/01-triage.md: track: the folder 'nurses' is not a track of competencies/tracks.yml"
    ]
