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
    /* The same record holds what progress.js keeps (modules marked done, exercises passed, and sql-runner.js: sqlChecks): keep it whole. */
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
    if (!read && !passed && !Object.keys(progress.sqlChecks || {}).length) {
      return "No progress is stored in this browser.";
    }
    var questions = 0; /* SQL exercise questions passed on the site (sql-runner.js) */
    Object.keys(progress.sqlChecks || {}).forEach(function (exercise) {
      questions += Object.keys(progress.sqlChecks[exercise]).length;
    });
    return "Stored in this browser only: " + read + " module" + (read === 1 ? "" : "s") + " read, " +
      passed + " quiz" + (passed === 1 ? "" : "zes") + " passed" +
      (questions ? ", " + questions + " exercise question" + (questions === 1 ? "" : "s") + " passed" : "") + ".";
  }

  function showProgress(container, progress) {
    var status = container.querySelector(".college-progress__status");
    if (status) {
      status.textContent = describe(progress);
    }
  }

  function randomIndex(limit) {
    if (window.crypto && window.crypto.getRandomValues) {
      var word = new Uint32Array(1);
      window.crypto.getRandomValues(word);
      return word[0] % limit;
    }
    return Math.floor(Math.random() * limit);
  }

  /*
   * Put a question's options, and the matching "Show the answers" list, in a fresh random order on every visit,
   * so that the position of an option says nothing about whether it is right. Each option keeps its value.
   */
  function shuffleOptions(fieldset) {
    var options = Array.prototype.slice.call(fieldset.querySelectorAll(".college-quiz__option"));
    if (options.length < 2) {
      return;
    }
    for (var i = options.length - 1; i > 0; i -= 1) {
      var j = randomIndex(i + 1);
      var swap = options[i];
      options[i] = options[j];
      options[j] = swap;
    }
    var anchor = fieldset.querySelector(".college-quiz__check");
    var list = fieldset.querySelector(".college-quiz__answer-list");
    options.forEach(function (option) {
      fieldset.insertBefore(option, anchor);
      if (list) {
        var value = option.querySelector("input[type=radio]").value;
        var item = list.querySelector("li[data-option='" + value + "']");
        if (item) {
          list.appendChild(item);
        }
      }
    });
    fieldset.dataset.order = options
      .map(function (option) { return option.querySelector("input[type=radio]").value; })
      .join(",");
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
      form.querySelectorAll(".college-quiz__question").forEach(shuffleOptions);
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
