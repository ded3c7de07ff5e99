// Search as you type: fills the search box's <datalist> with headlines from
// /suche/vorschlaege/ and opens the article when one of them is chosen. Without this
// script the form still searches.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.search-form[data-suggest]");
  Array.prototype.forEach.call(forms, function (form) {
    var input = form.querySelector("input[type=search]");
    var list = input && document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) {
      return;
    }
    var urls = {};
    var timer = null;
    var latest = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (urls[input.value]) {
        window.location.href = urls[input.value];
        return;
      }
      window.clearTimeout(timer);
      if (text.length < 2) {
        list.textContent = "";
        return;
      }
      timer = window.setTimeout(function () {
        latest = text;
        fetch(form.dataset.suggest + "?q=" + encodeURIComponent(text), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { suggestions: [] };
          })
          .then(function (data) {
            if (data.query !== latest) {
              return;
            }
            list.textContent = "";
            urls = {};
            data.suggestions.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.title;
              urls[item.title] = item.url;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
})();

// The query log: on a results page, the query and its number of results are sent once,
// and the rank of a result when it is clicked. Nothing identifies the reader; the page
// itself is cached and cannot log.
(function () {
  "use strict";
  var marker = document.querySelector("[data-query-log]");
  if (!marker || !navigator.sendBeacon) {
    return;
  }
  var base = { q: marker.dataset.query, n: marker.dataset.results };
  function send(extra) {
    var body = new URLSearchParams(base);
    Object.keys(extra).forEach(function (key) {
      body.set(key, extra[key]);
    });
    navigator.sendBeacon(marker.dataset.queryLog, body);
  }
  send({});
  var list = document.querySelector(".search-results .teaser-list");
  if (!list) {
    return;
  }
  var first = parseInt(marker.dataset.firstRank, 10) || 1;
  list.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    var item = link && link.closest(".teaser-list > li");
    if (!item) {
      return;
    }
    var rank = Array.prototype.indexOf.call(list.children, item) + first;
    send({ r: String(rank) });
  });
})();
