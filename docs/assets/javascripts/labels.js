/*
 * Labels that never overprint, placed at the size a chart is drawn (charts.js uses it for
 * the map's places and country names, and the timeline's labels and episode numbers).
 *
 * Labels are placed one by one, most important first. Each tries the places Plotly can
 * write a point's text in (right of its marker, left, above, below, then the corners), or,
 * for a name with spots, each spot in turn; it takes the first where it stays inside the
 * frame and covers no marker and no label already placed. A label with no such place is
 * left out (its point keeps its hover and its row in the table); a required name takes the
 * first spot where it covers no other label, even over a marker.
 *
 * What is taken is kept in two bitmaps of 2 px cells (markers, labels): a label is tested
 * and marked in the cells under it, so placing n labels costs O(n) cell tests whatever
 * their density (2,000 labels in one spot included), plus O(n log n) for the order. The
 * boxes are rounded outwards to whole cells, so a label found free is free.
 *
 * Loaded by charts.js in the browser; `make bench` runs it in Node (module.exports).
 */
(function (root) {
  "use strict";

  var CELL = 2; // px
  var ASCENT = 0.95; // of the font size, above the baseline (measured: 0.92 in Chromium)
  var DESCENT = 0.3; // below it (measured: 0.25)
  var PAD = 1; // px around every label
  // Plotly's text positions, in the order tried.
  var POSITIONS = [
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "bottom right",
    "top left",
    "bottom left",
  ];

  /*
   * The box Plotly's text takes at a text position beside a marker of radius r centred on
   * (x, y) (plotly.js drawing.textPointPosition: the text stands off r / 0.8 + 1 from the
   * centre; one line of text has its baseline 0.25 of the font size below the middle).
   */
  function textBox(position, x, y, r, width, size) {
    var parts = position.split(" ");
    var gap = r ? r / 0.8 + 1 : 0;
    var left = parts[1] === "right" ? x + gap : parts[1] === "left" ? x - gap - width : x - width / 2;
    var baseline = parts[0] === "top" ? y - gap - 0.25 * size
      : parts[0] === "bottom" ? y + gap + 0.75 * size
      : y + 0.25 * size;
    return {
      left: left - PAD,
      right: left + width + PAD,
      top: baseline - ASCENT * size - PAD,
      bottom: baseline + DESCENT * size + PAD,
    };
  }

  /*
   * The box of a Plotly annotation beside a marker of radius r (an episode's place label):
   * anchored 2 px off the marker's edge by xshift and yshift, its text padded by 1 px
   * (borderpad); a line of text is about 1.2 times the font size high.
   */
  var NOTE_LINE = 1.3; // of the font size, with room to spare
  function noteBox(position, x, y, r, width, size) {
    var parts = position.split(" ");
    var gap = r + 2, w = width + 2, h = NOTE_LINE * size + 2;
    var left = parts[1] === "right" ? x + gap : parts[1] === "left" ? x - gap - w : x - w / 2;
    var top = parts[0] === "top" ? y - gap - h : parts[0] === "bottom" ? y + gap : y - h / 2;
    return { left: left - PAD, right: left + w + PAD, top: top - PAD, bottom: top + h + PAD };
  }

  function Grid(frame) {
    this.frame = frame;
    this.columns = Math.max(1, Math.ceil((frame.right - frame.left) / CELL));
    this.rows = Math.max(1, Math.ceil((frame.bottom - frame.top) / CELL));
    this.markers = new Uint16Array(this.columns * this.rows); // markers on each cell
    this.labels = new Uint8Array(this.columns * this.rows);
    this.checks = 0;
  }

  Grid.prototype.span = function (box) {
    var f = this.frame;
    return {
      c0: Math.max(0, Math.floor((box.left - f.left) / CELL)),
      c1: Math.min(this.columns - 1, Math.floor((box.right - f.left) / CELL)),
      r0: Math.max(0, Math.floor((box.top - f.top) / CELL)),
      r1: Math.min(this.rows - 1, Math.floor((box.bottom - f.top) / CELL)),
    };
  };

  Grid.prototype.inside = function (box) {
    var f = this.frame;
    return box.left >= f.left && box.right <= f.right && box.top >= f.top && box.bottom <= f.bottom;
  };

  Grid.prototype.hits = function (cells, box) {
    var s = this.span(box);
    for (var r = s.r0; r <= s.r1; r++) {
      for (var c = s.c0; c <= s.c1; c++) {
        this.checks += 1;
        if (cells[r * this.columns + c]) return true;
      }
    }
    return false;
  };

  Grid.prototype.mark = function (cells, box, by) {
    var s = this.span(box);
    for (var r = s.r0; r <= s.r1; r++) {
      for (var c = s.c0; c <= s.c1; c++) cells[r * this.columns + c] += by === undefined ? 1 : by;
    }
  };

  Grid.prototype.free = function (box) {
    return this.inside(box) && !this.hits(this.labels, box) && !this.hits(this.markers, box);
  };

  /*
   * Place labels in `frame` ({left, top, right, bottom}, px) among `markers` ([{x, y, r}]).
   * Each label: {x, y, r, width, size, rank, marker, note} beside a marker (`marker`: the
   * index of its own, which it may touch; `note`: drawn as an annotation, not as the
   * point's text), or {spots: [{x, y}], width, size, rank, required} for a name. Lower ranks are placed first (ties: in the order
   * given). Returns {placed: [{position, spot} or null for each label], checks: the cell
   * tests made}.
   */
  function markerBox(m) {
    return { left: m.x - m.r, right: m.x + m.r, top: m.y - m.r, bottom: m.y + m.r };
  }

  function place(frame, markers, labels) {
    var grid = new Grid(frame);
    markers.forEach(function (m) { grid.mark(grid.markers, markerBox(m)); });
    var order = labels.map(function (_, k) { return k; });
    order.sort(function (a, b) { return (labels[a].rank - labels[b].rank) || (a - b); });
    var placed = labels.map(function () { return null; });
    order.forEach(function (k) {
      var label = labels[k];
      var found = null;
      if (label.spots) {
        var boxes = label.spots.map(function (s) {
          return textBox("middle center", s.x, s.y, 0, label.width, label.size);
        });
        // A name first looks for a spot clear of the markers by a line of text, where it
        // takes no room their own labels need; then for any spot free.
        var clear = label.size * 1.5;
        for (var n = 0; n < boxes.length && !found; n++) {
          var wide = {
            left: boxes[n].left - clear, right: boxes[n].right + clear,
            top: boxes[n].top - clear, bottom: boxes[n].bottom + clear,
          };
          if (grid.free(boxes[n]) && !grid.hits(grid.markers, wide)) {
            found = { position: "middle center", spot: n, box: boxes[n] };
          }
        }
        for (n = 0; n < boxes.length && !found; n++) {
          if (grid.free(boxes[n])) found = { position: "middle center", spot: n, box: boxes[n] };
        }
        for (n = 0; n < boxes.length && !found && label.required; n++) {
          if (grid.inside(boxes[n]) && !grid.hits(grid.labels, boxes[n])) {
            found = { position: "middle center", spot: n, box: boxes[n] };
          }
        }
      } else {
        // A label may touch its own marker (Plotly writes it right against it).
        var own = label.marker === undefined ? null : markerBox(markers[label.marker]);
        if (own) grid.mark(grid.markers, own, -1);
        var boxOf = label.note ? noteBox : textBox;
        for (var p = 0; p < POSITIONS.length && !found; p++) {
          var box = boxOf(POSITIONS[p], label.x, label.y, label.r, label.width, label.size);
          if (grid.free(box)) found = { position: POSITIONS[p], spot: null, box: box };
        }
        if (own) grid.mark(grid.markers, own, 1);
      }
      if (found) {
        grid.mark(grid.labels, found.box);
        placed[k] = found;
      }
    });
    return { placed: placed, checks: grid.checks };
  }

  /*
   * Which of the drawn labels to keep, most important first: `boxes` are the boxes the
   * browser drew ([{left, top, right, bottom, rank}] in px), in any order; a box that
   * leaves `frame` or meets one kept before it is not kept. Returns a keep flag per box.
   * The check after drawing, should a font measure otherwise than expected.
   */
  function keep(frame, boxes) {
    var grid = new Grid(frame);
    var order = boxes.map(function (_, k) { return k; });
    order.sort(function (a, b) { return (boxes[a].rank - boxes[b].rank) || (a - b); });
    var kept = boxes.map(function () { return false; });
    order.forEach(function (k) {
      var b = boxes[k];
      var shrunk = { left: b.left + 0.5, right: b.right - 0.5, top: b.top + 0.5, bottom: b.bottom - 0.5 };
      if (grid.inside(b) && !grid.hits(grid.labels, shrunk)) {
        grid.mark(grid.labels, shrunk);
        kept[k] = true;
      }
    });
    return kept;
  }

  var api = {
    place: place, keep: keep, textBox: textBox, noteBox: noteBox, POSITIONS: POSITIONS, CELL: CELL,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.trackerLabels = api;
})(typeof self !== "undefined" ? self : this);
