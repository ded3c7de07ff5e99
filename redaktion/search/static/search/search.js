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
