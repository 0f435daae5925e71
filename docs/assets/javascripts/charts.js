/*
 * Draws the site's Plotly charts.
 *
 * A chart on a page is an empty <div class="chart" data-src="…/charts/x.json">. This script
 * runs on every page load *and* after each Material instant navigation (document$), loads
 * plotly.js from the site itself only when the page has a chart, fetches the figure and
 * draws it with colours taken from the current light or dark palette. Switching the palette
 * redraws every chart.
 *
 * Colours in a figure are names ("--tracker-attack"): CSS custom properties of site.css,
 * which gives each a value per palette, so one meaning has one colour on every chart.
 * Charts with a bar or a column per month turn on their side (months down, a row each)
 * when the screen is too narrow for a label under every month. Plotly's toolbar is off (it
 * covers bars on phones, adds tab stops and offers an upload to Plotly's cloud); a
 * "Download PNG" button under each chart saves the picture instead, and beside it an
 * "Embed" button shows the code (an iframe of the chart's page of its own, /embed/<id>/)
 * that other sites paste to show the chart; the generator writes that code into the
 * figure's data-embed-code (empty when the site was built without its address).
 *
 * On an embed page (body.embed) the chart is drawn alone: no buttons, and a clicked marker
 * opens its page in a new tab rather than inside the embedding site's frame.
 */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var SITE_ROOT = new URL("../../", here || window.location.href).href;
  var PLOTLY_URL = new URL("assets/vendor/plotly.min.js", SITE_ROOT).href;
  var LABELS_URL = new URL("assets/javascripts/labels.js", SITE_ROOT).href;
  var CONFIG = {
    responsive: true,
    displayModeBar: false,
    topojsonURL: new URL("assets/vendor/topojson/", SITE_ROOT).href, // no map service
  };
  var NARROW = 560; // px: a phone
  var figures = {}; // url -> Promise of figure JSON
  var drawn = []; // chart elements currently drawn

  /*
   * plotly.js keeps its CSS in <style id="plotly.js-style-global">, which it adds to <head>
   * once. Material's instant navigation removes <head> elements the next page lacks, and the
   * charts on that page would then lose their layout. So the element is made here, in
   * <body>, where navigation leaves it alone; plotly.js finds it by id and fills it.
   */
  function keepPlotlyStyles() {
    if (!document.getElementById("plotly.js-style-global")) {
      var style = document.createElement("style");
      style.id = "plotly.js-style-global";
      document.body.appendChild(style);
    }
  }

  var scripts = {}; // url -> Promise, for the scripts loaded on pages with charts
  function loadScript(url, name) {
    if (window[name]) return Promise.resolve(window[name]);
    if (!scripts[url]) {
      scripts[url] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.async = true;
        script.onload = function () { resolve(window[name]); };
        script.onerror = function () {
          delete scripts[url];
          reject(new Error("could not load " + url));
        };
        document.head.appendChild(script);
      });
    }
    return scripts[url];
  }

  function loadPlotly() {
    keepPlotlyStyles();
    return loadScript(PLOTLY_URL, "Plotly");
  }

  /* A figure whose labels are placed in the browser needs labels.js first. */
  function withLabels(figure) {
    if (!hasPlacedLabels(figure.data)) return figure;  // the map's, or an episode's
    return loadScript(LABELS_URL, "trackerLabels").then(function () { return figure; });
  }

  function fetchFigure(url) {
    if (!figures[url]) {
      figures[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      });
      figures[url].catch(function () { delete figures[url]; });
    }
    return figures[url];
  }

  function cssVar(style, name, fallback) {
    var value = style.getPropertyValue(name).trim();
    return value || fallback;
  }

  /* A copy of a figure part with every colour name replaced by its value in this palette.
     Only colour properties are read as names: text from the data is never touched. */
  var COLOUR_KEY = /colou?r(scale|way)?$/i;
  function resolve(value, style, isColour) {
    if (typeof value === "string") {
      return isColour && /^--tracker-[a-z0-9-]+$/.test(value) ? cssVar(style, value, "#888") : value;
    }
    if (Array.isArray(value)) {
      return value.map(function (v) { return resolve(v, style, isColour); });
    }
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (key) {
        out[key] = resolve(value[key], style, isColour || COLOUR_KEY.test(key));
      });
      return out;
    }
    return value;
  }

  function transpose(rows) {
    if (!Array.isArray(rows) || !rows.length || !Array.isArray(rows[0])) return rows;
    return rows[0].map(function (_, k) { return rows.map(function (row) { return row[k]; }); });
  }

  /*
   * How a chart with a bar or a column per month shows its months, by the room each month
   * has on the plot: "across" (short labels, the year under January), "upright" (each
   * label "Jun 2021" turned upright), or "side" (the chart on its side: months down the
   * left, a row each). Every month keeps its own label in all three.
   */
  var ACROSS = 28; // px per month for labels side by side
  var UPRIGHT = 15; // px per month for upright labels

  function monthMode(el, layout) {
    var months = layout.meta && layout.meta.months;
    if (!months) return "none";
    var size = el._fullLayout && el._fullLayout._size;
    var width = size ? size.w : el.clientWidth - 90;
    if (el.getAttribute("data-months") === "side" && size) {
      width = el.clientWidth - (el._acrossMargin || 90); // as if drawn across again
    }
    var each = width / months.length;
    return each >= ACROSS ? "across" : each >= UPRIGHT ? "upright" : "side";
  }

  function upright(layout) {
    var axis = Object.assign({}, layout.xaxis, { ticktext: layout.meta.months, tickangle: -90 });
    return Object.assign({}, layout, { xaxis: axis });
  }

  function onItsSide(data, layout) {
    var months = layout.meta.months;
    var monthAxis = Object.assign({}, layout.xaxis, {
      ticktext: months, autorange: "reversed", automargin: true, tickangle: 0,
    });
    var other = Object.assign({}, layout.yaxis);
    delete other.autorange;
    var heatmap = data[0] && data[0].type === "heatmap";
    var turned = data.map(function (trace) {
      var t = Object.assign({}, trace, { x: trace.y, y: trace.x });
      if (trace.type === "heatmap") {
        t.z = transpose(trace.z);
        t.text = transpose(trace.text);
        t.customdata = transpose(trace.customdata);
      } else if (trace.type === "scatter") {
        t.textposition = "middle right";  // a bar's total, now at its end
      } else {
        t.orientation = "h";
      }
      return t;
    });
    var out = Object.assign({}, layout, { xaxis: other, yaxis: monthAxis });
    if (heatmap) out.xaxis = Object.assign({}, other, { side: "top", tickangle: -90 });
    return { data: turned, layout: out, height: (heatmap ? 200 : 170) + 24 * months.length };
  }

  /*
   * Heatmap numbers legible on every cell: Plotly picks dark grey or white text by the
   * cell's brightness, which leaves some cells near 3.5:1. Each number here gets black or
   * white, whichever contrasts more with its own cell's colour (at least 4.58:1 by WCAG's
   * formula, whatever the colour).
   */
  var probe = null;
  function rgbOf(colour) {
    if (!probe) {
      probe = document.createElement("span");
      probe.hidden = true;
      document.body.appendChild(probe);
    }
    probe.style.color = "";
    probe.style.color = colour;
    var parts = getComputedStyle(probe).color.match(/[\d.]+/g) || ["0", "0", "0"];
    return parts.slice(0, 3).map(Number);
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  /* The colour a value takes on a colour scale ([[0, colour], …, [1, colour]]), as Plotly
     draws it: between two stops, mixed in RGB. */
  function scaleColour(scale, position) {
    for (var k = 1; k < scale.length; k++) {
      if (position <= scale[k][0] || k === scale.length - 1) {
        var a = scale[k - 1], b = scale[k];
        var t = b[0] > a[0] ? Math.min(1, Math.max(0, (position - a[0]) / (b[0] - a[0]))) : 0;
        var x = rgbOf(a[1]), y = rgbOf(b[1]);
        return x.map(function (v, n) { return v + (y[n] - v) * t; });
      }
    }
    return rgbOf(scale[0][1]);
  }

  function legibleNumbers(trace, narrow) {
    if (trace.type !== "heatmap" || !Array.isArray(trace.colorscale) || !trace.text) return trace;
    var low = trace.zmin, high = trace.zmax, scale = trace.colorscale;
    var text = trace.text.map(function (row, r) {
      return row.map(function (value, c) {
        if (!value) return value;
        var cell = luminance(scaleColour(scale, (trace.z[r][c] - low) / (high - low)));
        var onBlack = (cell + 0.05) / 0.05, onWhite = 1.05 / (cell + 0.05);
        return '<span style="color:' + (onBlack >= onWhite ? "#000000" : "#ffffff") + '">' +
          String(value).replace(/[<>&]/g, "") + "</span>";
      });
    });
    // A size of its own: Plotly would shrink the text to fit the markup's length.
    var font = Object.assign({ size: narrow ? 10 : 12 }, trace.textfont);
    return Object.assign({}, trace, { text: text, textfont: font });
  }

  /* Layout colours for the palette in use (Material sets these variables per scheme). */
  function themeLayout() {
    var style = getComputedStyle(document.body);
    var fg = cssVar(style, "--md-default-fg-color", "#222");
    var muted = cssVar(style, "--md-default-fg-color--light", "#666");
    var grid = cssVar(style, "--md-default-fg-color--lightest", "#ddd");
    var bg = cssVar(style, "--md-default-bg-color", "#fff");
    var axis = { gridcolor: grid, linecolor: muted, zerolinecolor: grid, tickcolor: muted };
    var geo = {
      bgcolor: "rgba(0,0,0,0)", landcolor: grid, countrycolor: muted, coastlinecolor: muted,
      lakecolor: bg, rivercolor: "#56B4E9", subunitcolor: grid,
    };
    return {
      geo: geo,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: fg, family: style.fontFamily, size: 13 },
      hoverlabel: { bgcolor: bg, bordercolor: muted, font: { color: fg } },
      legend: { font: { color: fg } },
      margin: { l: 8, r: 8, t: 8, b: 8 },
      xaxis: Object.assign({ automargin: true }, axis),
      yaxis: Object.assign({ automargin: true }, axis),
      autosize: true,
    };
  }

  /* The figure's own settings win over the theme, except for colours the theme owns. */
  function merge(theme, own) {
    var out = Object.assign({}, theme);
    Object.keys(own || {}).forEach(function (key) {
      var a = theme[key];
      var b = own[key];
      var bothObjects = a && b && typeof a === "object" && typeof b === "object" &&
        !Array.isArray(a) && !Array.isArray(b);
      out[key] = bothObjects ? merge(a, b) : b;
    });
    return out;
  }

  /*
   * One draw of a chart at a time: a redraw asked for while one is under way (the palette
   * set just after the page loads, a phone's first resize) waits for it, as
   * react-plotly.js does, since two Plotly.react calls on one element can leave its
   * promise unresolved. A redraw that fails shows the same message as a first draw.
   */
  function draw(el, figure, mode) {
    var run = (el._drawing || Promise.resolve()).then(function () {
      return drawNow(el, figure, mode);
    });
    el._drawing = run.catch(function () {});
    return run;
  }

  function redraw(el) {
    draw(el, el._figure).catch(function (error) { fail(el, error); });
  }

  function drawNow(el, figure, mode) {
    var style = getComputedStyle(document.body);
    var theme = themeLayout();
    if (!figure.layout.geo) delete theme.geo;
    var layout = merge(theme, resolve(figure.layout, style, false));
    var narrow = el.clientWidth < NARROW;
    var data = resolve(figure.data, style, false).map(function (trace) {
      return legibleNumbers(trace, narrow);
    });
    if (!el.hasAttribute("data-height")) el.setAttribute("data-height", el.style.height);
    var height = parseInt(el.getAttribute("data-height"), 10);
    mode = mode || (layout.meta && layout.meta.months ? (el.getAttribute("data-months") || "across") : "none");
    if (mode === "upright") layout = upright(layout);
    if (mode === "side") {
      var side = onItsSide(data, layout);
      data = side.data;
      layout = side.layout;
      height = side.height;
    }
    if (narrow) {  // a phone: the heatmap's key goes above it, text a little smaller
      data = data.map(function (trace) {
        if (trace.type !== "heatmap") return trace;
        var below = mode === "side";  // on its side, the bases' names are above
        var bar = Object.assign({}, trace.colorbar, {
          orientation: "h", x: 0.5, xanchor: "center", y: below ? 0 : 1,
          yanchor: below ? "top" : "bottom", thickness: 10, len: 0.9, ypad: 10,
          title: Object.assign({}, (trace.colorbar || {}).title, { side: "top" }),
        });
        return Object.assign({}, trace, { colorbar: bar });
      });
      if (data[0] && data[0].type === "heatmap") height += 70;
      if (layout.geo) {  // the map keeps its shape: as tall as the width allows, labels smaller
        height = Math.round(el.clientWidth / 1.7) + 90;
        data = data.map(function (trace) { return onAPhone(trace, el.clientWidth); });
      }
      layout.legend = Object.assign({}, layout.legend, { font: { size: 11 } });
      layout.font = Object.assign({}, layout.font, { size: 12 });
    }
    el.style.height = height + "px";
    el.setAttribute("data-months", mode);
    el._narrow = narrow;
    el._drawnWidth = el.clientWidth;
    var mapLabels = layout.geo && hasPlacedLabels(data);
    var timeline = layout.meta && layout.meta.timeline;
    if (timeline && narrow) {  // a phone: smaller markers and labels
      data = data.map(function (trace) {
        if (!trace.meta || !trace.meta.lane) return trace;
        return Object.assign({}, trace, {
          marker: Object.assign({}, trace.marker, { size: 9 }),
          textfont: Object.assign({}, trace.textfont, { size: 10 }),
        });
      });
    }
    var first = mapLabels || timeline ? data.map(withoutLabels) : data;
    return window.Plotly.react(el, first, layout, CONFIG).then(function () {
      if (timeline) return arrangeTimeline(el, data, layout);
      if (!mapLabels) return null;
      var placed = placeMapLabels(el, data, layout);
      return window.Plotly.react(el, placed, layout, CONFIG).then(function () {
        return checkLabels(el, placed, layout, ".geo g.trace", plotFrame(el));
      });
    }).then(function () {
      if (mode === "across" && el._fullLayout && el._fullLayout._size) {
        el._acrossMargin = el.clientWidth - el._fullLayout._size.w;
      }
      var wanted = monthMode(el, layout);
      if (mode !== "none" && wanted !== mode && !el._settling) {
        el._settling = true;  // one more draw at most
        return drawNow(el, figure, wanted).then(function () { el._settling = false; });
      }
      if (layout.meta && layout.meta.link !== undefined && !el._linked) {
        el._linked = true;
        el.on("plotly_click", function (event) { follow(event, layout.meta.link); });
      }
      if (!embedded()) addTools(el);
      el.setAttribute("data-rendered", "true");
    });
  }

  /*
   * The map's labels, placed at the size it is drawn (labels.js): the country names of the
   * dataset first, at the first of their spots with room, then the places, most attacked
   * first, each beside its marker where it covers no marker and no other label; then the
   * neighbours' names. A place left without a label keeps its hover and its table row.
   * The figure gives each place's rank (meta.labels) and each name's spots
   * (meta.countries). After drawing, the labels the browser drew are measured, and any
   * that would still overprint or leave the map is taken out.
   */
  /* A map trace on a phone: smaller text, markers scaled with the map (to half their size
     at 440 px or less), and the places' short labels. */
  var MAP_WIDTH = 880; // px: the width the markers' sizes are meant for
  function onAPhone(trace, width) {
    var out = Object.assign({}, trace, { textfont: Object.assign({}, trace.textfont, { size: 10 }) });
    var scale = Math.max(0.5, Math.min(1, width / MAP_WIDTH));
    if (trace.marker && trace.marker.size !== undefined) {
      var size = trace.marker.size;
      out.marker = Object.assign({}, trace.marker, {
        size: Array.isArray(size) ? size.map(function (v) { return v * scale; }) : size * scale,
      });
    }
    if (trace.meta && trace.meta.labels && trace.meta.labels.short) out.text = trace.meta.labels.short;
    return out;
  }

  function hasPlacedLabels(data) {
    return data.some(function (t) { return t.meta && (t.meta.labels || t.meta.countries); });
  }

  function withoutLabels(trace) {
    if (!trace.meta || !(trace.meta.labels || trace.meta.countries)) return trace;
    return Object.assign({}, trace, { text: trace.text.map(function () { return ""; }) });
  }

  var measurer = null;
  function textWidth(text, size, family) {
    if (!measurer) measurer = document.createElement("canvas").getContext("2d");
    measurer.font = size + "px " + family;
    if (!/px/.test(measurer.font)) measurer.font = size + "px sans-serif";
    var plain = document.createElement("textarea");
    plain.innerHTML = text; // the labels are escaped for Plotly: &amp; is one character
    return measurer.measureText(plain.value).width;
  }

  function plotFrame(el) {
    var clip = el.querySelector("clipPath[id$='geo'] rect");
    var x = parseFloat(clip.getAttribute("x")), y = parseFloat(clip.getAttribute("y"));
    return {
      left: x, top: y,
      right: x + parseFloat(clip.getAttribute("width")),
      bottom: y + parseFloat(clip.getAttribute("height")),
    };
  }

  function placeMapLabels(el, data, layout) {
    var project = el._fullLayout.geo._subplot.projection;
    var family = layout.font && layout.font.family || "sans-serif";
    var markers = [], labels = [];
    data.forEach(function (trace, t) {
      var meta = trace.meta || {};
      var size = (trace.textfont && trace.textfont.size) || 12;
      if (meta.countries) {
        trace.text.forEach(function (text, k) {
          labels.push({
            trace: t, point: k, size: size, required: meta.countries.required[k],
            rank: meta.countries.required[k] ? -1 : Infinity,
            width: textWidth(text, size, family),
            spots: meta.countries.spots[k].map(function (spot) {
              var xy = project([spot[1], spot[0]]);
              return { x: xy[0], y: xy[1], lat: spot[0], lon: spot[1] };
            }),
          });
        });
        return;
      }
      if (!trace.marker) return;
      trace.lat.forEach(function (lat, k) {
        var xy = project([trace.lon[k], lat]);
        var sizes = trace.marker.size;
        var r = (Array.isArray(sizes) ? sizes[k] : sizes || 6) / 2;
        markers.push({ x: xy[0], y: xy[1], r: r });
        if (meta.labels && trace.text[k]) {
          labels.push({
            trace: t, point: k, x: xy[0], y: xy[1], r: r, size: size, rank: meta.labels.rank[k],
            marker: markers.length - 1,
            width: textWidth(trace.text[k], size, family),
          });
        }
      });
    });
    var result = window.trackerLabels.place(plotFrame(el), markers, labels);
    var out = data.map(function (trace) {
      if (!trace.meta || !(trace.meta.labels || trace.meta.countries)) return trace;
      var copy = Object.assign({}, trace, { text: trace.text.map(function () { return ""; }) });
      if (trace.meta.labels) {
        copy.textposition = trace.text.map(function () { return "middle right"; });
      } else {
        copy.lat = trace.lat.slice();
        copy.lon = trace.lon.slice();
      }
      return copy;
    });
    labels.forEach(function (label, k) {
      var found = result.placed[k];
      if (!found) return;
      var trace = out[label.trace];
      trace.text[label.point] = data[label.trace].text[label.point];
      if (label.spots) {
        trace.lat[label.point] = label.spots[found.spot].lat;
        trace.lon[label.point] = label.spots[found.spot].lon;
      } else {
        trace.textposition[label.point] = found.position;
      }
    });
    el._labelRanks = labels;
    return out;
  }

  /* The labels as drawn (in the groups `traces` selects): any that leaves `frame` or meets
     a label placed before it goes. */
  function checkLabels(el, data, layout, traces, frame) {
    var svg = el.querySelector("svg.main-svg").getBoundingClientRect();
    var rank = {};
    (el._labelRanks || []).forEach(function (l) { rank[l.trace + ":" + l.point] = l.rank; });
    var drawn = [];
    el.querySelectorAll(traces).forEach(function (group) {
      var calc = group.__data__ && group.__data__[0];
      if (!calc || !calc.trace) return;
      group.querySelectorAll("text").forEach(function (text) {
        var point = text.parentNode.__data__ || text.__data__;
        if (!text.textContent || !point || point.i === undefined) return;
        var b = text.getBoundingClientRect();
        var key = calc.trace.index + ":" + point.i;
        drawn.push({
          left: b.left - svg.left, right: b.right - svg.left, top: b.top - svg.top,
          bottom: b.bottom - svg.top, rank: key in rank ? rank[key] : Infinity,
          trace: calc.trace.index, point: point.i,
        });
      });
    });
    var kept = window.trackerLabels.keep(frame, drawn);
    var dropped = drawn.filter(function (_, k) { return !kept[k]; });
    if (!dropped.length) return null;
    var texts = {};
    dropped.forEach(function (d) {
      if (!texts[d.trace]) texts[d.trace] = data[d.trace].text.slice();
      texts[d.trace][d.point] = "";
    });
    var indices = Object.keys(texts).map(Number);
    return window.Plotly.restyle(el, { text: indices.map(function (t) { return texts[t]; }) }, indices);
  }

  /*
   * Timelines that never overprint (the escalation timeline and each episode's chart),
   * arranged at the size they are drawn, once a first draw has laid out the time axis:
   * - markers are stacked outwards from their lane (attacks up, US strikes down) where they
   *   would touch one already there, each on the first level free at its time (a level
   *   keeps only its rightmost marker, so n markers on L levels take n × L steps); the
   *   chart grows to hold the levels, and the lines and arrows follow their markers;
   * - episode numbers that would meet go up a row;
   * - an episode's place labels are placed by labels.js beside their markers where they
   *   cover no marker and no label and stay on the chart; the rest are left out, as the
   *   chronology under the chart names every place.
   * The figure says what to do in meta.timeline; each marker names its incident by the
   * page it opens (customdata[4]), and each line and arrow its two incidents.
   */
  var GAP = 2; // px between two markers, and between two episode numbers

  /* The width and height Plotly draws a marker in: a diamond reaches 1.3 times as far. */
  function markerExtent(symbol, size) {
    return /diamond/.test(symbol || "") ? size * 1.3 : size;
  }

  function stackMarkers(points) {
    var right = []; // for each level, the right edge of its last marker
    points.sort(function (a, b) { return a.x - b.x || a.trace - b.trace || a.k - b.k; });
    points.forEach(function (p) {
      var level = 0;
      while (level < right.length && right[level] + GAP > p.x - p.extent / 2) level++;
      right[level] = p.x + p.extent / 2;
      p.level = level;
    });
    return right.length;
  }

  function arrangeTimeline(el, data, layout) {
    var spec = layout.meta.timeline;
    var full = el._fullLayout, xa = full.xaxis, box = full._size;
    var around = el.clientHeight - box.h; // margins, axis and legend, as drawn
    var byKey = {}, lanes = { attack: [], strike: [] };
    data.forEach(function (trace, t) {
      if (!trace.meta || !trace.meta.lane || !trace.customdata) return;
      var size = trace.marker.size;
      trace.x.forEach(function (x, k) {
        var symbol = Array.isArray(trace.marker.symbol) ? trace.marker.symbol[k] : trace.marker.symbol;
        var p = {
          trace: t, k: k, x: xa.d2p(x) + box.l, size: size,
          extent: markerExtent(symbol, size), lane: trace.meta.lane,
        };
        byKey[trace.customdata[k][4]] = p;
        lanes[trace.meta.lane].push(p);
      });
    });
    var step = {}, levels = {};
    Object.keys(lanes).forEach(function (lane) {
      levels[lane] = Math.max(1, stackMarkers(lanes[lane]));
      step[lane] = lanes[lane].reduce(function (m, p) { return Math.max(m, p.extent); }, 0) + GAP;
    });
    var unit = 4 * Math.max(step.attack, step.strike); // px between the two lanes
    function yOf(p) {
      return p.lane === "attack" ? 1 + p.level * step.attack / unit : -p.level * step.strike / unit;
    }
    var top = 1 + ((levels.attack - 1) * step.attack + step.attack) / unit;
    var bottom = -((levels.strike - 1) * step.strike + step.strike) / unit;
    var plot = (top - bottom) * unit;

    var out = data.map(function (trace) {
      if (trace.meta && trace.meta.lane && trace.customdata) {
        return Object.assign({}, trace, {
          y: trace.x.map(function (_, k) { return yOf(byKey[trace.customdata[k][4]]); }),
        });
      }
      if (trace.meta && trace.meta.ends) {
        var ys = [];
        trace.meta.ends.forEach(function (pair) {
          ys.push(yOf(byKey[pair[0]]), yOf(byKey[pair[1]]), null);
        });
        return Object.assign({}, trace, { y: ys });
      }
      return trace;
    });
    var annotations = (layout.annotations || []).map(function (a) { return Object.assign({}, a); });
    (spec.arrows || []).forEach(function (pair, j) {
      annotations[j].y = yOf(byKey[pair[0]]);
      annotations[j].ay = yOf(byKey[pair[1]]);
    });
    var raise = 0;
    if (spec.numbers) raise = numberRows(annotations, xa, box, layout);
    var margin = Object.assign({}, layout.margin, { t: ((layout.margin || {}).t || 8) + raise });
    el.style.height = Math.round(plot + around + raise) + "px";
    var room = el.clientHeight - around - raise - plot; // a chart has a minimum height
    if (room > 0) {
      top += room / 2 / unit;
      bottom -= room / 2 / unit;
      plot += room;
    }
    var yaxis = Object.assign({}, layout.yaxis, { range: [bottom, top] });
    var arranged = Object.assign({}, layout, { yaxis: yaxis, annotations: annotations, margin: margin });

    var labelled = out.some(function (t) { return t.meta && t.meta.labels; });
    if (labelled) {  // an episode: its place labels become annotations where they find room
      var placed = placeTimelineLabels(el, out, lanes, {
        left: box.l, right: el.clientWidth - GAP, top: GAP,
        bottom: box.t + raise + plot,
        y: function (value) { return box.t + raise + (top - value) * unit; },
      }, arranged);
      out = placed.data;
      arranged.annotations = annotations.concat(placed.notes);
    }
    return window.Plotly.react(el, out, arranged, CONFIG).then(function () {
      return labelled ? checkNotes(el, annotations.length) : null;
    });
  }

  /* Episode numbers one above the other where they would meet: the rows they take. */
  function numberRows(annotations, xa, box, layout) {
    var family = layout.font && layout.font.family || "sans-serif";
    var right = [], rows = 1;
    var order = annotations.map(function (a, k) { return k; });
    order.sort(function (a, b) { return xa.d2p(annotations[a].x) - xa.d2p(annotations[b].x); });
    order.forEach(function (k) {
      var a = annotations[k];
      var size = (a.font && a.font.size) || 12;
      var half = textWidth(String(a.text), size, family) / 2 + GAP;
      var x = xa.d2p(a.x) + box.l;
      var row = 0;
      while (row < right.length && right[row] > x - half) row++;
      right[row] = x + half;
      a.yshift = row * (size + 4);
      rows = Math.max(rows, row + 1);
    });
    return (rows - 1) * 16;
  }

  /* Plotly's anchors for an annotation at each text position beside a marker. */
  var ANCHORS = {
    top: ["bottom", 1], middle: ["middle", 0], bottom: ["top", -1],
    left: ["right", -1], center: ["center", 0], right: ["left", 1],
  };

  function placeTimelineLabels(el, data, lanes, frame, layout) {
    var family = layout.font && layout.font.family || "sans-serif";
    var markers = [], labels = [];
    Object.keys(lanes).forEach(function (lane) {
      lanes[lane].forEach(function (p) {
        var trace = data[p.trace];
        var y = frame.y(trace.y[p.k]);
        markers.push({ x: p.x, y: y, r: p.extent / 2 });
        if (!trace.meta.labels || !trace.text[p.k]) return;
        var size = (trace.textfont && trace.textfont.size) || 12;
        labels.push({
          trace: p.trace, point: p.k, x: p.x, y: y, r: p.extent / 2, size: size, note: true,
          marker: markers.length - 1,
          rank: trace.meta.labels.rank[p.k], width: textWidth(trace.text[p.k], size, family),
        });
      });
    });
    var result = window.trackerLabels.place(frame, markers, labels);
    var notes = [];
    labels.forEach(function (label, k) {
      var found = result.placed[k];
      if (!found) return;
      var trace = data[label.trace];
      var v = ANCHORS[found.position.split(" ")[0]], h = ANCHORS[found.position.split(" ")[1]];
      var gap = label.r + 2;
      notes.push({
        x: trace.x[label.point], y: trace.y[label.point], xref: "x", yref: "y",
        text: trace.text[label.point], showarrow: false, borderpad: 1,
        xanchor: h[0], xshift: h[1] * gap, yanchor: v[0], yshift: v[1] * gap,
        font: { size: label.size }, rank: label.rank,
      });
    });
    var out = data.map(function (trace) {  // the labels are the annotations now
      if (!trace.meta || !trace.meta.labels) return trace;
      return Object.assign({}, trace, { mode: "markers" });
    });
    return { data: out, notes: notes.map(function (n) { delete n.rank; return n; }) };
  }

  /* The place labels as drawn (the annotations from `first` on): any that leaves the chart
     or meets one before it is hidden. */
  function checkNotes(el, first) {
    var svg = el.querySelector("svg.main-svg").getBoundingClientRect();
    var drawn = [];
    el.querySelectorAll("g.annotation[data-index]").forEach(function (g) {
      var k = Number(g.getAttribute("data-index"));
      var text = g.querySelector("text");
      if (k < first || !text || !text.textContent) return;
      var b = text.getBoundingClientRect();
      drawn.push({
        left: b.left - svg.left, right: b.right - svg.left, top: b.top - svg.top,
        bottom: b.bottom - svg.top, rank: k, index: k,
      });
    });
    var kept = window.trackerLabels.keep(timelineFrame(el), drawn);
    var hide = {};
    drawn.forEach(function (d, k) { if (!kept[k]) hide["annotations[" + d.index + "].visible"] = false; });
    return Object.keys(hide).length ? window.Plotly.relayout(el, hide) : null;
  }

  function timelineFrame(el) {
    var box = el._fullLayout._size;
    return { left: box.l, right: el.clientWidth - GAP, top: GAP, bottom: box.t + box.h };
  }

  function embedded() {
    return document.body.classList.contains("embed");
  }

  /* Under the chart: "Download PNG" (the picture as drawn, at twice its size) and, for the
     charts offered to other sites, "Embed" with its code. */
  function addTools(el) {
    var next = el.nextElementSibling;
    if (next && next.classList.contains("chart-tools")) return;
    var tools = document.createElement("div");
    tools.className = "chart-tools";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button chart-download";
    button.textContent = "Download PNG";
    var name = (el.getAttribute("data-src") || "chart").split("/").pop().replace(/\.json$/, "");
    var caption = el.parentNode.querySelector("figcaption strong");
    var title = caption ? caption.textContent.replace(/\.$/, "") : "the chart";
    button.setAttribute("aria-label", "Download PNG: " + title);
    button.addEventListener("click", function () {
      window.Plotly.downloadImage(el, {
        format: "png", filename: name, scale: 2,
        width: el.clientWidth, height: el.clientHeight,
      });
    });
    tools.appendChild(button);
    el.parentNode.insertBefore(tools, next);
    var figure = el.closest("figure");
    if (figure && figure.hasAttribute("data-embed-code")) addEmbed(figure, tools, title);
  }

  /* "Embed": shows the iframe code to copy, or says why there is none. */
  function addEmbed(figure, tools, title) {
    var code = figure.getAttribute("data-embed-code");
    var panel = document.createElement("div");
    panel.className = "chart-embed";
    panel.id = figure.id + "-embed";
    panel.hidden = true;
    if (code) {
      var label = document.createElement("label");
      label.setAttribute("for", panel.id + "-code");
      label.textContent = "To show this chart on another site, paste this code into its page:";
      var box = document.createElement("textarea");
      box.id = panel.id + "-code";
      box.className = "chart-embed__code";
      box.readOnly = true;
      box.rows = 4;
      box.spellcheck = false;
      box.value = code;  // text, never markup
      box.addEventListener("focus", function () { box.select(); });
      panel.appendChild(label);
      panel.appendChild(box);
      if (navigator.clipboard) {
        var copy = document.createElement("button");
        copy.type = "button";
        copy.className = "md-button chart-embed__copy";
        copy.textContent = "Copy code";
        copy.addEventListener("click", function () {
          navigator.clipboard.writeText(code).then(function () {
            copy.textContent = "Copied";
            window.setTimeout(function () { copy.textContent = "Copy code"; }, 1500);
          });
        });
        panel.appendChild(copy);
      }
    } else {
      var why = document.createElement("p");
      why.textContent = "Embedding needs the site's address, and this copy of the site was " +
        "built without one (see \u201cWhere the site lives\u201d in the project's README).";
      panel.appendChild(why);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button chart-embed-button";
    button.textContent = "Embed";
    button.setAttribute("aria-label", "Embed: " + title);
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", panel.id);
    button.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", String(!panel.hidden));
    });
    tools.appendChild(button);
    tools.parentNode.insertBefore(panel, tools.nextSibling);
  }

  /* Open the page a clicked marker stands for; through a link, so instant navigation works. */
  function follow(event, index) {
    var data = event.points && event.points[0] && event.points[0].customdata;
    if (!data || !data.length) return;
    var target = data[index < 0 ? data.length + index : index];
    if (typeof target !== "string") return;
    var link = document.createElement("a");
    link.href = new URL(target, SITE_ROOT).href;
    if (embedded()) {  // not inside the embedding site's frame
      link.target = "_blank";
      link.rel = "noopener";
    }
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function fail(el, error) {
    el.setAttribute("data-rendered", "error");
    el.classList.add("chart--error");
    el.textContent = "";
    var message = document.createElement("p");
    message.textContent = /topojson/i.test(error.message)
      ? "The base map could not be loaded, so the map is not shown. The table below lists " +
        "every place with its coordinates."
      : "The chart could not be drawn. The table below has the same numbers.";
    var detail = document.createElement("small");
    detail.textContent = error.message;
    el.appendChild(message);
    el.appendChild(detail);
  }

  function renderAll() {
    drawn = drawn.filter(function (el) {
      if (document.body.contains(el)) return true;
      if (window.Plotly) window.Plotly.purge(el);
      return false;
    });
    var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[data-src]"));
    if (!charts.length) return;
    loadPlotly().then(function () {
      charts.forEach(function (el) {
        var url = new URL(el.getAttribute("data-src"), window.location.href).href;
        fetchFigure(url)
          .then(withLabels)
          .then(function (figure) {
            el._figure = figure;
            drawn.push(el);
            return draw(el, figure);
          })
          .catch(function (error) { fail(el, error); });
      });
    }, function (error) {
      charts.forEach(function (el) { fail(el, error); });
    });
  }

  function redrawAll() {
    drawn.forEach(function (el) {
      if (el._figure && document.body.contains(el)) redraw(el);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }

  /* Redraw month charts whose labels no longer fit (or fit better) after a resize. */
  var resizing = null;
  window.addEventListener("resize", function () {
    if (resizing) window.cancelAnimationFrame(resizing);
    resizing = window.requestAnimationFrame(function () {
      drawn.forEach(function (el) {
        if (!el._figure || !document.body.contains(el)) return;
        var narrow = el.clientWidth < NARROW;
        var mode = el.getAttribute("data-months");
        var meta = el._figure.layout.meta || {};
        var relabel = (el._figure.layout.geo || meta.timeline) && el.clientWidth !== el._drawnWidth;
        if (relabel || narrow !== el._narrow ||
            (mode !== "none" && monthMode(el, el._figure.layout) !== mode)) {
          redraw(el);
        }
      });
    });
  });

  new MutationObserver(redrawAll).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"],
  });
})();
