/* The landing page's small charts: each canvas names the JSON (json_script) it draws. */
(function () {
  "use strict";
  var colours = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1"];
  var locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var number = function (v) { return Number(v).toLocaleString(locale, { maximumFractionDigits: 2 }); };
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var el = document.getElementById(canvas.dataset.chart);
      if (!el) { return; }
      var spec = JSON.parse(el.textContent);
      var datasets = spec.datasets.map(function (d, i) {
        return { label: d.label, data: d.data, borderColor: colours[i % colours.length],
                 backgroundColor: colours[i % colours.length], tension: 0.2, spanGaps: true,
                 pointRadius: 4 };
      });
      var horizontal = spec.type === "bar";
      // Counts, ranks and percentages: whole numbers on the axis.
      var valueAxis = { reverse: !!spec.reverse, ticks: { callback: number, precision: 0 } };
      var scales = horizontal ? { x: valueAxis, y: { ticks: { autoSkip: false } } }
                              : { x: { offset: true }, y: valueAxis };
      new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets },
        options: { maintainAspectRatio: false, responsive: true, indexAxis: horizontal ? "y" : "x",
                   scales: scales, plugins: { legend: { display: datasets.length > 1 } } } });
    });
  });
})();
