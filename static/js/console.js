// Keyboard first: Alt+D (or Ctrl+Enter) dispatch, Alt+S save, Alt+A answer directly, Alt+M merge.
const shortcuts = {d: "dispatch", s: "save", a: "answer", m: "merge"};
document.addEventListener("keydown", e => {
  const action = e.ctrlKey && e.key === "Enter" ? "dispatch" : (e.altKey ? shortcuts[e.key.toLowerCase()] : null);
  if (action) { e.preventDefault(); document.querySelector(`#intake button[value=${action}]`).click(); }
});
