// Names the admin's unnamed controls for assistive technology (axe-core finds them): the select2 boxes of
// autocomplete fields, the columns of tabular inlines, the tree's expand links and the filter widgets' search icons.
// The admin's scripts build those widgets at different moments, so this runs again whenever the page's elements change.
const expandLabel = document.currentScript.dataset.expand;
function labelFor(select) {
  const label = select.id && document.querySelector(`label[for="${select.id}"]`);
  return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
}
function nameAdminControls() {
  document.querySelectorAll("span.select2-container").forEach(box => {
    const select = box.previousElementSibling, name = select && select.tagName === "SELECT" && labelFor(select);
    if (!name) return;
    box.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(el => {
      el.removeAttribute("aria-labelledby");  // it points at the box's current value, empty until one is chosen
      el.setAttribute("aria-label", name);
    });
  });
  document.querySelectorAll(".tabular table").forEach(table => {
    const heads = [...table.querySelectorAll("thead th")];
    table.querySelectorAll("tbody tr").forEach(row => [...row.children].forEach((cell, i) => {
      const column = [...cell.classList].find(c => c.startsWith("field-"));
      const th = (column && table.querySelector(`thead th.column-${column.slice(6)}`)) || heads[i];
      const head = th && th.textContent.trim();
      if (!head) return;
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(field => {
        if (!field.labels || field.labels.length === 0) field.setAttribute("aria-label", head);
      });
    }));
  });
  document.querySelectorAll("a.treebeard-collapse").forEach(link => link.setAttribute("aria-label", expandLabel));
  document.querySelectorAll("span.search-label-icon[aria-label]").forEach(icon => icon.setAttribute("role", "img"));
}
let pending = false;
function soon() {
  if (pending) return;
  pending = true;
  queueMicrotask(() => { pending = false; nameAdminControls(); });
}
new MutationObserver(soon).observe(document.documentElement, { childList: true, subtree: true });
document.addEventListener("DOMContentLoaded", soon);
window.addEventListener("load", soon);
