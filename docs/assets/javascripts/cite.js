/*
 * Citations on incident pages: fill in today's date as the access date, the page's own
 * address where the site was built without one (it then names none: no made-up address),
 * and copy buttons.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function setup() {
    var today = new Date();
    document.querySelectorAll("[data-access-date]").forEach(function (el) {
      el.textContent = el.hasAttribute("data-iso")
        ? today.toISOString().slice(0, 10)
        : "on " + today.getDate() + " " + MONTHS[today.getMonth()] + " " + today.getFullYear();
    });
    document.querySelectorAll("[data-page-address]").forEach(function (el) {
      var address = new URL(el.getAttribute("data-page-address") || "", window.location.href);
      el.textContent = address.origin + address.pathname;  // the permanent address, as served
    });
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = source.textContent.replace(/\s+\n/g, "\n").trim();
        navigator.clipboard.writeText(text).then(function () {
          var label = button.textContent;
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
