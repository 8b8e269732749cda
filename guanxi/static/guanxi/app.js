/* === shell, accounts, workspaces (helper B) ============================================= */
// <button data-copy-target="#input-id" data-copied-text="Copied">: copies that input's value.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const input = document.querySelector(button.dataset.copyTarget);
  if (!input) return;
  input.select();
  const done = () => {
    button.textContent = button.dataset.copiedText || button.textContent;
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, () => document.execCommand("copy") && done());
  } else if (document.execCommand("copy")) {
    done();
  }
});
/* === end helper B ======================================================================= */

/* === list pages and record forms (helper A) ============================================= */
// Bulk selection: <form data-bulk-form> holds checkboxes name="pk", a [data-bulk-select-all]
// checkbox, a [data-bulk-count] counter and buttons [data-bulk-requires-selection].
(() => {
  const syncBulkForm = (form) => {
    const boxes = form.querySelectorAll('input[type="checkbox"][name="pk"]');
    const checked = form.querySelectorAll('input[type="checkbox"][name="pk"]:checked').length;
    const all = form.querySelector("[data-bulk-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    form.querySelectorAll("[data-bulk-requires-selection]").forEach((button) => {
      button.disabled = checked === 0;
    });
    form.querySelectorAll("[data-bulk-count]").forEach((counter) => {
      counter.textContent = String(checked);
    });
  };
  const syncAll = () => document.querySelectorAll("[data-bulk-form]").forEach(syncBulkForm);

  document.addEventListener("change", (event) => {
    const form = event.target.closest("[data-bulk-form]");
    if (!form) return;
    if (event.target.matches("[data-bulk-select-all]")) {
      form.querySelectorAll('input[type="checkbox"][name="pk"]').forEach((box) => {
        box.checked = event.target.checked;
      });
    }
    syncBulkForm(form);
  });
  document.addEventListener("DOMContentLoaded", syncAll);
  document.addEventListener("htmx:afterSettle", syncAll);

  // Inline validation: a form with hx-headers X-Validate-Only posts on "change"; tell the
  // server which field changed so that fields not touched yet show no errors.
  document.addEventListener("htmx:configRequest", (event) => {
    const headers = event.detail.headers;
    if (!headers["X-Validate-Only"]) return;
    const source = event.detail.triggeringEvent && event.detail.triggeringEvent.target;
    if (source && source.name) headers["X-Validate-Field"] = source.name;
  });
  // The server answers error containers (data-errors-for="<input id>") out of band; mark
  // their inputs invalid or valid again for styles and screen readers.
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const container = event.target;
    if (!container || !container.dataset || !container.dataset.errorsFor) return;
    const input = document.getElementById(container.dataset.errorsFor);
    if (!input) return;
    if (container.textContent.trim()) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
  });
})();
/* === end helper A ======================================================================= */
