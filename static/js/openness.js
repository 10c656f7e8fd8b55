// 党务公开: the compliance chart and a small formatting toolbar for the item editor (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  // The compliance board: one stacked bar per organisation (data from json_script).
  const data = document.getElementById("compliance-data");
  const canvas = document.getElementById("compliance-chart");
  if (data && canvas && window.Chart) {
    const chart = JSON.parse(data.textContent);
    const colours = { on_time: "#2e7d4f", late: "#d49000", missing: "#a4161a", pending: "#b8b0a7" };
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: colours[s.key] })),
      },
      options: {
        indexAxis: chart.labels.length > 8 ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  // The item editor: the range fields only matter for a defined range.
  const scopeInputs = document.querySelectorAll("input[name=scope]");
  const rangeFields = ["div_id_range_organisations", "div_id_range_members"]
    .map((id) => document.getElementById(id))
    .filter(Boolean);
  if (scopeInputs.length && rangeFields.length) {
    const sync = () => {
      const checked = document.querySelector("input[name=scope]:checked");
      rangeFields.forEach((field) => field.classList.toggle("d-none", !checked || checked.value !== "range"));
    };
    scopeInputs.forEach((input) => input.addEventListener("change", sync));
    sync();
  }

  // The item editor: wrap the selection in a tag, or insert a list or a table skeleton.
  document.querySelectorAll("[data-richtext-toolbar]").forEach((toolbar) => {
    const area = document.getElementById(toolbar.dataset.richtextToolbar);
    if (!area) return;
    const insert = (before, after = "") => {
      const start = area.selectionStart;
      const end = area.selectionEnd;
      const selected = area.value.slice(start, end);
      area.setRangeText(before + selected + after, start, end, "end");
      area.focus();
    };
    toolbar.querySelectorAll("button").forEach((button) => {
      button.addEventListener("click", () => {
        if (button.dataset.wrap) insert(`<${button.dataset.wrap}>`, `</${button.dataset.wrap}>`);
        if (button.dataset.insert === "list") insert("<ul>\n  <li>", "</li>\n  <li></li>\n</ul>\n");
        if (button.dataset.insert === "table") {
          insert("<table>\n  <thead><tr><th></th><th></th></tr></thead>\n  <tbody>\n    <tr><td>", "</td><td></td></tr>\n  </tbody>\n</table>\n");
        }
      });
    });
  });
});
