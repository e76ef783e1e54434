// The flow explorer steps without reloading: a step link's page is fetched and its explorer
// swapped in, and the address follows. Without this script the same links reload the page.
// A picture wider than its box (a phone's) is scrolled to the current step's node.
(function () {
  "use strict";
  var root = document.getElementById("explorer");
  if (!root) {
    return;
  }

  // showCurrent centres each scrolling picture on the node drawn as the current step.
  function showCurrent() {
    var boxes = root.querySelectorAll(".graph-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth <= box.clientWidth) {
        continue;
      }
      var marks = box.querySelectorAll(".graph-focus"), mark = null;
      for (var j = 0; j < marks.length; j++) {
        if (marks[j].getBoundingClientRect().width > 0) {
          mark = marks[j]; // the one of the picture shown (wide or tall)
        }
      }
      if (mark) {
        var b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
        box.scrollLeft += (m.left + m.width / 2) - (b.left + b.width / 2);
      }
    }
  }
  showCurrent();
  if (!window.fetch || !window.DOMParser) {
    return;
  }

  function swap(href, push, focusId) {
    return fetch(href, { credentials: "same-origin" }).then(function (resp) {
      if (!resp.ok) {
        throw new Error("status " + resp.status);
      }
      return resp.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var next = doc.getElementById("explorer");
      if (!next) {
        throw new Error("no explorer");
      }
      root.innerHTML = next.innerHTML;
      showCurrent();
      if (push) {
        history.pushState({ explorer: true }, "", href);
      }
      var again = focusId && document.getElementById(focusId);
      if (again) {
        again.focus();
      }
    }).catch(function () {
      window.location.href = href; // let the server show whatever went wrong
    });
  }

  root.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-step]");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) {
      return;
    }
    ev.preventDefault();
    swap(a.href, true, a.id);
  });

  window.addEventListener("popstate", function () {
    swap(window.location.href, false, null);
  });
})();
