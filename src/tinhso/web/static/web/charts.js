/* Charts for indicator pages: reads the JSON that the page embeds with json_script. */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var number = function (v) { return Number(v).toLocaleString(locale, { maximumFractionDigits: 4 }); };
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") { return; }
    var series = data("series-data");
    var canvas = document.getElementById("series-chart");
    if (series && canvas) {
      var labels = series.labels.slice();
      var values = series.values.slice();
      var yearly = labels.length > 0 && labels.every(function (l) { return /^\d{4}$/.test(l); });
      if (yearly) {
        // One place per year, so that the distance on the axis is the distance in time.
        var last = Math.max(Number(labels[labels.length - 1]),
                            series.target ? series.target.year : 0);
        var byYear = {};
        labels.forEach(function (l, i) { byYear[l] = values[i]; });
        labels = [];
        values = [];
        for (var y = Number(series.labels[0]); y <= last; y++) {
          labels.push(String(y));
          values.push(byYear.hasOwnProperty(String(y)) ? byYear[String(y)] : null);
        }
      }
      var lastIndex = -1;
      values.forEach(function (v, i) { if (v !== null) { lastIndex = i; } });
      var datasets = [{ label: series.label, data: values, borderColor: "#0d6efd",
                        backgroundColor: "#0d6efd", tension: 0.2, spanGaps: true }];
      if (series.target) {
        var targetLabel = String(series.target.year);
        if (labels.indexOf(targetLabel) < 0) { labels.push(targetLabel); }
        var target = labels.map(function (l) { return l === targetLabel ? series.target.value : null; });
        datasets.push({ label: series.target_label, data: target, pointStyle: "star", pointRadius: 9,
                        borderColor: "#198754", backgroundColor: "#198754", showLine: false });
        if (series.projection !== null && lastIndex >= 0) {
          var projection = labels.map(function (l, i) {
            if (i === lastIndex) { return values[lastIndex]; }
            return l === targetLabel ? series.projection : null;
          });
          datasets.push({ label: series.projection_label, data: projection, borderDash: [6, 4], spanGaps: true,
                          borderColor: "#fd7e14", backgroundColor: "#fd7e14" });
        }
      }
      new Chart(canvas, { type: "line", data: { labels: labels, datasets: datasets },
        options: { scales: { y: { reverse: !!series.reverse, ticks: { callback: number } } },
                   plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + number(c.parsed.y); } } } } } });
    }
    var radar = data("radar-data");
    var radarCanvas = document.getElementById("radar-chart");
    if (radar && radarCanvas) {
      var colours = ["#0d6efd", "#198754", "#adb5bd"];
      new Chart(radarCanvas, { type: "radar", data: { labels: radar.labels,
        datasets: [radar.unit, radar.best, radar.average].map(function (values, i) {
          return { label: radar.names[i], data: values, borderColor: colours[i],
                   backgroundColor: i === 0 ? "rgba(13,110,253,0.15)" : "transparent" };
        }) },
        options: { scales: { r: { min: 0, max: 1 } } } });
    }
    var compare = data("compare-data");
    var bars = document.getElementById("compare-chart");
    if (compare && bars) {
      new Chart(bars, { type: "bar", data: { labels: compare.labels,
        datasets: [{ label: compare.label, data: compare.values, backgroundColor: "#6ea8fe" }] },
        options: { indexAxis: "y", scales: { x: { ticks: { callback: number } } } } });
    }
  });
})();
