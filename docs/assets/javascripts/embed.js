/*
 * Embed pages (/embed/<chart>/): a chart alone, shown by other sites in an iframe.
 *
 * Picks the palette before charts.js draws: ?theme=dark or ?theme=light when the embedding
 * site asks for one, else the reader's own preference (prefers-color-scheme), followed when
 * it changes. The palette is the body's data-md-color-scheme, as on the site's own pages, so
 * the same colour names resolve to the same colours; charts.js redraws when it changes.
 */
(function () {
  "use strict";

  var asked = new URLSearchParams(window.location.search).get("theme");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function apply() {
    var scheme = asked === "dark" || asked === "light"
      ? asked
      : (dark && dark.matches ? "dark" : "light");
    document.body.setAttribute("data-md-color-scheme", scheme === "dark" ? "slate" : "default");
  }

  apply();
  if (dark && asked !== "dark" && asked !== "light") {
    if (dark.addEventListener) dark.addEventListener("change", apply);
    else if (dark.addListener) dark.addListener(apply);
  }
})();
