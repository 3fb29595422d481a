// 督学 dashboards: each [data-chart] element draws the chart described by the JSON block it names.
// The data come from the page (json_script), so the charts show exactly what the tables beside them say.
(function () {
  "use strict";
  const RED = "#c8161d";
  const GREY = "#9aa0a6";

  function percentAxis() {
    return { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  }

  function options(spec) {
    const tooltip = { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "无" : v + "%") };
    if (spec.type === "hbar") {
      return {
        tooltip, grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: percentAxis(),
        yAxis: { type: "category", data: spec.categories, inverse: true, axisLabel: { width: 160, overflow: "truncate" } },
        series: spec.series.map((s) => ({ name: s.name, type: "bar", data: s.data, itemStyle: { color: RED },
          label: { show: true, position: "right", formatter: (p) => (p.value === null ? "" : p.value + "%") } })),
      };
    }
    const colors = [RED, GREY];
    return {
      tooltip, legend: { top: 0 }, grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, width: 90, overflow: "truncate" } },
      yAxis: percentAxis(),
      series: spec.series.map((s, i) => ({ name: s.name, type: spec.type, data: s.data, connectNulls: false,
        itemStyle: { color: colors[i % colors.length] }, label: { show: spec.type === "bar", position: "top",
          formatter: (p) => (p.value === null ? "" : p.value + "%") } })),
    };
  }

  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      const source = document.getElementById(element.dataset.chart);
      if (!source) return;
      const chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption(options(JSON.parse(source.textContent)));
      element.dataset.drawn = "1";
      window.addEventListener("resize", () => chart.resize());
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
