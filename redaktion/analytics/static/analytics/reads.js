/*
 * Reads: counts a read of the article without cookies or storage.
 *
 * The article page carries a hidden element with the beacon's address and the article's id
 * (analytics/includes/read_beacon.html; none in an editor's preview). Once the article has
 * been on screen (the tab visible, the article in view) for data-read-after milliseconds in
 * all, one beacon is sent with navigator.sendBeacon: the article's id and the host of the
 * page the reader came from, nothing else. A prerendered page counts only once it is shown.
 */
(function () {
  "use strict";

  var marker = document.querySelector("[data-read-beacon]");
  if (!marker) {
    return;
  }
  var beaconUrl = marker.getAttribute("data-read-beacon");
  var needed = parseInt(marker.getAttribute("data-read-after"), 10) || 5000;
  var article = document.querySelector("article") || document.body;
  var inView = !("IntersectionObserver" in window);
  var seen = 0;
  var since = null;
  var timer = null;
  var sent = false;

  function referrerHost() {
    try {
      return document.referrer ? new URL(document.referrer).hostname : "";
    } catch (error) {
      return "";
    }
  }

  function send() {
    sent = true;
    var body = new URLSearchParams();
    body.append("a", marker.getAttribute("data-read-article"));
    body.append("r", referrerHost());
    if (!(navigator.sendBeacon && navigator.sendBeacon(beaconUrl, body))) {
      fetch(beaconUrl, { method: "POST", body: body, credentials: "omit", keepalive: true });
    }
  }

  function update() {
    var showing = inView && document.visibilityState === "visible" && !document.prerendering;
    if (since !== null) {
      seen += Date.now() - since;
      since = null;
    }
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (sent) {
      return;
    }
    if (seen >= needed) {
      send();
      return;
    }
    if (showing) {
      since = Date.now();
      timer = setTimeout(update, needed - seen);
    }
  }

  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      inView = entries[entries.length - 1].isIntersecting;
      update();
    }).observe(article);
  } else {
    update();
  }
  document.addEventListener("visibilitychange", update);
  document.addEventListener("prerenderingchange", update);
})();
