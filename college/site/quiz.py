"""The self-check quiz as accessible HTML.

Without JavaScript each question is a group of radio buttons with the answers behind a "Show the answers"
disclosure, so nothing is lost. With the local script (``assets/javascripts/quiz.js``) a learner picks an option,
presses "Check my answer", and the explanation for their choice is announced through a live region. Nothing is
sent anywhere.

Option order. Authors write the correct option first; a reader must not be able to rely on that. The page is
built with each question's options in an order shuffled from the module id and the question number (the same on
every build, so pages do not change for nothing, and never with the correct option first when a question has more
than one option), and the script shuffles them again on every visit. Each option keeps its author's index as its
value, and the "Show the answers" list follows the order on the page.
"""

from __future__ import annotations

import hashlib
import random
from html import escape

from college.curriculum import Module
from college.curriculum.models import QuizQuestion


def option_order(module_id: str, number: int, question: QuizQuestion) -> list[int]:
    """The build-time order of a question's options (indices into ``question.options``).

    A shuffle seeded from the module id and question number; if it would put a correct option first, the first
    option is moved to the end, so the page never opens with the answer.
    """
    seed = int.from_bytes(hashlib.sha256(f"{module_id}:{number}".encode()).digest()[:8], "big")
    order = list(range(len(question.options)))
    random.Random(seed).shuffle(order)
    if len(order) > 1 and question.options[order[0]].correct:
        order = [*order[1:], order[0]]
    return order


def render_quiz(module: Module) -> str:
    if not module.quiz:
        return ""
    quiz_id = f"quiz-{module.id}"
    parts = [
        f'<form class="college-quiz" id="{quiz_id}" data-quiz="{escape(module.id)}" '
        f'aria-labelledby="{quiz_id}-title" novalidate>',
        f'<p id="{quiz_id}-title" class="college-quiz__intro">Answer each question, then check your answer. '
        "Your answers stay in this browser: nothing is sent anywhere.</p>",
    ]
    for number, question in enumerate(module.quiz, start=1):
        name = f"{quiz_id}-q{number}"
        parts.append(f'<fieldset class="college-quiz__question" data-question="{number}">')
        parts.append(f"<legend>Question {number}. {escape(question.question)}</legend>")
        order = option_order(module.id, number, question)
        for index in order:
            option = question.options[index]
            option_id = f"{name}-o{index}"
            parts.append(
                f'<div class="college-quiz__option"><input type="radio" id="{option_id}" name="{name}" '
                f'value="{index}" data-correct="{str(option.correct).lower()}" '
                f'data-explanation="{escape(option.explanation)}">'
                f'<label for="{option_id}">{escape(option.text)}</label></div>'
            )
        parts.append(
            f'<button type="button" class="md-button college-quiz__check" data-question="{number}" hidden>'
            f"Check my answer to question {number}</button>"
        )
        parts.append(
            f'<p class="college-quiz__feedback" role="status" aria-live="polite" id="{name}-feedback"></p>'
        )
        parts.append(
            f'<details class="college-quiz__answers"><summary>Show the answers to question {number}</summary>'
        )
        parts.append('<ul class="college-quiz__answer-list">')
        for index in order:
            option = question.options[index]
            verdict = "Correct" if option.correct else "Not correct"
            parts.append(
                f'<li data-option="{index}"><strong>{verdict}:</strong> {escape(option.text)} — '
                f"{escape(option.explanation)}</li>"
            )
        parts.append("</ul></details>")
        parts.append("</fieldset>")
    parts.append(f'<p class="college-quiz__score" role="status" aria-live="polite" id="{quiz_id}-score"></p>')
    parts.append("</form>")
    parts.append(
        '<div class="college-progress" hidden><p class="college-progress__status" role="status"></p>'
        '<button type="button" class="md-button college-progress__forget">Forget my progress</button></div>'
    )
    return "\n".join(parts)
