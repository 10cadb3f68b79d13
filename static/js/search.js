// The filters are loaded when first opened (they cost more to draw than a search); style them whenever they appear.
function styleFilters() {
  document.querySelectorAll("[data-testid=filters] input:not([type=checkbox]), [data-testid=filters] select").forEach(e => e.classList.add(e.tagName === "SELECT" ? "form-select" : "form-control", "form-control-sm"));
  document.querySelectorAll("[data-testid=filters] input[name$=_from], [data-testid=filters] input[name$=_to]").forEach(e => e.type = "date");
  document.querySelectorAll("[data-testid=filters] input[name^=due_]").forEach(e => e.type = "datetime-local");
}
styleFilters();
document.addEventListener("htmx:load", styleFilters);
