// Behaviour shared by every page, bound from data- attributes: no script runs inline (the CSP forbids it).
document.querySelectorAll("select[data-autosubmit]").forEach(select => select.addEventListener("change", () => select.form.submit()));
document.querySelectorAll("[data-print]").forEach(button => button.addEventListener("click", () => window.print()));
document.querySelectorAll("button[data-submit-once]").forEach(button => button.addEventListener("click", () => {
  button.disabled = true;
  button.form.submit();
}));
// "Back to the previous page" on the error pages: the browser's history when there is one, else the link's own target.
document.querySelectorAll("a[data-back]").forEach(link => link.addEventListener("click", event => {
  if (history.length > 1) { event.preventDefault(); history.back(); }
}));
// Back into a page from the browser's cache: a button disabled while its form was sent may be used again.
window.addEventListener("pageshow", e => { if (e.persisted) document.querySelectorAll("button[data-submit-once]").forEach(b => { b.disabled = false; }); });
