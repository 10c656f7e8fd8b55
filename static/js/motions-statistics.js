// The statistics board of motions: data from the page's json_script, no inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("motion-statistics-data");
  const canvas = document.getElementById("motion-statistics-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const colors = { voted: "#1565c0", passed: "#2e7d32", implemented: "#00897b", rejected: "#a4161a" };
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map((s) => ({
        label: s.label, data: s.data, backgroundColor: colors[s.key], maxBarThickness: 48,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
});
