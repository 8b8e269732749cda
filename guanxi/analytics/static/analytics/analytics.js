/* Sales dashboard (ECharts). Each panel arrives in its own htmx request and carries its chart
   data in a json_script block "<chart>-chart-data" next to its [data-chart="<chart>"] element;
   the charts are drawn when their panel is loaded (htmx:load fires on the page and on every
   swapped-in panel). Clicking a funnel stage or a stage bar opens the deals behind it. */
(() => {
  if (typeof echarts === "undefined") return;
  // tooltips drawn on the canvas: HTML tooltips would need inline styles, which the CSP forbids
  const tooltip = (extra) => ({ renderMode: "richText", ...extra });
  const go = (url) => {
    if (url) window.location.assign(url);
  };

  const options = {
    funnel: (data) => ({
      option: {
        tooltip: tooltip({
          trigger: "item",
          formatter: (p) =>
            p.data.conversion === null
              ? `${p.name}: ${p.value}`
              : `${p.name}: ${p.value} (${data.labels.conversion} ${p.data.conversion.toFixed(1)}%)`,
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
            data: data.stages,
          },
        ],
      },
      onClick: (p) => go(p.data && p.data.url),
    }),
    value: (data) => ({
      option: {
        tooltip: tooltip({ trigger: "axis" }),
        legend: { top: 0, data: [data.labels.amount, data.labels.weighted] },
        grid: { top: 32, left: 8, right: 8, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.stages, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value" },
        series: [
          { name: data.labels.amount, type: "bar", data: data.amount },
          { name: data.labels.weighted, type: "bar", data: data.weighted },
        ],
      },
      onClick: (p) => go(data.urls[p.dataIndex]),
    }),
    forecast: (data) => ({
      option: {
        tooltip: tooltip({ trigger: "axis" }),
        legend: { top: 0, data: [data.labels.won, data.labels.weighted, data.labels.target] },
        grid: { top: 32, left: 8, right: 8, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value" },
        series: [
          { name: data.labels.won, type: "bar", stack: "forecast", data: data.won },
          { name: data.labels.weighted, type: "bar", stack: "forecast", data: data.weighted },
          { name: data.labels.target, type: "line", connectNulls: false, data: data.target },
        ],
      },
    }),
  };

  const draw = (element) => {
    const kind = element.dataset.chart;
    const source = document.getElementById(`${kind}-chart-data`);
    if (!options[kind] || !source || echarts.getInstanceByDom(element)) return;
    const { option, onClick } = options[kind](JSON.parse(source.textContent));
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    if (onClick) chart.on("click", onClick);
  };
  const drawIn = (root) => {
    if (!root || !root.querySelectorAll) return;
    if (root.matches("[data-chart]")) draw(root);
    root.querySelectorAll("[data-chart]").forEach(draw);
  };
  const charts = () =>
    Array.from(document.querySelectorAll("[data-chart]"))
      .map((element) => echarts.getInstanceByDom(element))
      .filter(Boolean);

  document.addEventListener("htmx:load", (event) => drawIn(event.target));
  document.addEventListener("DOMContentLoaded", () => drawIn(document.body));
  window.addEventListener("resize", () => charts().forEach((chart) => chart.resize()));
})();

// a panel whose request failed says so instead of loading forever (htmx swaps no error page)
(() => {
  const failed = (event) => {
    const panel = event.detail.elt && event.detail.elt.closest("[data-panel]");
    const status = panel && panel.querySelector("[data-panel-status]");
    if (!status) return;
    panel.removeAttribute("aria-busy");
    status.setAttribute("role", "alert");
    status.classList.replace("text-secondary", "text-danger");
    status.textContent = panel.dataset.errorText;
  };
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
