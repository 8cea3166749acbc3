/*
 * Self-check quizzes and progress for the Open College for NHS Analysts.
 *
 * Runs entirely in the browser and sends nothing anywhere. Without JavaScript every quiz still works: the answers
 * and their explanations sit behind a "Show the answers" disclosure. Progress (modules read, quizzes passed) is kept
 * only in this browser's local storage, through the shared store (store.js), and "Forget my progress" deletes it.
 */
(function () {
  "use strict";

  var STORAGE_NAME = "progress"; /* kept as "open-college-progress" by the shared store */
  var store = window.OpenCollegeStore;

  function readProgress() {
    var stored = store ? store.load(STORAGE_NAME, {}) : {};
    stored = stored && typeof stored === "object" ? stored : {};
    /* The same record holds what progress.js keeps (modules marked done, exercises passed): keep it whole. */
    stored.read = stored.read || {};
    stored.passed = stored.passed || {};
    return stored;
  }

  function writeProgress(progress) {
    /* Storage may be disabled: the quiz still works, progress is simply not kept. */
    if (store) {
      store.save(STORAGE_NAME, progress);
    }
  }

  function describe(progress) {
    var read = Object.keys(progress.read).length;
    var passed = Object.keys(progress.passed).length;
    if (!read && !passed) {
      return "No progress is stored in this browser.";
    }
    return "Stored in this browser only: " + read + " module" + (read === 1 ? "" : "s") + " read, " +
      passed + " quiz" + (passed === 1 ? "" : "zes") + " passed.";
  }

  function showProgress(container, progress) {
    var status = container.querySelector(".college-progress__status");
    if (status) {
      status.textContent = describe(progress);
    }
  }

  function checkQuestion(form, fieldset) {
    var chosen = fieldset.querySelector("input[type=radio]:checked");
    var feedback = fieldset.querySelector(".college-quiz__feedback");
    if (!chosen) {
      feedback.dataset.result = "none";
      feedback.textContent = "Choose an answer first.";
      return null;
    }
    var correct = chosen.dataset.correct === "true";
    feedback.dataset.result = correct ? "correct" : "incorrect";
    feedback.textContent = (correct ? "Correct. " : "Not quite. ") + chosen.dataset.explanation;
    fieldset.dataset.answered = correct ? "correct" : "incorrect";
    return correct;
  }

  function updateScore(form, progress, container) {
    var questions = form.querySelectorAll(".college-quiz__question");
    var right = form.querySelectorAll(".college-quiz__question[data-answered=correct]").length;
    var answered = form.querySelectorAll(".college-quiz__question[data-answered]").length;
    var score = form.querySelector(".college-quiz__score");
    if (answered === questions.length) {
      score.textContent = "You answered " + right + " of " + questions.length + " correctly.";
      if (right === questions.length) {
        progress.passed[form.dataset.quiz] = true;
        writeProgress(progress);
        if (container) {
          showProgress(container, progress);
        }
      }
    }
  }

  function start() {
    var progress = readProgress();
    var moduleId = null;
    var forms = document.querySelectorAll("form.college-quiz");
    var container = document.querySelector(".college-progress");
    forms.forEach(function (form) {
      moduleId = form.dataset.quiz;
      form.querySelectorAll(".college-quiz__check").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          var fieldset = button.closest(".college-quiz__question");
          checkQuestion(form, fieldset);
          updateScore(form, progress, container);
        });
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
    });
    if (moduleId) {
      progress.read[moduleId] = true;
      writeProgress(progress);
    }
    if (container) {
      container.hidden = false;
      showProgress(container, progress);
      container.querySelector(".college-progress__forget").addEventListener("click", function () {
        if (store) {
          store.forget(STORAGE_NAME);
        }
        progress = { read: {}, passed: {} };
        showProgress(container, progress);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
