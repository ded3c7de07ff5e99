/* The follow form: opens in its dialog from a follow button with that button's target ticked,
   shows the email fields only for email, and turns on web push through the service worker.
   Without this script each follow button links to the subscribe page, whose form works as
   it is. */
(function () {
  "use strict";
  var form = document.querySelector(".follow__form");
  if (!form) {
    return;
  }
  var status = form.querySelector("[data-follow-status]");
  var pushOption = form.querySelector("[data-follow-push]");
  var emailParts = form.querySelectorAll("[data-follow-email]");
  var emailInput = form.querySelector("input[name=email]");
  var key = form.getAttribute("data-vapid-key");
  var pushable = Boolean(key) && "serviceWorker" in navigator && "PushManager" in window;

  if (pushable && pushOption) {
    pushOption.hidden = false;
  }

  function channel() {
    var checked = form.querySelector("input[name=channel]:checked");
    return checked ? checked.value : "email";
  }

  function update() {
    var push = channel() === "push";
    Array.prototype.forEach.call(emailParts, function (part) {
      part.hidden = push;
    });
    emailInput.required = !push;
  }

  function keyBytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  form.addEventListener("change", update);
  update();

  var dialog = form.closest("[data-follow-dialog]");
  if (dialog && typeof dialog.showModal === "function") {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-follow]");
      if (!button) {
        return;
      }
      event.preventDefault();
      var target = button.getAttribute("data-follow");
      Array.prototype.forEach.call(form.querySelectorAll("input[name=follow]"), function (input) {
        input.checked = input.value === target;
      });
      status.textContent = "";
      dialog.showModal();
    });
  }

  form.addEventListener("submit", function (event) {
    if (channel() !== "push") {
      return;
    }
    event.preventDefault();
    var follows = Array.prototype.map.call(
      form.querySelectorAll("input[name=follow]:checked, input[name=follow][type=hidden]"),
      function (input) { return input.value; }
    );
    if (!follows.length) {
      status.textContent = form.getAttribute("data-msg-choose");
      return;
    }
    navigator.serviceWorker.register(form.getAttribute("data-sw-url"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(key)
        });
      })
      .then(function (subscription) {
        return fetch(form.getAttribute("data-push-url"), {
          method: "POST",
          credentials: "omit",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            subscription: subscription.toJSON(),
            follow: follows,
            website: form.querySelector("input[name=website]").value
          })
        });
      })
      .then(function (response) { return response.json(); })
      .then(function (data) { status.textContent = data.message; })
      .catch(function () {
        status.textContent = form.getAttribute("data-msg-push-failed");
      });
  });
}());
