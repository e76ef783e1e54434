// verdict.js: while an answer waits for its verdict, ask the server (a long poll) and reload the
// page once the verdict has landed. Without JavaScript the page's Refresh header does the same.
// Hand-written, no dependencies: it is not part of the npm bundle.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var tries = 0;
  function poll() {
    tries++;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && s.status === "done") { window.location.reload(); return; }
        if (s && s.status) box.textContent = s.status === "judging" ? "Being judged…" : "Waiting in the queue…";
        if (tries < 100) window.setTimeout(poll, 500);
      })
      .catch(function () { if (tries < 100) window.setTimeout(poll, 2000); });
  }
  poll();
})();
