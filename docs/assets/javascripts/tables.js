/*
 * Filter and sort incident tables in the page; the view lives in the URL so it can be shared.
 *
 * A table is filtered by a <form class="table-filter" data-filter-for="<table id>"> whose
 * <select name="country|base|kind|weapon|status|year|tag|perpetrator"> match the rows'
 * data-* attributes, whose <input name="from|to"> bound the rows' data-date, and whose
 * <input name="q"> keeps the rows holding every word typed. Sorting: click a column
 * heading of any table inside an element with class "sortable" (numbers sort as numbers).
 * The state goes into the query string (?base=green-village&q=drone&sort=0&order=asc),
 * and is read back on load and after Material's instant navigation. The rows shown can be
 * downloaded as CSV and JSON (see "Downloads of the rows shown" below).
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function matches(row, name, value) {
    if (!value) return true;
    if (name === "q") {
      var text = row._text || (row._text = fold(row.textContent));
      return fold(value).split(/\s+/).every(function (word) { return text.indexOf(word) >= 0; });
    }
    if (name === "from") return (row.getAttribute("data-date") || "") >= value;
    if (name === "to") return (row.getAttribute("data-date") || "") <= value;
    // Tags, weapons and countries are lists: a row matches when any of its values is chosen.
    if (name === "tag") return (row.getAttribute("data-tags") || "").split(" ").indexOf(value) >= 0;
    if (name === "weapon") return (row.getAttribute("data-weapon") || "").split(" ").indexOf(value) >= 0;
    if (name === "country") return (row.getAttribute("data-country") || "").split("|").indexOf(value) >= 0;
    return row.getAttribute("data-" + name) === value;
  }

  function cellValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var value = cell.getAttribute("data-value") || cell.textContent.trim().toLowerCase();
    var number = value.replace(/,/g, "");
    return /^-?\d+(\.\d+)?$/.test(number) ? parseFloat(number) : value;
  }

  function setupFilter(form) {
    var table = document.getElementById(form.getAttribute("data-filter-for"));
    if (!table || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "true");
    form.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select, input"));
    var output = form.querySelector("output");
    var noun = form.getAttribute("data-noun") || "rows";
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (field) {
      var wanted = params.get(field.name);
      if (wanted === null) return;
      if (field.tagName === "INPUT" || field.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        field.value = wanted;
      }
    });

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = selects.every(function (s) { return matches(row, s.name, s.value); });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      output.textContent = shown === rows.length
        ? "Showing all " + rows.length + " " + noun
        : "Showing " + shown + " of " + rows.length + " " + noun;
      table.setAttribute("data-shown", String(shown));
      var url = new URL(window.location.href);
      selects.forEach(function (s) {
        if (s.value) url.searchParams.set(s.name, s.value);
        else url.searchParams.delete(s.name);
      });
      if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url.href);
    }

    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  }

  function setupSort(table) {
    if (table.getAttribute("data-sortable")) return;
    table.setAttribute("data-sortable", "true");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];

    function sort(column, order, remember) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = cellValue(a, column);
        var y = cellValue(b, column);
        if (typeof x !== typeof y) { x = String(x); y = String(y); }
        return (x < y ? -1 : x > y ? 1 : 0) * (order === "asc" ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
      headers.forEach(function (th, k) {
        th.setAttribute("aria-sort", k === column ? (order === "asc" ? "ascending" : "descending") : "none");
      });
      if (remember && table.id) {
        var url = new URL(window.location.href);
        url.searchParams.set("sort", String(column));
        url.searchParams.set("order", order);
        window.history.replaceState(window.history.state, "", url.href);
      }
    }

    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var order = th.getAttribute("aria-sort") === "ascending" ? "desc" : "asc";
        sort(column, order, true);
      });
    });
    var params = new URLSearchParams(window.location.search);
    var column = parseInt(params.get("sort"), 10);
    if (table.id && column >= 0 && column < headers.length) {
      sort(column, params.get("order") === "desc" ? "desc" : "asc", false);
    }
  }

  /* --- Downloads of the rows shown ------------------------------------------------------
   *
   * A <div class="table-download" data-download-for="<id>"> offers the incidents shown in
   * the element <id> (those with data-id, not hidden by a filter) as CSV and JSON. Both are
   * cut from the site's full downloads, fetched when asked for: the JSON's records
   * (data/incidents.json) and the CSV's rows (data/incidents.table.json, the values
   * incidents.csv is written from), in the order of the full files. The CSV is written as
   * the generator writes incidents.csv: the same columns, quoting and formula escaping.
   */

  // Python's str.splitlines() breaks and str.isspace() white space, so that a cell is
  // escaped here exactly when generator/escape.py's csv_cell escapes it.
  var LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
  var LEADING_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var FORMULA_FIRST = "=+-@\uff1d\uff0b\uff0d\uff20";

  /* A spreadsheet cell that cannot run as a formula: a leading "'" when the text starts
     with a tab or a carriage return, or when any of its lines starts, after white space,
     with = + - @ or their full-width forms. Numbers stay numbers; null is empty. */
  function csvCell(value) {
    if (value === null || value === undefined) return "";
    if (typeof value !== "string") return value;
    var runs = /^[\t\r]/.test(value) || value.split(LINE_BREAK).some(function (line) {
      var first = line.replace(LEADING_SPACE, "").charAt(0);
      return first !== "" && FORMULA_FIRST.indexOf(first) >= 0;
    });
    return runs ? "'" + value : value;
  }

  /* One CSV field as Python's csv module writes it (minimal quoting). */
  function csvField(value) {
    var text = String(csvCell(value));
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csvText(columns, rows) {
    return [columns].concat(rows).map(function (row) {
      return row.map(csvField).join(",") + "\r\n";
    }).join("");
  }

  function slug(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  /* What the rows shown are limited to: the page's own scope (a base, a month…), then the
     filters set, in the form's order, the dates and the words last. Each part has the
     field's name, its value and what a reader reads. */
  function filterOf(box) {
    var parts = [];
    if (box.getAttribute("data-scope-name")) {
      parts.push({
        name: box.getAttribute("data-scope-name"),
        value: box.getAttribute("data-scope-value"),
        label: box.getAttribute("data-scope-label"),
      });
    }
    var form = document.querySelector('form.table-filter[data-filter-for="' +
      CSS.escape(box.getAttribute("data-download-for")) + '"]');
    var fields = form ? Array.prototype.slice.call(form.querySelectorAll("select, input")) : [];
    function rank(field) { return field.tagName === "SELECT" ? 0 : field.name === "q" ? 2 : 1; }
    fields.sort(function (a, b) { return rank(a) - rank(b); });
    fields.forEach(function (field) {
      if (!field.value) return;
      var label = field.tagName === "SELECT" ? field.options[field.selectedIndex].text : field.value;
      parts.push({ name: field.name, value: field.value, label: label });
    });
    return parts;
  }

  var NAME_LIMIT = 100; // characters of the file name that say what it holds

  /* incidents-base-erbil-air-base-kind-attack-2023-10-01-to-2024-02-04-data-version-abc1234 */
  function fileName(parts, version) {
    var words = [];
    var from = null, to = null;
    parts.forEach(function (p) {
      if (p.name === "from") from = p.value;
      else if (p.name === "to") to = p.value;
      else words.push(p.name === "q" ? "words-" + slug(p.value) : slug(p.name) + "-" + slug(p.value));
    });
    if (from && to) words.push(from + "-to-" + to);
    else if (from) words.push("from-" + from);
    else if (to) words.push("to-" + to);
    var what = slug(words.join("-")) || "all";
    if (what.length > NAME_LIMIT) what = what.slice(0, NAME_LIMIT).replace(/-[^-]*$/, "");
    var which = version.data_version
      ? "data-version-" + slug(version.data_version) + (version.data_version_modified ? "-modified" : "")
      : "data-as-of-" + version.data_version_date;
    return "incidents-" + what + "-" + which;
  }

  function shownIds(box) {
    var holder = document.getElementById(box.getAttribute("data-download-for"));
    if (!holder) return [];
    return Array.prototype.slice.call(holder.querySelectorAll("[data-id]"))
      .filter(function (el) { return !el.closest("[hidden]"); })
      .map(function (el) { return el.getAttribute("data-id"); });
  }

  var fetched = {}; // url -> Promise of JSON
  function getJSON(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      });
      fetched[url].catch(function () { delete fetched[url]; });
    }
    return fetched[url];
  }

  function save(name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  /* The rows of `all` (by id) for the ids shown, in the full file's order; an error that
     says so when the file lacks one (the site was updated since the page was loaded). */
  function keep(all, ids, idOf) {
    var wanted = {};
    ids.forEach(function (id) { wanted[id] = true; });
    var rows = all.filter(function (row) { return wanted[idOf(row)]; });
    if (rows.length !== ids.length) {
      throw new Error("the data has changed since this page was loaded: reload the page " +
        "and download again");
    }
    return rows;
  }

  function download(box, format) {
    var ids = shownIds(box);
    var parts = filterOf(box);
    var output = box.querySelector("output");
    var url = new URL(box.getAttribute(format === "csv" ? "data-table" : "data-json"), window.location.href).href;
    output.textContent = "Preparing " + ids.length + " incident" + (ids.length === 1 ? "" : "s") + "…";
    return getJSON(url).then(function (data) {
      var name = fileName(parts, data);
      var text, type;
      if (format === "csv") {
        var at = data.columns.indexOf("id");
        text = csvText(data.columns, keep(data.rows, ids, function (row) { return row[at]; }));
        type = "text/csv;charset=utf-8";
      } else {
        var filter = {};
        parts.forEach(function (p) { filter[p.name] = p.value; });
        var view = new URL(window.location.href);
        view.hash = "";
        text = JSON.stringify({
          title: data.title,
          filter: filter,
          filter_description: parts.map(function (p) {
            return p.name === "q" ? "words: " + p.label : p.name + ": " + p.label;
          }).join("; ") || "none: every incident",
          data_version: data.data_version,
          data_version_date: data.data_version_date,
          version: data.version,
          generated: data.data_version_date,
          source: url,
          view: view.href,
          count: ids.length,
          incidents: keep(data.incidents, ids, function (record) { return record.id; }),
        }) + "\n";
        type = "application/json;charset=utf-8";
      }
      save(name + "." + format, type, text);
      output.textContent = "Downloaded " + ids.length + " incident" + (ids.length === 1 ? "" : "s") +
        " as " + name + "." + format;
    }).catch(function (error) {
      output.textContent = "Could not prepare the download: " + error.message +
        ". The full files are on the Data page.";
    });
  }

  function setupDownload(box) {
    if (box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "true");
    box.hidden = false;
    box.querySelectorAll("button[data-format]").forEach(function (button) {
      button.addEventListener("click", function () { download(box, button.getAttribute("data-format")); });
    });
  }

  function setup() {
    document.querySelectorAll(".sortable table").forEach(setupSort);
    document.querySelectorAll("form.table-filter").forEach(setupFilter);
    document.querySelectorAll(".table-download").forEach(setupDownload);
  }

  // For the tests: the rules the downloads follow.
  window.incidentTables = { csvCell: csvCell, csvText: csvText, fileName: fileName };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
