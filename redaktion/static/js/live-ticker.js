// The Liveticker's new entries: every few seconds the page asks its poll endpoint for
// entries newer than the newest it shows. They wait behind a "N neue Einträge" button, so
// nothing moves under the reader's eyes; a click puts them on top of the stream. Without
// this script the page is complete on reload.
(function () {
  "use strict";
  var section = document.querySelector("[data-live-poll]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-live-poll");
  var since = parseInt(section.getAttribute("data-live-since"), 10) || 0;
  var interval = (parseInt(section.getAttribute("data-live-interval"), 10) || 10) * 1000;
  var stream = section.querySelector(".live__stream");
  var bar = section.querySelector(".live__new");
  var button = section.querySelector(".live__new-button");
  var waiting = [];
  var timer = null;

  function label(count) {
    if (count === 1) {
      return section.getAttribute("data-live-one");
    }
    return section.getAttribute("data-live-many").replace("%(count)s", String(count));
  }

  function show() {
    if (!waiting.length) {
      bar.hidden = true;
      return;
    }
    button.textContent = label(waiting.length);
    bar.hidden = false;
  }

  function poll() {
    fetch(url + "?since=" + since, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && answer.since === since && answer.entries.length) {
          answer.entries.forEach(function (entry) {
            if (!document.getElementById("eintrag-" + entry.id)) {
              waiting.push(entry);
            }
          });
          since = answer.latest;
          show();
        }
        if (answer && answer.closed) {
          return;
        }
        timer = window.setTimeout(poll, interval);
      })
      .catch(function () {
        timer = window.setTimeout(poll, interval);
      });
  }

  button.addEventListener("click", function () {
    var first = stream.firstChild;
    waiting.forEach(function (entry) {
      var holder = document.createElement("div");
      holder.innerHTML = entry.html;
      var node = holder.firstElementChild;
      if (node) {
        stream.insertBefore(node, first);
        first = node;
      }
    });
    waiting = [];
    show();
    if (first && first.focus) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden || timer === null) {
      return;
    }
    window.clearTimeout(timer);
    poll();
  });

  timer = window.setTimeout(poll, interval);
})();
