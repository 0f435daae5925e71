/*
 * Draws the site's Plotly charts.
 *
 * A chart on a page is an empty <div class="chart" data-src="…/charts/x.json">. This script
 * runs on every page load *and* after each Material instant navigation (document$), loads
 * plotly.js from the site itself only when the page has a chart, fetches the figure and
 * draws it with colours taken from the current light or dark palette. Switching the palette
 * redraws every chart.
 */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var SITE_ROOT = new URL("../../", here || window.location.href).href;
  var PLOTLY_URL = new URL("assets/vendor/plotly.min.js", SITE_ROOT).href;
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toImage"],
    topojsonURL: new URL("assets/vendor/topojson/", SITE_ROOT).href, // no map service
  };
  var plotlyPromise = null;
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

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    keepPlotlyStyles();
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = PLOTLY_URL;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () {
          plotlyPromise = null;
          reject(new Error("could not load " + PLOTLY_URL));
        };
        document.head.appendChild(script);
      });
    }
    return plotlyPromise;
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
      colorway: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"],
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

  function draw(el, figure) {
    var theme = themeLayout();
    if (!figure.layout.geo) delete theme.geo;
    var layout = merge(theme, figure.layout);
    var data = figure.data;
    if (el.clientWidth < 520) {  // a phone: the colour scale would take a third of the width
      data = data.map(function (trace) {
        return trace.type === "heatmap" ? Object.assign({}, trace, { showscale: false }) : trace;
      });
      layout.legend = Object.assign({}, layout.legend, { font: { size: 11 } });
    }
    return window.Plotly.react(el, data, layout, CONFIG).then(function () {
      if (layout.meta && layout.meta.link !== undefined && !el._linked) {
        el._linked = true;
        el.on("plotly_click", function (event) { follow(event, layout.meta.link); });
      }
      el.setAttribute("data-rendered", "true");
    });
  }

  /* Open the page a clicked marker stands for; through a link, so instant navigation works. */
  function follow(event, index) {
    var data = event.points && event.points[0] && event.points[0].customdata;
    if (!data || !data.length) return;
    var target = data[index < 0 ? data.length + index : index];
    if (typeof target !== "string") return;
    var link = document.createElement("a");
    link.href = new URL(target, SITE_ROOT).href;
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
      if (el._figure && document.body.contains(el)) draw(el, el._figure);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }

  new MutationObserver(redrawAll).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"],
  });
})();
