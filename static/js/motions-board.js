// The per-branch chart of the proposals board: data from the page's json_script, no inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("proposal-rates-data");
  const canvas = document.getElementById("proposal-rates-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const bar = (label, values, color) => ({
    label, data: values, backgroundColor: color, stack: "count", yAxisID: "y", maxBarThickness: 72,
  });
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        bar(data.names.on_time, data.on_time, "#2e7d32"),
        bar(data.names.late, data.late, "#f9a825"),
        bar(data.names.unanswered, data.unanswered, "#a4161a"),
        {
          type: "line", label: data.names.satisfaction, data: data.satisfaction, yAxisID: "percent",
          borderColor: "#1565c0", backgroundColor: "#1565c0", spanGaps: true, pointRadius: 5, clip: false,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        percent: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
    },
  });
});
