// The result chart (Chart.js, vendored): data from a json_script block, no inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("result-chart");
  const source = document.getElementById("result-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#2e7d32", "#a4161a", "#757575", "#1565c0", "#ef6c00", "#6a1b9a"];
  data.datasets.forEach((set, i) => {
    set.backgroundColor = palette[i % palette.length];
  });
  new Chart(canvas, {
    type: "bar",
    data,
    options: { responsive: true, aspectRatio: 3, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
});
