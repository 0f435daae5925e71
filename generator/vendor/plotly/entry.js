// The plotly.js the site serves: its core (which holds the scatter trace and every
// component: legends, annotations, shapes, hover, the mode bar) and the other traces the
// charts use. A chart of another trace type needs it added here; tests/test_charts.py
// checks every chart's traces against BUNDLED_TRACES in generator/build.py.
var Plotly = require("plotly.js/lib/core");
Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/heatmap"),
  require("plotly.js/lib/scattergeo"),
]);
module.exports = Plotly;
