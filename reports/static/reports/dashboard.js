// Dashboard charts: data from json_script; clicking a bar or slice opens the list behind it.
(function () {
  const el = document.getElementById("chart-data");
  if (!el || typeof Chart === "undefined") return;
  const data = JSON.parse(el.textContent);
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d", "#ffc107"];
  // A segment of a stacked bar opens its own dataset's list (one category in one month) when it has links.
  function go(links, datasets) {
    return function (evt, elements) {
      if (!elements.length) return;
      const hit = elements[0];
      const own = datasets && datasets[hit.datasetIndex] && datasets[hit.datasetIndex].links;
      const url = (own || links || [])[hit.index];
      if (url) window.location.href = url;
    };
  }
  function make(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }
  const m = data.monthly;
  make("chart-monthly", {
    type: "bar",
    data: {labels: m.labels, datasets: m.datasets.map((d, i) => ({...d, backgroundColor: palette[i]}))},
    options: {responsive: true, maintainAspectRatio: false, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}},
              onClick: go(m.links, m.datasets)},
  });
  const simple = (id, key, type) => make(id, {
    type: type,
    data: {labels: data[key].labels, datasets: [{data: data[key].data, backgroundColor: palette}]},
    options: {responsive: true, maintainAspectRatio: false, plugins: {legend: {display: type !== "bar"}}, onClick: go(data[key].links),
              scales: type === "bar" ? {y: {beginAtZero: true, ticks: {precision: 0}}} : {}},
  });
  simple("chart-groups", "groups", "bar");
  simple("chart-channels", "channels", "doughnut");
  simple("chart-grades", "grades", "doughnut");
  if (data.funding) simple("chart-funding", "funding", "bar");
})();
