// Navigator's only script. Every page works without it; it only smooths the edges.
(function () {
  "use strict";

  // A second tap on "Save" while the first is on its way does nothing. (The server saves a
  // contact once even when the form does arrive twice; this just spares the wait.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post")) {
      return; // htmx sends these itself and marks the form busy
    }
    if (form.dataset.sent === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "yes";
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });

  // Coming back with the back button shows the page as it was left: let it be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[aria-disabled]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  });

  // The error summary takes focus so that a screen reader reads it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });

  // After htmx swaps a section in, move focus to the part it marks (its message, or its
  // first error) so keyboard and screen reader users know what happened.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus-after-swap='yes']");
    if (target) {
      target.setAttribute("data-focus-after-swap", "done");
      target.focus();
    }
  });
})();
