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

/* Charts declared by their canvas: <canvas data-chart="months|ranks|shares" data-source="ID">
   reads the JSON of json_script ID. Each sits in a .chart-box (fixed height, full width), so
   the chart keeps its aspect on a phone; the figures are in a table beside it. */
(function () {
  "use strict";
  var locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var whole = function (v) { return Number(v).toLocaleString(locale, { maximumFractionDigits: 0 }); };
  var palette = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1"];
  function json(id) {
    var el = id ? document.getElementById(id) : null;
    return el ? JSON.parse(el.textContent) : null;
  }
  var base = { responsive: true, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
               plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } } };
  function months(canvas, d) {
    return new Chart(canvas, { type: "line", data: { labels: d.labels, datasets: d.series.map(function (s, i) {
      return { label: s.label, data: s.values, borderColor: palette[i], backgroundColor: palette[i], tension: 0.2 };
    }) }, options: Object.assign({}, base, { scales: { y: { beginAtZero: true, ticks: { callback: whole, precision: 0 } },
      x: { ticks: { autoSkip: true, maxRotation: 0 } } } }) });
  }
  // A vertical dashed line, labelled, between two eras of a rank (63 provinces -> 34).
  var breaks = { id: "rankBreaks", afterDatasetsDraw: function (chart) {
    var marks = chart.options.plugins.rankBreaks && chart.options.plugins.rankBreaks.marks;
    if (!marks) { return; }
    var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
    marks.forEach(function (b) {
      var a = chart.data.labels.indexOf(b.after), z = chart.data.labels.indexOf(b.before);
      if (a < 0 || z < 0) { return; }
      var at = (x.getPixelForValue(a) + x.getPixelForValue(z)) / 2;
      ctx.save();
      ctx.strokeStyle = "#6c757d"; ctx.setLineDash([4, 4]); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(at, area.top); ctx.lineTo(at, area.bottom); ctx.stroke();
      ctx.setLineDash([]); ctx.fillStyle = "#41464b"; ctx.font = "11px sans-serif";
      ctx.textAlign = at > (area.left + area.right) / 2 ? "right" : "left";
      ctx.fillText(b.label, at + (ctx.textAlign === "left" ? 4 : -4), area.top + 12);
      ctx.restore();
    });
  } };
  function ranks(canvas, d) {
    var datasets = d.series.map(function (s) {
      return { label: s.label, data: s.values, of: s.of, borderColor: s.colour, backgroundColor: s.colour,
               spanGaps: true, pointRadius: 5 };
    });
    d.targets.forEach(function (t) {
      datasets.push({ label: t.label, of: t.of, showLine: false, pointStyle: "star", pointRadius: 9,
                      borderColor: t.colour, backgroundColor: t.colour,
                      data: d.labels.map(function (l) { return l === t.year ? t.value : null; }) });
    });
    var field = function (c) { var of = c.dataset.of; return whole(c.parsed.y) + (of ? "/" + of : ""); };
    return new Chart(canvas, { type: "line", plugins: [breaks], data: { labels: d.labels, datasets: datasets },
      options: Object.assign({}, base, { interaction: { mode: "nearest", intersect: true },
        scales: { y: { reverse: true, min: 1, ticks: { callback: whole, precision: 0 } } },
        plugins: { legend: base.plugins.legend, rankBreaks: { marks: d.breaks },
                   tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + field(c); } } } } }) });
  }
  function shares(canvas, d) {
    return new Chart(canvas, { type: "bar", data: { labels: d.labels,
      datasets: [{ label: d.label, data: d.values, backgroundColor: "#6ea8fe", maxBarThickness: 28 }] },
      options: Object.assign({}, base, { indexAxis: "y", scales: { x: { beginAtZero: true, suggestedMax: 100,
        ticks: { callback: function (v) { return whole(v) + " %"; } } } } }) });
  }
  var kinds = { months: months, ranks: ranks, shares: shares };
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var draw = kinds[canvas.getAttribute("data-chart")];
      var d = json(canvas.getAttribute("data-source"));
      if (draw && d) { draw(canvas, d); }
    });
  });
})();
