// Dashboard charts: data from json_script; clicking a bar or slice opens the list behind it.
(function () {
  const el = document.getElementById("chart-data");
  if (!el || typeof Chart === "undefined") return;
  const data = JSON.parse(el.textContent);
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d", "#ffc107"];
  function go(links) {
    return function (evt, elements) {
      if (!elements.length || !links) return;
      const url = links[elements[0].index];
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
              onClick: go(m.links)},
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
