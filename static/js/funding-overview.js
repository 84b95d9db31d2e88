// Funding overview: spending per month, from the page's json_script (#spending-data).
(function () {
  "use strict";
  const el = document.getElementById("spending-data");
  const canvas = document.getElementById("spending-chart");
  if (!el || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(el.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {labels: data.labels, datasets: [
      {label: data.subsidy_label, data: data.subsidy, backgroundColor: "#0d6efd"},
      {label: data.other_label, data: data.other, backgroundColor: "#adb5bd"}]},
    options: {responsive: true, maintainAspectRatio: false, animation: false,
              scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}}
  });
})();
