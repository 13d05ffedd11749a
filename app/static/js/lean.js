/* The lean layout's only script: a menu button on phones, and focus on the error
   summary of a refused form (so that screen readers announce it). Without it the
   menu is simply open and everything still works. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-toggle");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (menu) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", open ? "false" : "true");
        if (open) { menu.setAttribute("data-collapsed", ""); } else { menu.removeAttribute("data-collapsed"); }
      });
    }
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
