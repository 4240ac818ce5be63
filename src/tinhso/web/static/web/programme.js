/* The programme's boards: the charts read the JSON the page embeds (json_script
   "programme-charts") and draw each canvas marked data-chart with Chart.js; the timeline
   starts scrolled to today on a phone. */
(function () {
  "use strict";
  var locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  function percent(v) {
    return v === null ? "–" : Number(v).toLocaleString(locale, { maximumFractionDigits: 1 }) + " %";
  }
  function shortLabels(canvas) {
    // Long names cut on a narrow screen (the table under the chart has them whole).
    var max = canvas.parentNode.clientWidth < 600 ? 20 : 60;
    return { callback: function (value) {
      var label = this.getLabelForValue(value);
      return label.length > max ? label.slice(0, max - 1) + "…" : label;
    } };
  }
  function groups(canvas, d) {
    new Chart(canvas, {
      type: "bar",
      data: { labels: d.labels, datasets: [{ label: d.label, data: d.progress, backgroundColor: "#6ea8fe" }] },
      options: {
        indexAxis: "y", maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } },
                  y: { ticks: shortLabels(canvas) } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) {
          return percent(c.parsed.x) + " · " + d.weight_label + " " + d.weights[c.dataIndex];
        } } } }
      }
    });
  }
  function units(canvas, d) {
    var labels = d.labels.map(function (name, i) { return percent(d.progress[i]) + " · " + name; });
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: d.datasets.map(function (s) {
        return { label: s.label, data: s.data, backgroundColor: s.colour };
      }) },
      options: {
        indexAxis: "y", maintainAspectRatio: false,
        scales: { x: { stacked: true, ticks: { precision: 0 } },
                  y: { stacked: true, ticks: shortLabels(canvas) } }
      }
    });
  }
  function scrollToToday() {
    // On a narrow screen the timeline scrolls sideways: start with today in view.
    var gantt = document.querySelector(".gantt");
    var today = gantt && gantt.querySelector(".gantt-today");
    if (today && gantt.scrollWidth > gantt.clientWidth) {
      gantt.scrollLeft = Math.max(0, today.offsetLeft - gantt.clientWidth * 0.6);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    scrollToToday();
    var el = document.getElementById("programme-charts");
    if (!el || typeof Chart === "undefined") { return; }
    var data = JSON.parse(el.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var wrap = document.createElement("div");
      wrap.style.position = "relative";
      wrap.style.height = (80 + 34 * Number(canvas.dataset.rows || 1)) + "px";
      canvas.parentNode.insertBefore(wrap, canvas);
      wrap.appendChild(canvas);
      if (canvas.dataset.chart === "groups") {
        groups(canvas, data.documents[Number(canvas.dataset.index)]);
      } else if (canvas.dataset.chart === "units") {
        units(canvas, data.units);
      }
    });
  });
})();
