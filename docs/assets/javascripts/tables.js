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
 * downloaded as CSV and JSON (downloads.js, loaded on the first click).
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
    if (name === "claimed") return (row.getAttribute("data-claimed") || "").split(" ").indexOf(value) >= 0;
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

  /* Downloads of the rows shown: <div class="table-download" data-download-for="<id>">
     offers the incidents shown in the element <id> as CSV and JSON. The code that builds
     them is in downloads.js, loaded on the first click (pages load none of it). */
  var here = document.currentScript && document.currentScript.src;
  var DOWNLOADS_URL = new URL("downloads.js", here || window.location.href).href;
  var downloads = null;
  function loadDownloads() {
    if (!downloads) {
      downloads = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = DOWNLOADS_URL;
        script.onload = function () { resolve(window.incidentDownloads); };
        script.onerror = function () {
          downloads = null;
          reject(new Error("could not load " + DOWNLOADS_URL));
        };
        document.head.appendChild(script);
      });
    }
    return downloads;
  }

  function setupDownload(box) {
    if (box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "true");
    box.hidden = false;
    box.querySelectorAll("button[data-format]").forEach(function (button) {
      button.addEventListener("click", function () {
        loadDownloads().then(function (code) {
          code.download(box, button.getAttribute("data-format"));
        }, function (error) {
          box.querySelector("output").textContent = "Could not prepare the download: " +
            error.message + ". The full files are on the Data page.";
        });
      });
    });
  }

  function setup() {
    document.querySelectorAll(".sortable table").forEach(setupSort);
    document.querySelectorAll("form.table-filter").forEach(setupFilter);
    document.querySelectorAll(".table-download").forEach(setupDownload);
  }

  // For the tests: the downloads' code, loaded.
  window.incidentTables = { downloads: loadDownloads };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
