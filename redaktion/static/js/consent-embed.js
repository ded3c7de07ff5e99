/*
 * Consent placeholders for third-party embeds (news/blocks/embed.html).
 *
 * The page ships only a placeholder and a link. For providers that can be embedded without
 * tracking cookies (YouTube via youtube-nocookie.com, Vimeo with dnt=1), this script shows
 * the "load" button; only when the reader clicks it is an iframe built and the provider
 * contacted. Without JavaScript the link to the provider still works.
 */
(function () {
  "use strict";

  var YOUTUBE_HOSTS = ["youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"];
  var VIMEO_HOSTS = ["vimeo.com", "www.vimeo.com", "player.vimeo.com"];
  var YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
  var VIMEO_ID = /^[0-9]+$/;

  function youtubeId(url) {
    if (url.hostname === "youtu.be") {
      return url.pathname.slice(1).split("/")[0];
    }
    var parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] === "watch") {
      return url.searchParams.get("v");
    }
    if (["embed", "shorts", "live", "v"].indexOf(parts[0]) !== -1) {
      return parts[1];
    }
    return null;
  }

  function vimeoId(url) {
    var parts = url.pathname.split("/").filter(Boolean);
    if (url.hostname === "player.vimeo.com" && parts[0] === "video") {
      return parts[1];
    }
    return parts[0];
  }

  /* The privacy-friendly player address for a provider URL, or null if unsupported. */
  function playerUrl(address) {
    var url;
    try {
      url = new URL(address);
    } catch (error) {
      return null;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return null;
    }
    if (YOUTUBE_HOSTS.indexOf(url.hostname) !== -1) {
      var id = youtubeId(url);
      return id && YOUTUBE_ID.test(id) ? "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1&rel=0" : null;
    }
    if (VIMEO_HOSTS.indexOf(url.hostname) !== -1) {
      var video = vimeoId(url);
      return video && VIMEO_ID.test(video) ? "https://player.vimeo.com/video/" + video + "?dnt=1&autoplay=1" : null;
    }
    return null;
  }

  function enhance(figure) {
    var src = playerUrl(figure.getAttribute("data-embed-url") || "");
    var button = figure.querySelector(".embed__load");
    var placeholder = figure.querySelector(".embed__placeholder");
    if (!src || !button || !placeholder) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = figure.getAttribute("data-embed-title") || "";
      frame.className = "embed__frame";
      frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      placeholder.replaceWith(frame);
      figure.classList.add("embed--loaded");
      frame.focus();
    });
  }

  document.querySelectorAll("[data-consent-embed]").forEach(enhance);
})();
