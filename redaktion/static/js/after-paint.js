(function () {
  "use strict";
  var parsed = document.readyState !== "loading";
  var painted = false;
  function run() {
    if (!parsed || !painted) {
      return;
    }
    parsed = false;
    document.querySelectorAll("template[data-after-paint]").forEach(function (template) {
      template.replaceWith(document.importNode(template.content, true));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    parsed = true;
    run();
  });
  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf("paint") < 0) {
    painted = true;
    return;
  }
  new PerformanceObserver(function (list, observer) {
    observer.disconnect();
    painted = true;
    run();
  }).observe({ type: "paint", buffered: true });
})();
