// Theme toggle: the page follows prefers-color-scheme until the visitor picks a theme with
// the header button; the choice is kept in localStorage. Runs in <head> so there is no flash.
(function () {
  var KEY = "jikenbo-theme";
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem(KEY);
    if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  } catch (e) {}
  function current() {
    var set = root.getAttribute("data-theme");
    if (set) return set;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".theme-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
      buttons[i].addEventListener("click", function (ev) {
        var next = current() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem(KEY, next); } catch (e) {}
        ev.currentTarget.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
      });
    }
  });
})();
