// refresh.js: reload a page that reports work still going on (a regrade's progress) every
// data-refresh-secs seconds. Without JavaScript the page's <noscript> meta refresh does the same.
// Hand-written, no dependencies: it is not part of the npm bundle.
(function () {
  "use strict";
  var el = document.querySelector("[data-refresh-secs]");
  if (!el) return;
  var secs = parseInt(el.getAttribute("data-refresh-secs"), 10);
  if (!(secs > 0)) return;
  window.setTimeout(function () { window.location.reload(); }, secs * 1000);
})();
