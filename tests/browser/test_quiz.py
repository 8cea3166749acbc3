"""The leaders' self-check quiz in a real browser: with the local script, and with JavaScript switched off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from college.curriculum import load_curriculum
from tests.conftest import REPO


def first_quiz_module():  # type: ignore[no-untyped-def]
    curriculum = load_curriculum(REPO)
    module = next(m for m in curriculum.modules_in_track("leaders") if m.quiz)
    return module, module.source_path.removesuffix(".md") + "/"


@pytest.mark.browser
def test_answering_the_quiz_gives_feedback_and_keeps_progress_locally(
    new_context: CreateContextCallback, site_url: str
) -> None:
    module, path = first_quiz_module()
    context = new_context()
    page = context.new_page()
    page.goto(site_url + path)
    quiz = page.locator(f"#quiz-{module.id}")
    for number, question in enumerate(module.quiz, start=1):
        fieldset = quiz.locator(f"fieldset[data-question='{number}']")
        wrong = next(i for i, o in enumerate(question.options) if not o.correct)
        right = next(i for i, o in enumerate(question.options) if o.correct)
        fieldset.get_by_label(question.options[wrong].text, exact=True).check()
        fieldset.get_by_role("button", name=f"Check my answer to question {number}").click()
        feedback = fieldset.locator(".college-quiz__feedback")
        expect(feedback).to_have_attribute("data-result", "incorrect")
        expect(feedback).to_contain_text(question.options[wrong].explanation)
        fieldset.get_by_label(question.options[right].text, exact=True).check()
        # Keyboard: focus the check button and press Enter.
        fieldset.get_by_role("button", name=f"Check my answer to question {number}").focus()
        page.keyboard.press("Enter")
        expect(feedback).to_have_attribute("data-result", "correct")
        expect(feedback).to_contain_text(question.options[right].explanation)
    expect(quiz.locator(".college-quiz__score")).to_have_text(
        f"You answered {len(module.quiz)} of {len(module.quiz)} correctly."
    )
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('open-college-progress'))")
    assert stored["passed"] == {module.id: True}
    assert stored["read"] == {module.id: True}
    status = page.locator(".college-progress__status")
    expect(status).to_contain_text("1 quiz passed")
    page.get_by_role("button", name="Forget my progress").click()
    assert page.evaluate("() => localStorage.getItem('open-college-progress')") is None
    expect(status).to_have_text("No progress is stored in this browser.")
    context.close()


@pytest.mark.browser
def test_without_javascript_the_answers_are_revealed_on_request(
    new_context: CreateContextCallback, site_url: str
) -> None:
    module, path = first_quiz_module()
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + path)
    quiz = page.locator(f"#quiz-{module.id}")
    expect(quiz.locator(".college-quiz__check").first).to_be_hidden()
    first = quiz.locator("fieldset[data-question='1']")
    answers = first.locator("details.college-quiz__answers")
    correct = next(o for o in module.quiz[0].options if o.correct)
    expect(answers.get_by_text(correct.explanation)).to_be_hidden()
    answers.locator("summary").click()
    expect(answers.get_by_text(correct.explanation)).to_be_visible()
    context.close()


@pytest.mark.browser
def test_options_come_in_a_new_random_order_on_each_visit(
    new_context: CreateContextCallback, site_url: str
) -> None:
    """The script reshuffles every question's options (and the answer list with them) on each visit."""
    module, path = first_quiz_module()
    context = new_context()
    page = context.new_page()
    seen: set[tuple[str, ...]] = set()
    correct_first = 0
    for _ in range(6):
        page.goto(site_url + path)
        quiz = page.locator(f"#quiz-{module.id}")
        orders = tuple(
            quiz.locator(f"fieldset[data-question='{n}']").get_attribute("data-order") or ""
            for n in range(1, len(module.quiz) + 1)
        )
        assert all(orders), "every question records the order it was shuffled into"
        seen.add(orders)
        for number, question in enumerate(module.quiz, start=1):
            fieldset = quiz.locator(f"fieldset[data-question='{number}']")
            radios = fieldset.locator("input[type=radio]")
            values = [int(radios.nth(i).get_attribute("value") or "-1") for i in range(radios.count())]
            assert sorted(values) == list(range(len(question.options)))
            items = fieldset.locator(".college-quiz__answer-list li")
            listed = [int(items.nth(i).get_attribute("data-option") or "-1") for i in range(items.count())]
            assert listed == values, "the answer list follows the options' order"
            correct_first += question.options[values[0]].correct
    assert len(seen) > 1, "six visits gave the same order every time"
    assert correct_first < 6 * len(module.quiz), "the correct option came first every time"
    context.close()
