// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // A <form data-confirm="…"> asks before it submits.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // A <select data-autosubmit> submits its form when changed.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  // Show the exclusion reason only when "excluded" is chosen.
  document.querySelectorAll("[data-attendance-form]").forEach((form) => {
    const status = form.querySelector("select[name=status]");
    const reason = form.querySelector("[data-reason]");
    const sync = () => reason.classList.toggle("d-none", status.value !== "excluded");
    status.addEventListener("change", sync);
    sync();
  });
});
