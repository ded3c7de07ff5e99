// The Eilmeldung banner: every page asks /live/eilmeldung/ (a short-lived public answer,
// purged when the newsroom changes the banner) and shows the line it gets; it hides the
// banner again at its end time. Cached pages stay the same for every reader.
(function () {
  "use strict";
  function start() {
    var banner = document.querySelector("[data-breaking]");
    if (!banner || !window.fetch) {
      return;
    }
    fetch(banner.getAttribute("data-breaking"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (answer) {
        if (!answer.text) {
          return;
        }
        // The line is made here: an anchor without an address in the page would be a
        // link that leads nowhere (for readers of the hidden banner and for crawlers).
        var line = document.createElement(answer.url ? "a" : "span");
        line.className = "breaking__link";
        line.textContent = answer.text;
        if (answer.url) {
          line.setAttribute("href", answer.url);
        }
        var old = banner.querySelector(".breaking__link");
        if (old) {
          banner.replaceChild(line, old);
        } else {
          banner.appendChild(line);
        }
        banner.hidden = false;
        var left = Date.parse(answer.ends_at) - Date.now();
        if (left > 0 && left < 2147483647) {
          window.setTimeout(function () {
            banner.hidden = true;
          }, left);
        }
      })
      .catch(function () {});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
