(function () {
  "use strict";

  /*
   * Downloads of the rows an incident table shows (tables.js loads this on the first click).
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


  window.incidentDownloads = {
    download: download, csvCell: csvCell, csvText: csvText, fileName: fileName,
  };
})();
