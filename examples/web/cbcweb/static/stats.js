/* The statistics page's charts (templates/stats.html), drawn with Apache
 * ECharts (served by the app: /vendor/echarts.min.js).  The figures come
 * from the page's <script type="application/json" id="stats-data"> block
 * (no inline script: a Content-Security-Policy may forbid it); each
 * <div class="chart" data-chart="KIND"> gets the chart of that kind.
 * Clicking a child unit's bar (or its name) opens that unit's page. */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function base() {
    return { animation: false, textStyle: { fontFamily: FONT },
             tooltip: { trigger: "axis", confine: true },
             grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true } };
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (k) { target[k] = extra[k]; });
    return target;
  }

  function lines(list, type, extra) {
    return list.map(function (s) {
      return merge({ name: s.name, type: type, data: s.data }, extra || {});
    });
  }

  var builders = {
    /* found, rectified and listed, month by month */
    series: function (data) {
      return merge(base(), {
        legend: { top: 0 },
        xAxis: { type: "category", data: data.series.months, axisLabel: { rotate: 45 } },
        yAxis: { type: "value", minInterval: 1 },
        series: lines(data.series.lines, "line", { smooth: false, symbolSize: 6 })
      });
    },
    /* the children side by side: one row of bars per child, newest figures */
    children: function (data, el) {
      var c = data.children;
      var rowHeight = 17 * Math.max(2, c.bars.length); /* a child's bars side by side */
      el.style.height = Math.max(280, 60 + c.names.length * rowHeight) + "px";
      return merge(base(), {
        legend: { top: 0 },
        yAxis: { type: "category", data: c.names, inverse: true, triggerEvent: true,
                 axisLabel: { color: "#1a4f9c", width: 110, overflow: "truncate" } },
        xAxis: { type: "value", minInterval: 1 },
        series: lines(c.bars, "bar", { cursor: "pointer" })
      });
    },
    /* the breakdown's counts: reported, rejected, ..., overdue, reopens */
    counts: function (data) {
      return merge(base(), {
        yAxis: { type: "category", data: data.counts.names, inverse: true },
        xAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.counts.values, label: { show: true, position: "right" },
                   itemStyle: { color: "#b3261e" } }]
      });
    },
    /* rectification, on-time and disposal rates, in percent */
    rates: function (data) {
      return merge(base(), {
        xAxis: { type: "category", data: data.rates.names },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ type: "bar", data: data.rates.values, barMaxWidth: 56,
                   label: { show: true, position: "top", formatter: "{c}%" },
                   itemStyle: { color: "#1e6b3a" } }]
      });
    },
    /* one dimension of the breakdown (severity, kind, check item, ...) */
    dimension: function (data, el) {
      var d = data.dimensions[Number(el.getAttribute("data-index"))];
      return merge(base(), {
        tooltip: { trigger: "item", confine: true, formatter: "{b}：{c}（{d}%）" },
        series: [{ name: d.title, type: "pie", radius: ["35%", "65%"], data: d.items,
                   label: { formatter: "{b}\n{c}" } }]
      });
    }
  };

  /* A click on a child's bar or name goes to that child's page. */
  function drillDown(chart, urls, names) {
    chart.on("click", function (p) {
      var i = p.componentType === "series" ? p.dataIndex
            : p.componentType === "yAxis" ? names.indexOf(p.value) : -1;
      if (i >= 0 && urls[i]) window.location.href = urls[i];
    });
  }

  function draw() {
    var block = document.getElementById("stats-data");
    if (!block || !window.echarts) return; /* ECharts not installed: the tables remain */
    var data = JSON.parse(block.textContent);
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      if (!build) return;
      var option = build(data, el);
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      if (el.getAttribute("data-chart") === "children")
        drillDown(chart, data.children.urls, data.children.names);
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  function printButton() {
    var button = document.getElementById("print-form");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    printButton();
    draw();
  });
})();
