/*
 * Ads: fills the slots of a cached page and counts what readers saw.
 *
 * The page carries empty slots of reserved size (ads/slot.html). This script asks the
 * decision endpoint once per page view for all slots, with the page's Ressort and topics,
 * and puts each ad (always labelled "Anzeige", rendered by the server) into its slot.
 * An impression is counted when at least half of the slot has been visible for one second
 * without a break (IntersectionObserver); its signed view token is sent with
 * navigator.sendBeacon. No cookie, no storage. A slot without data-ad-beacon (an editor's
 * preview, a logged-in editor) is filled but never counted.
 *
 * Third-party tags are not loaded until the reader clicks "load": only then is a sandboxed
 * iframe (scripts allowed, no access to this site) opened on the tag's own document, and only then does
 * the ad count as seen.
 */
(function () {
  "use strict";

  var VISIBLE_SHARE = 0.5;
  var VISIBLE_MS = 1000;
  var slots = Array.prototype.slice.call(document.querySelectorAll("[data-ad-slot]"));
  if (!slots.length || !window.fetch) {
    return;
  }
  var first = slots[0];
  var beaconUrl = first.getAttribute("data-ad-beacon");
  var pending = [];
  var flushTimer = null;

  function flush() {
    flushTimer = null;
    if (!pending.length) {
      return;
    }
    var body = pending.join("\n");
    pending = [];
    if (!(navigator.sendBeacon && navigator.sendBeacon(beaconUrl, body))) {
      fetch(beaconUrl, { method: "POST", body: body, credentials: "omit", keepalive: true });
    }
  }

  function counted(slot) {
    slot.setAttribute("data-ad-counted", "");
    if (!beaconUrl) {
      return; // a preview or a logged-in editor: seen, but not counted
    }
    pending.push(slot.getAttribute("data-ad-token"));
    if (!flushTimer) {
      flushTimer = setTimeout(flush, 50);
    }
  }

  var observer = null;
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          var slot = entry.target;
          if (entry.isIntersecting && entry.intersectionRatio >= VISIBLE_SHARE) {
            if (!slot._adTimer) {
              slot._adTimer = setTimeout(function () {
                observer.unobserve(slot);
                counted(slot);
              }, VISIBLE_MS);
            }
          } else if (slot._adTimer) {
            clearTimeout(slot._adTimer);
            slot._adTimer = null;
          }
        });
      },
      { threshold: [0, VISIBLE_SHARE, 1] }
    );
  }

  function watch(slot) {
    if (observer) {
      observer.observe(slot);
    }
  }

  function loadTag(slot, tag) {
    var frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts allow-popups allow-popups-to-escape-sandbox");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.setAttribute("title", slot.querySelector(".ad__label").textContent);
    frame.className = "ad__frame";
    frame.src = tag;
    var consent = slot.querySelector(".ad__consent");
    consent.replaceWith(frame);
    watch(slot);
  }

  function fill(slot, ad) {
    if (!ad) {
      slot.hidden = true;
      return;
    }
    slot.innerHTML = ad.html;
    slot.setAttribute("data-ad-token", ad.token);
    slot.classList.add("ad-slot--filled");
    if (ad.tag) {
      var button = slot.querySelector(".ad__load");
      button.addEventListener("click", function () {
        loadTag(slot, ad.tag);
      });
      return;
    }
    watch(slot);
  }

  var params = new URLSearchParams();
  slots.forEach(function (slot) {
    params.append("slot", slot.getAttribute("data-ad-slot"));
  });
  // Each slot's width at this screen: a banner slot narrower than its size gets a smaller
  // creative that fits, never a banner scaled down.
  slots.forEach(function (slot) {
    params.append("width", String(Math.max(1, Math.floor(slot.getBoundingClientRect().width))));
  });
  if (first.getAttribute("data-ad-ressort")) {
    params.append("ressort", first.getAttribute("data-ad-ressort"));
  }
  (first.getAttribute("data-ad-topics") || "").split(" ").filter(Boolean).forEach(function (topic) {
    params.append("topic", topic);
  });

  fetch(first.getAttribute("data-ad-decision") + "?" + params.toString(), {
    credentials: "omit",
    cache: "no-store",
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      return response.ok ? response.json() : { ads: [] };
    })
    .then(function (data) {
      slots.forEach(function (slot, index) {
        fill(slot, (data.ads || [])[index]);
      });
    })
    .catch(function () {
      slots.forEach(function (slot) {
        slot.hidden = true;
      });
    });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
})();
