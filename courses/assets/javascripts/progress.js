/*
 * Progress toward a role, in this browser only: "I've done this" on module and exercise pages, and the pathway
 * summary on role pages, with download and deletion of the record.
 *
 * One record, the shared store's "progress" item (kept as "open-college-progress" by store.js), which the quizzes
 * also write: { read: {module: true}, passed: {module: true}, modules: {module: date}, exercises: {id: date} }.
 * A module counts as done when it is marked done or its quiz is passed. Nothing is sent anywhere.
 */
(function () {
  "use strict";

  var STORAGE_NAME = "progress";
  var store = window.OpenCollegeStore;

  function read() {
    var stored = store ? store.load(STORAGE_NAME, {}) : {};
    stored = stored && typeof stored === "object" ? stored : {};
    ["read", "passed", "modules", "exercises"].forEach(function (key) {
      if (!stored[key] || typeof stored[key] !== "object") {
        stored[key] = {};
      }
    });
    return stored;
  }

  function plural(count, noun) {
    return count + " " + noun + (count === 1 ? "" : "s");
  }

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function startDone(control) {
    var kind = control.dataset.kind;
    var id = control.dataset.id;
    var button = control.querySelector(".college-done__toggle");
    var status = control.querySelector(".college-done__status");
    var label = button.textContent;

    function show(progress) {
      var when = progress[kind][id];
      button.setAttribute("aria-pressed", when ? "true" : "false");
      button.textContent = when ? "Done: undo" : label;
      status.textContent = when ? "Recorded in this browser on " + when + "." : "";
    }

    control.hidden = false;
    show(read());
    button.addEventListener("click", function () {
      var progress = read();
      if (progress[kind][id]) {
        delete progress[kind][id];
      } else {
        progress[kind][id] = today();
      }
      var kept = store && store.save(STORAGE_NAME, progress);
      show(progress);
      if (!kept) {
        status.textContent = "This browser is not keeping anything (storage is off), so this was not recorded.";
      }
    });
  }

  function startPathway(box) {
    var modules = JSON.parse(box.dataset.modules || "[]");
    var exercises = JSON.parse(box.dataset.exercises || "{}");
    var status = box.querySelector(".college-pathway-progress__status");
    var shown = box.querySelector(".college-pathway-progress__shown");

    function show() {
      var progress = read();
      var done = modules.filter(function (id) {
        return progress.modules[id] || progress.passed[id];
      });
      var ids = Object.keys(exercises);
      var passed = ids.filter(function (id) {
        return progress.exercises[id];
      });
      status.textContent = done.length + " of " + plural(modules.length, "module") + " done; " +
        passed.length + " of " + plural(ids.length, "exercise") + " passed.";
      var competencies = [];
      passed.forEach(function (id) {
        exercises[id].forEach(function (name) {
          if (competencies.indexOf(name) < 0) {
            competencies.push(name);
          }
        });
      });
      shown.textContent = competencies.length
        ? "Competencies shown by the exercises you passed: " + competencies.join("; ") + "."
        : "No competency shown by an exercise yet.";
    }

    box.hidden = false;
    show();
    box.querySelector(".college-pathway-progress__export").addEventListener("click", function () {
      var blob = new Blob([JSON.stringify(read(), null, 2) + "\n"], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "open-college-progress.json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(link.href);
    });
    box.querySelector(".college-pathway-progress__forget").addEventListener("click", function () {
      if (store) {
        store.forget(STORAGE_NAME);
      }
      show();
    });
  }

  function start() {
    document.querySelectorAll(".college-done").forEach(startDone);
    document.querySelectorAll(".college-pathway-progress").forEach(startPathway);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
