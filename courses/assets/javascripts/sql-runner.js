/*
 * Runnable SQL for the Open College for NHS Analysts: every ```sql block becomes an editor with "Run" and
 * "Reset", and the questions of an SQL exercise also get "Check", which runs the notebook's visible checks.
 *
 * Queries run in this browser with sql.js (SQLite compiled to WebAssembly), served by the site from assets/sql/,
 * on a copy of the shared synthetic data (assets/sql/college.sqlite.gz). Nothing is sent anywhere. The engine and
 * the data load only on pages with SQL; a service worker (sw.js at the site's root) keeps what a page loaded, so
 * the page works again with the network cut. Without JavaScript the blocks stay ordinary code.
 */
(function () {
  "use strict";

  var ROW_LIMIT = 100;
  var PROGRESS = "progress"; /* the shared store's item, also used by quiz.js */
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : window.location.href); /* assets/javascripts/ → site root */
  var engine = null; /* a promise of {SQL, bytes, db} */
  var tableNames = [];
  /* WebAssembly code runs slowly until the browser has compiled its busy parts fully: a first run of a query over
     100,000 attendances takes 250-450 ms, later runs 30-40 ms. Running the kinds of work the course's queries do
     (date functions, CASE, a window, a join) in idle time once the engine is up, while the trainee reads, makes the first real
     query as fast as the later ones. */
  var WARM_UP = [
    "SELECT COUNT(*), SUM(CASE WHEN strftime('%s', departure_datetime) - strftime('%s', arrival_datetime) <= 14400 " +
      "THEN 1 ELSE 0 END), AVG(julianday(departure_datetime)), MAX(substr(provider_code, 1, 3)) " +
      "FROM (SELECT * FROM ae_attendances LIMIT 20000)",
    "SELECT COUNT(*) FROM (SELECT ROW_NUMBER() OVER (PARTITION BY provider_code ORDER BY arrival_datetime) AS n, " +
      "LAG(arrival_datetime) OVER (ORDER BY attendance_id) AS before FROM (SELECT * FROM ae_attendances LIMIT 20000)) " +
      "WHERE n < 10",
    "SELECT p.deprivation_decile, COUNT(*) FROM admissions AS a LEFT JOIN patients AS p " +
      "ON p.nhs_number = a.nhs_number WHERE a.admission_method LIKE '2%' GROUP BY p.deprivation_decile"
  ];

  function registerServiceWorker() {
    if ("serviceWorker" in navigator && window.location.protocol !== "file:") {
      navigator.serviceWorker.register(new URL("sw.js", root).href).then(keepLoaded).catch(function () {
        /* no offline copy: the page still works online */
      });
    }
  }

  /* Ask the service worker to keep this page and what it loaded before the worker took control of it. */
  function keepLoaded() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.ready.then(function (registration) {
      var urls = [window.location.href.split("#")[0]];
      performance.getEntriesByType("resource").forEach(function (entry) {
        if (new URL(entry.name).origin === window.location.origin) {
          urls.push(entry.name);
        }
      });
      if (registration.active) {
        registration.active.postMessage({ keep: urls });
      }
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = function () {
        reject(new Error("the SQL engine could not be loaded"));
      };
      document.head.appendChild(element);
    });
  }

  function fetchDatabase() {
    return fetch(new URL("assets/sql/college.sqlite.gz", root).href).then(function (response) {
      if (!response.ok) {
        throw new Error("the data could not be loaded (" + response.status + ")");
      }
      var unpacked = response.body.pipeThrough(new DecompressionStream("gzip"));
      return new Response(unpacked).arrayBuffer();
    }).then(function (buffer) {
      return new Uint8Array(buffer);
    });
  }

  function openDatabase(state) {
    var db = new state.SQL.Database(state.bytes);
    db.run("PRAGMA query_only = ON"); /* queries may only read the data */
    state.db = db;
    state.schema = db.exec("PRAGMA schema_version")[0].values[0][0];
    return state;
  }

  function startEngine() {
    if (!engine) {
      var base = new URL("assets/sql/", root).href;
      engine = Promise.all([
        loadScript(base + "sql-wasm.js").then(function () {
          return window.initSqlJs({ locateFile: function (file) { return base + file; } });
        }),
        fetchDatabase()
      ]).then(function (parts) {
        var state = openDatabase({ SQL: parts[0], bytes: parts[1] });
        tableNames = state.db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]
          .values.map(function (row) { return row[0]; });
        idle(function () { warmUp(state, 0); });
        return state;
      });
      engine.catch(function () {
        engine = null; /* try again on the next run */
      });
    }
    return engine;
  }

  /* One statement at a time, in idle time, so a click between them is answered at once. */
  function warmUp(state, index) {
    index = index || 0;
    if (index >= WARM_UP.length) {
      return;
    }
    try {
      state.db.exec(WARM_UP[index]);
    } catch (error) {
      /* a table missing from this site's data: nothing to warm */
    }
    idle(function () { warmUp(state, index + 1); });
  }

  /* When the browser has nothing else to do (a query of the trainee's comes first). */
  function idle(task) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(task, { timeout: 5000 });
    } else {
      window.setTimeout(task, 200);
    }
  }

  /* The values of a first line "-- parameters: 'SYN01', 1", to bind to the query's ? placeholders. */
  function parameters(sql) {
    var match = /^\s*--\s*parameters:\s*(.*)$/m.exec(sql.split("\n")[0] || "");
    if (!match) {
      return null;
    }
    var values = [];
    var pattern = /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?))\s*(?:,|$)/g;
    var found;
    while ((found = pattern.exec(match[1])) !== null && found[0] !== "") {
      values.push(found[1] !== undefined ? found[1].replace(/''/g, "'") : Number(found[2]));
    }
    return values;
  }

  /* Run SQL; the last statement's result as {columns, values} (columns even when no row comes back). */
  function execute(state, sql) {
    var values = parameters(sql);
    var last = { columns: [], values: [] };
    var bound = false;
    try {
      for (var statement of state.db.iterateStatements(sql)) {
        try {
          if (values && values.length && !bound) {
            statement.bind(values);
            bound = true;
          }
          var result = { columns: statement.getColumnNames(), values: [] };
          while (statement.step()) {
            result.values.push(statement.get());
          }
          if (result.columns.length) {
            last = result;
          }
        } finally {
          statement.free();
        }
      }
    } finally {
      var changed = state.db.exec("SELECT total_changes()")[0].values[0][0] > 0 ||
        state.db.exec("PRAGMA schema_version")[0].values[0][0] !== state.schema;
      if (changed) { /* a query switched query_only off and wrote: start again from the shared data */
        state.db.close();
        openDatabase(state);
      }
    }
    return last;
  }

  /* The engine's message, in plain words where we can say more. */
  function explain(error) {
    var message = String(error && error.message ? error.message : error);
    var table = /no such table: (\S+)/.exec(message);
    if (table) {
      return "There is no table called " + table[1] + ". The tables are: " + tableNames.join(", ") + ".";
    }
    var column = /no such column: (\S+)/.exec(message);
    if (column) {
      return "There is no column called " + column[1] + " in the tables this query reads. Check its spelling, " +
        "and the table's columns on the data dictionary pages.";
    }
    var near = /near "([^"]*)": syntax error/.exec(message);
    if (near) {
      return "SQLite could not read the query near \u201c" + near[1] + "\u201d: check the commas, brackets and " +
        "quotes around it, and the order of the clauses (SELECT, FROM, WHERE, GROUP BY, HAVING, ORDER BY).";
    }
    if (/incomplete input/.test(message)) {
      return "The query ends too soon: a bracket, a quote or a clause is not finished.";
    }
    if (/readonly|read-only|query_only/.test(message)) {
      return "Queries here may only read the data: SELECT (or WITH … SELECT) only.";
    }
    return "SQLite says: " + message;
  }

  function cellText(value) {
    if (value === null) {
      return "NULL";
    }
    if (value instanceof Uint8Array) {
      return "(" + value.length + " bytes)";
    }
    return String(value);
  }

  function renderTable(container, result, number) {
    container.textContent = "";
    if (!result.columns.length) {
      return;
    }
    var region = document.createElement("div");
    region.className = "college-sql__table";
    region.tabIndex = 0; /* scrollable by keyboard */
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", "Result of query " + number);
    var table = document.createElement("table");
    var caption = document.createElement("caption");
    var shown = Math.min(result.values.length, ROW_LIMIT);
    caption.textContent = "Result of query " + number + ": " + result.values.length + " row" +
      (result.values.length === 1 ? "" : "s") + (shown < result.values.length ? ", the first " + shown + " shown" : "");
    table.appendChild(caption);
    var head = table.createTHead().insertRow();
    result.columns.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    result.values.slice(0, shown).forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (value) {
        var td = tr.insertCell();
        td.textContent = cellText(value);
        if (value === null) {
          td.className = "college-sql__null";
        }
      });
    });
    region.appendChild(table);
    container.appendChild(region);
    if (shown < result.values.length) {
      var note = document.createElement("p");
      note.className = "college-sql__note";
      note.textContent = "Only the first " + ROW_LIMIT + " of " + result.values.length + " rows are shown. " +
        "Add LIMIT, WHERE or GROUP BY to see the rows you want.";
      container.appendChild(note);
    }
  }

  /* The visible checks of an exercise question (from its notebook), applied to a result: the first failure. */
  function firstFailure(checks, result) {
    var index = function (name) { return result.columns.indexOf(name); };
    for (var i = 0; i < checks.length; i += 1) {
      var check = checks[i];
      var ok = true;
      if (check.kind === "columns") {
        ok = result.columns.join("\u0000") === check.columns.join("\u0000") &&
          result.columns.length === check.columns.length;
      } else if (check.kind === "row_count") {
        ok = result.values.length === check.value;
      } else if (check.kind === "cumsum") {
        var total = index(check.columns[0]);
        var added = index(check.columns[1]);
        if (total < 0 || added < 0) {
          return "There is no column " + check.columns[total < 0 ? 0 : 1] + " in the result (the check needs it)";
        }
        var running = 0;
        ok = result.values.every(function (row) {
          running += row[added];
          return typeof row[added] === "number" && row[total] === running;
        });
      } else if (check.kind === "sorted" || check.kind === "between" || check.kind === "sum") {
        var at = index(check.columns[0]);
        if (at < 0) {
          return "There is no column " + check.columns[0] + " in the result (the check needs it)";
        }
        var column = result.values.map(function (row) { return row[at]; });
        if (check.kind === "sorted") {
          for (var k = 1; k < column.length && ok; k += 1) {
            ok = !(column[k - 1] > column[k]);
          }
        } else if (check.kind === "sum") {
          ok = column.every(function (value) { return typeof value === "number"; }) &&
            column.reduce(function (sum, value) { return sum + value; }, 0) === check.value;
        } else {
          ok = column.every(function (value) {
            return typeof value === "number" && value >= check.low && value <= check.high;
          });
        }
      }
      if (!ok) {
        return check.message;
      }
    }
    return null;
  }

  function recordPass(exercise, question) {
    var store = window.OpenCollegeStore;
    if (!store) {
      return;
    }
    var progress = store.load(PROGRESS, {});
    progress = progress && typeof progress === "object" ? progress : {};
    progress.sqlChecks = progress.sqlChecks || {};
    progress.sqlChecks[exercise] = progress.sqlChecks[exercise] || {};
    progress.sqlChecks[exercise][question] = true;
    store.save(PROGRESS, progress);
  }

  function passedBefore(exercise, question) {
    var store = window.OpenCollegeStore;
    var progress = store ? store.load(PROGRESS, {}) : {};
    var exercises = progress && progress.sqlChecks ? progress.sqlChecks : {};
    return Boolean(exercises[exercise] && exercises[exercise][question]);
  }

  function button(label, name) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "md-button college-sql__button";
    element.textContent = label;
    element.setAttribute("aria-label", name);
    return element;
  }

  function blockText(block) {
    var code = block.querySelector("code") || block;
    return code.textContent.replace(/\n$/, "");
  }

  function enhance(block, number) {
    var original = blockText(block);
    var marker = block.previousElementSibling;
    var spec = marker && marker.classList.contains("college-sql-check") ? marker : null;
    var runner = document.createElement("div");
    runner.className = "college-sql";
    runner.dataset.query = String(number);
    var id = "college-sql-" + number;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.className = "college-sql__label";
    label.textContent = spec ? "Your answer, " + spec.dataset.answer + " (SQL, editable)"
      : "SQL query " + number + " (editable; Ctrl+Enter runs it)";
    var editor = document.createElement("textarea");
    editor.id = id;
    editor.className = "college-sql__editor";
    editor.spellcheck = false;
    editor.setAttribute("autocapitalize", "off");
    editor.setAttribute("autocomplete", "off");
    editor.rows = Math.min(Math.max(original.split("\n").length + 1, 3), 30);
    editor.value = original;
    var buttons = document.createElement("div");
    buttons.className = "college-sql__buttons";
    var run = button("Run", "Run query " + number);
    var reset = button("Reset", "Reset query " + number + " to the page's text");
    buttons.appendChild(run);
    var check = null;
    if (spec) {
      check = button("Check", "Check your answer, " + spec.dataset.answer);
      buttons.appendChild(check);
    }
    buttons.appendChild(reset);
    var status = document.createElement("p");
    status.className = "college-sql__status";
    status.setAttribute("role", "status");
    var output = document.createElement("div");
    output.className = "college-sql__output";
    runner.appendChild(label);
    runner.appendChild(editor);
    runner.appendChild(buttons);
    runner.appendChild(status);
    runner.appendChild(output);
    block.parentNode.insertBefore(runner, block.nextSibling);
    block.hidden = true;

    function say(text, result) {
      status.textContent = text;
      status.dataset.result = result;
    }

    function go(checking) {
      say("Running…", "running");
      return startEngine().then(function (state) {
        var started = performance.now();
        var result;
        try {
          result = execute(state, editor.value);
        } catch (error) {
          output.textContent = "";
          say("The query did not run. " + explain(error), "error");
          return;
        }
        var took = Math.round(performance.now() - started);
        renderTable(output, result, number);
        runner.dataset.milliseconds = String(took);
        if (!checking) {
          say(result.columns.length ? "Done in " + took + " ms: " + result.values.length + " row" +
            (result.values.length === 1 ? "" : "s") + "." : "Done: the query returned no table.", "ran");
          return;
        }
        var failure = firstFailure(JSON.parse(spec.dataset.checks), result);
        if (failure) {
          say("Not yet: " + failure + ".", "incorrect");
        } else {
          say("All the visible checks pass. The hidden tests of the graded notebook check the values too.",
            "correct");
          recordPass(spec.dataset.exercise, spec.dataset.question);
        }
      }, function (error) {
        say("The SQL engine could not start: " + explain(error) + " Reload the page to try again.", "error");
      });
    }

    if (spec && passedBefore(spec.dataset.exercise, spec.dataset.question)) {
      say("You passed this question's visible checks before, in this browser.", "earlier");
    }

    run.addEventListener("click", function () { go(false); });
    if (check) {
      check.addEventListener("click", function () { go(true); });
    }
    reset.addEventListener("click", function () {
      editor.value = original;
      output.textContent = "";
      say("The query is back to the page's text.", "reset");
      editor.focus();
    });
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        go(Boolean(check));
      }
    });
  }

  function start() {
    registerServiceWorker();
    var blocks = [];
    document.querySelectorAll(".md-typeset .language-sql").forEach(function (element) {
      /* Material and Zensical wrap highlighted code as div.language-sql.highlight > pre > code; plain fences as
         pre > code.language-sql. Take the outermost element once. */
      var block = element.closest(".highlight") || element.closest("pre") || element;
      if (blocks.indexOf(block) < 0) {
        blocks.push(block);
      }
    });
    if (!blocks.length) {
      return;
    }
    blocks.forEach(function (block, index) { enhance(block, index + 1); });
    startEngine().then(keepLoaded, function () { /* reported when a query runs */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
