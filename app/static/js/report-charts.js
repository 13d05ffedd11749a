/* Draws the report's charts from the JSON the page embeds (no data in the script). */
(function () {
  "use strict";
  var source = document.getElementById("report-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];

  function label(row) { return row.name + ": " + row.count + " (" + row.percent + "%)"; }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var rows = data[canvas.getAttribute("data-chart")] || [];
    var isBar = canvas.getAttribute("data-chart") === "by_opd";
    var colours = rows.map(function (_row, i) { return palette[i % palette.length]; });
    new Chart(canvas, {
      type: isBar ? "bar" : "doughnut",
      data: {
        labels: rows.map(function (row) { return row.name; }),
        datasets: [{ data: rows.map(function (row) { return row.count; }),
                     backgroundColor: colours }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: isBar ? "y" : "x",
        animation: false,
        plugins: {
          legend: { display: !isBar, position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return label(rows[ctx.dataIndex]); } } }
        },
        scales: isBar ? {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { ticks: { autoSkip: false, font: { size: 11 },
                        callback: function (value) {
                          var name = this.getLabelForValue(value);
                          return name.length > 34 ? name.slice(0, 33) + "…" : name;
                        } } }
        } : {}
      }
    });
  });
})();
