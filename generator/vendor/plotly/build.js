// `make plotly-bundle`: plotly.min.js from entry.js, bundled and minified by esbuild with the
// options of plotly.js's own build (its esbuild-config.js), so that the same lock file gives
// the same bytes.
const esbuild = require("esbuild");
const { version } = require("plotly.js/package.json");

esbuild.buildSync({
  entryPoints: ["entry.js"],
  outfile: "plotly.min.js",
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  legalComments: "none",
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  // maplibre's stylesheet, which plotly.js asks for only for map traces: the site has none.
  loader: { ".css": "empty" },
  banner: {
    js:
      `/**\n* plotly.js v${version} (the traces scatter, bar, heatmap and scattergeo)\n` +
      "* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n" +
      "* Licensed under the MIT license\n*/",
  },
});
