/* Sales dashboard charts (ECharts). The figures come from the page's json_script block
   #analytics-charts; clicking a funnel stage or a stage bar opens the deals behind it. */
(() => {
  const source = document.getElementById("analytics-charts");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = data.labels;
  // tooltips drawn on the canvas: HTML tooltips would need inline styles, which the CSP forbids
  const tooltip = (extra) => ({ renderMode: "richText", ...extra });
  const charts = [];

  const mount = (id, option, onClick) => {
    const element = document.getElementById(id);
    if (!element) return;
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    if (onClick) chart.on("click", onClick);
    charts.push(chart);
  };
  const go = (url) => {
    if (url) window.location.assign(url);
  };

  mount(
    "funnel-chart",
    {
      tooltip: tooltip({
        trigger: "item",
        formatter: (p) =>
          p.data.conversion === null
            ? `${p.name}: ${p.value}`
            : `${p.name}: ${p.value} (${labels.conversion} ${p.data.conversion.toFixed(1)}%)`,
      }),
      series: [
        {
          type: "funnel",
          sort: "none",
          minSize: "10%",
          top: 8,
          bottom: 8,
          left: "10%",
          width: "80%",
          label: { show: true, position: "inside", formatter: "{b}: {c}" },
          data: data.funnel,
        },
      ],
    },
    (p) => go(p.data && p.data.url),
  );

  mount(
    "value-chart",
    {
      tooltip: tooltip({ trigger: "axis" }),
      legend: { top: 0, data: [labels.amount, labels.weighted] },
      grid: { top: 32, left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.value.stages, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: [
        { name: labels.amount, type: "bar", data: data.value.amount },
        { name: labels.weighted, type: "bar", data: data.value.weighted },
      ],
    },
    (p) => go(data.value.urls[p.dataIndex]),
  );

  mount("forecast-chart", {
    tooltip: tooltip({ trigger: "axis" }),
    legend: { top: 0, data: [labels.won, labels.weighted, labels.target] },
    grid: { top: 32, left: 8, right: 8, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.forecast.months },
    yAxis: { type: "value" },
    series: [
      { name: labels.won, type: "bar", stack: "forecast", data: data.forecast.won },
      { name: labels.weighted, type: "bar", stack: "forecast", data: data.forecast.weighted },
      { name: labels.target, type: "line", connectNulls: false, data: data.forecast.target },
    ],
  });

  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
})();
