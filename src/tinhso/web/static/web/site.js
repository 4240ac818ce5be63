/* Wide tables: every table of the page sits in a container that scrolls sideways on its own
   (the page never does), and says so when the table is wider than the screen. The hint's text
   comes translated from the page (body[data-scroll-hint]). */
(function () {
  "use strict";
  function wrap(table) {
    if (table.closest(".table-scroll")) { return; }
    var box = document.createElement("div");
    box.className = "table-scroll";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  }
  function mark(box) {
    if (!box.querySelector(":scope > .table-scroll-hint")) {
      var hint = document.createElement("p");
      hint.className = "table-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = document.body.getAttribute("data-scroll-hint") || "";
      box.insertBefore(hint, box.firstChild);
    }
    box.classList.toggle("is-wide", box.scrollWidth > box.clientWidth + 1);
  }
  function update() {
    document.querySelectorAll("main table").forEach(wrap);
    document.querySelectorAll(".table-scroll").forEach(mark);
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("toggle", update, true);
})();
