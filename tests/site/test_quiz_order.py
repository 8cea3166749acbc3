"""The quiz's option order on the built page: never the author's order with the answer first."""

from __future__ import annotations

import re

from college.curriculum import load_curriculum
from college.site.quiz import option_order, render_quiz
from tests.conftest import REPO

CURRICULUM = load_curriculum(REPO)
QUIZZED = [module for module in CURRICULUM.modules if module.quiz]
RADIO = re.compile(
    r'<input type="radio" id="[^"]+" name="(?P<name>[^"]+)" value="(?P<value>\d+)" data-correct="(\w+)"'
)
ANSWER = re.compile(r'<li data-option="(\d+)">')


def test_no_question_opens_with_its_correct_option() -> None:
    for module in QUIZZED:
        html = render_quiz(module)
        for number, question in enumerate(module.quiz, start=1):
            values = [int(m["value"]) for m in RADIO.finditer(html) if m["name"].endswith(f"-q{number}")]
            assert sorted(values) == list(range(len(question.options)))
            assert not question.options[values[0]].correct, f"{module.id} question {number}"


def test_the_answer_list_follows_the_order_on_the_page() -> None:
    module = QUIZZED[0]
    html = render_quiz(module)
    radios = [int(m["value"]) for m in RADIO.finditer(html)]
    answers = [int(value) for value in ANSWER.findall(html)]
    assert radios == answers


def test_the_order_is_the_same_on_every_build_and_varies_between_questions() -> None:
    orders = []
    positions: set[int] = set()
    for module in QUIZZED:
        for number, question in enumerate(module.quiz, start=1):
            order = option_order(module.id, number, question)
            assert order == option_order(module.id, number, question)
            orders.append(tuple(order))
            correct = next(i for i, option in enumerate(question.options) if option.correct)
            positions.add(order.index(correct))
    assert len(set(orders)) > 1
    assert len(positions) > 1, "the correct option should not always land in the same place"
