/*
 * Embed pages (/embed/<chart>/): a chart alone, shown by other sites in an iframe.
 *
 * Picks the palette before charts.js draws: ?theme=dark or ?theme=light when the embedding
 * site asks for one, else the reader's own preference (prefers-color-scheme), followed when
 * it changes. The palette is the body's data-md-color-scheme, as on the site's own pages, so
 * the same colour names resolve to the same colours; charts.js redraws when it changes.
 *
 * Tells the embedding page how tall it is: in a narrow frame charts.js turns a chart with a
 * column per month on its side and makes it taller, so the iframe's height from the embed
 * code (the chart's desktop height and room for its title, caption and source line) may cut
 * it off. On load and whenever its size changes, the page posts
 * {type: "incident-tracker:embed-height", chart: <chart id>, height: <px>} to its parent;
 * the script in the embed code (pages.EMBED_SCRIPT) sets the height of the iframe that sent
 * it. Hosts that strip scripts keep the iframe's own height.
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

  if (window.parent === window) return;  // not in a frame
  var chart = document.body.getAttribute("data-embed");
  var posted = 0;

  function postHeight() {
    // The page's own height (html has no margin and is as tall as its content; the
    // frame's height does not change it, so setting it cannot start a loop).
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!height || height === posted) return;
    posted = height;
    window.parent.postMessage(
      { type: "incident-tracker:embed-height", chart: chart, height: height }, "*"
    );
  }

  window.addEventListener("load", postHeight);
  window.addEventListener("resize", postHeight);
  if (window.ResizeObserver) new ResizeObserver(postHeight).observe(document.documentElement);
  postHeight();
})();
