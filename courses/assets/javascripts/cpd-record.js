/*
 * The CPD record: entries a trainee adds on the "My CPD record" page, kept in this browser only.
 *
 * Entries are stored through the shared store (store.js) as "open-college-cpd-record", never sent anywhere. The
 * record can be exported as a CSV file (and that file brought in again on another device), printed (the print style
 * sheet shows only the table) and deleted, one entry at a time or all at once. Every control is a native form control or button, so it works by keyboard.
 */
(function () {
  "use strict";

  var STORAGE_NAME = "cpd-record";
  var CSV_COLUMNS = ["date", "title", "activity", "hours", "competencies", "reflection", "evidence"];

  function readRecord(store) {
    var stored = store.load(STORAGE_NAME, null);
    if (!stored || !Array.isArray(stored.entries)) {
      return { version: 1, entries: [] };
    }
    return { version: 1, entries: stored.entries.filter(function (entry) {
      return entry && typeof entry === "object" && typeof entry.title === "string";
    }) };
  }

  function levelName(container, level) {
    var option = container.querySelector(".college-cpd__competency option[value='" + CSS.escape(level) + "']");
    return option ? option.textContent : level;
  }

  function competencyName(container, competencyId) {
    var select = container.querySelector("select[data-competency='" + CSS.escape(competencyId) + "']");
    return select ? select.dataset.name : competencyId;
  }

  function isWebAddress(text) {
    return /^https?:\/\/[^\s]+$/i.test(text);
  }

  /* A CSV cell: quoted, quotes doubled, and a leading = + - @ made harmless for spreadsheets. */
  function csvCell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) {
      text = "'" + text;
    }
    return "\"" + text.replace(/"/g, "\"\"") + "\"";
  }

  function toCsv(record) {
    var lines = [CSV_COLUMNS.join(",")];
    record.entries.forEach(function (entry) {
      lines.push([
        entry.date,
        entry.title,
        entry.activity || "",
        entry.hours,
        (entry.competencies || []).map(function (item) { return item.id + ":" + item.level; }).join("; "),
        entry.reflection || "",
        (entry.evidence || []).join("\n")
      ].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  /* Parse CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends) into rows of strings. */
  function parseCsv(text) {
    var rows = [];
    var row = [];
    var field = "";
    var quoted = false;
    for (var i = 0; i < text.length; i += 1) {
      var character = text[i];
      if (quoted) {
        if (character === "\"" && text[i + 1] === "\"") {
          field += "\"";
          i += 1;
        } else if (character === "\"") {
          quoted = false;
        } else {
          field += character;
        }
      } else if (character === "\"") {
        quoted = true;
      } else if (character === ",") {
        row.push(field);
        field = "";
      } else if (character === "\n" || character === "\r") {
        if (character === "\r" && text[i + 1] === "\n") {
          i += 1;
        }
        row.push(field);
        rows.push(row);
        row = [];
        field = "";
      } else {
        field += character;
      }
    }
    if (field || row.length) {
      row.push(field);
      rows.push(row);
    }
    return rows;
  }

  /* Undo the spreadsheet guard that csvCell adds. */
  function unguard(text) {
    return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
  }

  /* Entries from an exported CSV file; throws an Error saying what is wrong if it is not one. */
  function fromCsv(text) {
    var rows = parseCsv(text.replace(/^\ufeff/, "")).filter(function (row) {
      return row.some(function (value) { return value !== ""; });
    });
    if (!rows.length || rows[0].join(",") !== CSV_COLUMNS.join(",")) {
      throw new Error("The file is not a CPD record exported from this page: its first line should be " +
        CSV_COLUMNS.join(",") + ".");
    }
    return rows.slice(1).map(function (values, index) {
      var item = {};
      CSV_COLUMNS.forEach(function (column, position) {
        item[column] = unguard(values[position] || "");
      });
      var hours = Number(item.hours);
      if (!item.title || !/^\d{4}-\d{2}-\d{2}$/.test(item.date) || !(hours > 0)) {
        throw new Error("Line " + (index + 2) + " needs a title, a date (YYYY-MM-DD) and a number of hours.");
      }
      return {
        id: String(Date.now()) + "-" + index + "-" + Math.random().toString(36).slice(2, 8),
        activity: item.activity,
        title: item.title,
        date: item.date,
        hours: hours,
        competencies: item.competencies.split(";").map(function (pair) {
          var parts = pair.trim().split(":");
          return { id: parts[0], level: parts[1] };
        }).filter(function (pair) { return pair.id && pair.level; }),
        reflection: item.reflection,
        evidence: item.evidence.split(/\r?\n/).map(function (line) { return line.trim(); }).filter(Boolean)
      };
    });
  }

  function cell(row, text) {
    var td = document.createElement("td");
    if (text !== undefined) {
      td.textContent = text;
    }
    row.appendChild(td);
    return td;
  }

  function render(container, record) {
    var section = container.querySelector(".college-cpd__record");
    var body = container.querySelector(".college-cpd__table tbody");
    var summary = container.querySelector(".college-cpd__summary");
    body.textContent = "";
    section.hidden = record.entries.length === 0;
    var total = 0;
    record.entries.slice().sort(function (a, b) {
      return a.date < b.date ? 1 : a.date > b.date ? -1 : 0;
    }).forEach(function (entry) {
      total += Number(entry.hours) || 0;
      var row = document.createElement("tr");
      row.dataset.entry = entry.id;
      cell(row, entry.date);
      var title = document.createElement("th");
      title.scope = "row";
      title.textContent = entry.title;
      row.appendChild(title);
      cell(row, String(entry.hours));
      var competencies = cell(row);
      if ((entry.competencies || []).length) {
        var list = document.createElement("ul");
        entry.competencies.forEach(function (item) {
          var li = document.createElement("li");
          li.textContent = competencyName(container, item.id) + " (" + levelName(container, item.level).toLowerCase() + ")";
          list.appendChild(li);
        });
        competencies.appendChild(list);
      } else {
        competencies.textContent = "None recorded";
      }
      cell(row, entry.reflection || "");
      var evidence = cell(row);
      (entry.evidence || []).forEach(function (address, index) {
        if (index) {
          evidence.appendChild(document.createElement("br"));
        }
        if (isWebAddress(address)) {
          var anchor = document.createElement("a");
          anchor.href = address;
          anchor.textContent = address;
          anchor.rel = "noopener noreferrer";
          evidence.appendChild(anchor);
        } else {
          evidence.appendChild(document.createTextNode(address));
        }
      });
      var actions = cell(row);
      actions.className = "college-cpd__actions";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "md-button college-cpd__delete";
      remove.dataset.entry = entry.id;
      remove.textContent = "Delete";
      remove.setAttribute("aria-label", "Delete " + entry.title + " (" + entry.date + ")");
      actions.appendChild(remove);
      body.appendChild(row);
    });
    var count = record.entries.length;
    summary.textContent = count + " entr" + (count === 1 ? "y" : "ies") + ", " +
      (Math.round(total * 10) / 10) + " hour" + (total === 1 ? "" : "s") + " in all.";
  }

  function readForm(form) {
    var competencies = [];
    form.querySelectorAll("select[data-competency]").forEach(function (select) {
      if (select.value) {
        competencies.push({ id: select.dataset.competency, level: select.value });
      }
    });
    return {
      id: String(Date.now()) + "-" + Math.random().toString(36).slice(2, 8),
      activity: form.elements.activity.value,
      title: form.elements.title.value.trim(),
      date: form.elements.date.value,
      hours: Number(form.elements.hours.value),
      competencies: competencies,
      reflection: form.elements.reflection.value.trim(),
      evidence: form.elements.evidence.value.split(/\r?\n/).map(function (line) {
        return line.trim();
      }).filter(Boolean)
    };
  }

  function fillFromActivity(form) {
    var option = form.elements.activity.selectedOptions[0];
    if (!option || !option.value) {
      return;
    }
    form.elements.title.value = option.textContent;
    form.elements.hours.value = option.dataset.hours;
    var evidenced = {};
    (option.dataset.competencies || "").split(" ").filter(Boolean).forEach(function (pair) {
      var parts = pair.split(":");
      evidenced[parts[0]] = parts[1];
    });
    form.querySelectorAll("select[data-competency]").forEach(function (select) {
      select.value = evidenced[select.dataset.competency] || "";
    });
  }

  function download(text, filename) {
    var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
    var address = URL.createObjectURL(blob);
    var anchor = document.createElement("a");
    anchor.href = address;
    anchor.download = filename;
    anchor.hidden = true;
    document.body.appendChild(anchor);
    anchor.click();
    document.body.removeChild(anchor);
    window.setTimeout(function () { URL.revokeObjectURL(address); }, 1000);
  }

  function start() {
    var container = document.querySelector(".college-cpd");
    var store = window.OpenCollegeStore;
    if (!container || !store) {
      return;
    }
    var form = container.querySelector(".college-cpd__form");
    var status = container.querySelector(".college-cpd__status");
    var record = readRecord(store);
    container.querySelector(".college-cpd__nojs").hidden = true;
    form.hidden = false;
    if (!store.available()) {
      status.textContent = "This browser is not keeping site data, so entries will be lost when you leave the page. " +
        "Export your record before you go.";
    }
    render(container, record);

    function save(message) {
      var kept = store.save(STORAGE_NAME, record);
      render(container, record);
      status.textContent = message + (kept ? "" : " It could not be saved in this browser: export it now.");
    }

    form.elements.activity.addEventListener("change", function () {
      fillFromActivity(form);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.checkValidity()) {
        form.reportValidity();
        return;
      }
      var entry = readForm(form);
      record.entries.push(entry);
      save("Added \u201c" + entry.title + "\u201d to your record.");
      form.reset();
    });
    container.querySelector(".college-cpd__table").addEventListener("click", function (event) {
      var button = event.target.closest(".college-cpd__delete");
      if (!button) {
        return;
      }
      var removed = record.entries.filter(function (entry) { return entry.id === button.dataset.entry; })[0];
      record.entries = record.entries.filter(function (entry) { return entry.id !== button.dataset.entry; });
      save("Deleted \u201c" + (removed ? removed.title : "the entry") + "\u201d from your record.");
      (record.entries.length ? container.querySelector(".college-cpd__export") : form.elements.activity).focus();
    });
    container.querySelector(".college-cpd__export").addEventListener("click", function () {
      download(toCsv(record), "cpd-record.csv");
      status.textContent = "Exported " + record.entries.length + " entr" +
        (record.entries.length === 1 ? "y" : "ies") + " as cpd-record.csv.";
    });
    var importer = container.querySelector("#cpd-import");
    container.querySelector(".college-cpd__import").hidden = false;
    importer.addEventListener("change", function () {
      var file = importer.files[0];
      if (!file) {
        return;
      }
      file.text().then(function (text) {
        var entries = fromCsv(text);
        var seen = {};
        record.entries.forEach(function (entry) {
          seen[entry.date + "|" + entry.title + "|" + entry.hours] = true;
        });
        var added = entries.filter(function (entry) {
          return !seen[entry.date + "|" + entry.title + "|" + entry.hours];
        });
        record.entries = record.entries.concat(added);
        save("Brought in " + added.length + " entr" + (added.length === 1 ? "y" : "ies") + " from " + file.name +
          (entries.length > added.length ? " (" + (entries.length - added.length) + " already in your record)." : "."));
      }).catch(function (error) {
        status.textContent = "Nothing was brought in. " + error.message;
      }).then(function () {
        importer.value = "";
      });
    });
    container.querySelector(".college-cpd__print").addEventListener("click", function () {
      window.print();
    });
    container.querySelector(".college-cpd__delete-all").addEventListener("click", function () {
      if (!window.confirm("Delete every entry in your CPD record from this browser? This cannot be undone.")) {
        return;
      }
      store.forget(STORAGE_NAME);
      record = { version: 1, entries: [] };
      render(container, record);
      status.textContent = "Your CPD record has been deleted from this browser.";
      form.elements.activity.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
