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

/* What the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) keeps out of the pages,
   done here instead: no style="..." attribute, no on...= handler, no hx-on (htmx would eval it).

   - Sizes and positions the server computes (a bar's width, a task's place on the timeline)
     come as numbers: data-left and data-width in percent, data-today-at (the timeline's today,
     in percent of the track) as the CSS variable --at; they are set through the CSSOM, which
     the policy allows. Anything but a number is ignored.
   - data-swap-status="400 422" around an htmx target: an answer with one of these statuses is
     shown (it says what is wrong) instead of being dropped as an error.
   - data-enter-stays on a field: Enter does not submit its form (a search box inside a form). */
(function () {
  "use strict";
  function number(el, name) {
    var raw = el.getAttribute(name);
    var value = raw === null ? NaN : Number(raw);
    return isFinite(value) ? value : null;
  }
  function place(root) {
    root.querySelectorAll("[data-left], [data-width], [data-today-at]").forEach(function (el) {
      var left = number(el, "data-left"), width = number(el, "data-width");
      var at = number(el, "data-today-at");
      if (left !== null) { el.style.left = left + "%"; }
      if (width !== null) { el.style.width = width + "%"; }
      if (at !== null) { el.style.setProperty("--at", String(at)); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { place(document); });
  document.addEventListener("htmx:afterSettle", function () { place(document); });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var holder = event.target.closest && event.target.closest("[data-swap-status]");
    var status = String(event.detail.xhr.status);
    if (holder && holder.getAttribute("data-swap-status").split(/\s+/).indexOf(status) >= 0) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest &&
        event.target.closest("[data-enter-stays]")) {
      event.preventDefault();
    }
  });
})();

/* Downloads of the page: "Excel" (every table of the page, a sheet each) and "PDF" (the page
   printed), one line under the page's title when the page shows a table or a chart. The links
   are the page's own address with ?export=xlsx / ?export=pdf (the other parameters kept): the
   server renders the page for the same user and turns it into the file
   (core.page_export). The labels come translated from the page (body[data-export-*]). */
(function () {
  "use strict";
  function link(format, label) {
    var params = new URLSearchParams(window.location.search);
    params.set("export", format);
    var a = document.createElement("a");
    a.href = window.location.pathname + "?" + params.toString();
    a.textContent = label;
    a.setAttribute("download", "");
    a.setAttribute("rel", "nofollow");
    a.setAttribute("data-testid", "export-" + format);
    return a;
  }
  function add() {
    var main = document.querySelector("main");
    var body = document.body;
    if (!main || main.querySelector(".page-export")) { return; }
    var tables = main.querySelectorAll("table:not([data-export='no'])").length;
    var charts = main.querySelectorAll("canvas, figure, .grid-cards").length;
    if (!tables && !charts) { return; }
    var bar = document.createElement("p");
    bar.className = "page-export";
    if (tables) { bar.appendChild(link("xlsx", body.getAttribute("data-export-xlsx") || "Excel")); }
    bar.appendChild(link("pdf", body.getAttribute("data-export-pdf") || "PDF"));
    var title = main.querySelector("hgroup, h1");
    if (title && title.parentNode) {
      title.parentNode.insertBefore(bar, title.nextSibling);
    } else {
      main.insertBefore(bar, main.firstChild);
    }
  }
  document.addEventListener("DOMContentLoaded", add);
})();
