// The console's suggested category and department (learning/): nothing is chosen until the operator accepts one,
// by clicking it or with Alt+1…3 (category) and Alt+4…6 (department).
(function () {
  function accept(button) {
    const id = button.dataset.id, name = button.dataset.name;
    if (button.dataset.accept === "category") {
      // As the category picker's own choice does (static/js/console.js): the hidden value, the text, the ✓ line,
      // then "picked", which asks for the routing proposal, the repeats and the knowledge articles again.
      const hidden = document.getElementById("id_category"), input = document.getElementById("category-q");
      hidden.value = id; input.value = name;
      const shown = document.querySelector("[data-testid=category-picked]");
      if (shown) shown.textContent = `✓ ${name}`;
      hidden.dispatchEvent(new Event("picked"));
      input.dispatchEvent(new Event("change", {bubbles: true}));
    } else {
      const lead = document.getElementById("id_department");
      const byHand = document.getElementById("id_department_by_hand");
      if (byHand) byHand.value = "1";  // accepting a suggestion is the operator's own choice
      if (lead) { lead.value = id; lead.dispatchEvent(new Event("change", {bubbles: true})); }
    }
    button.classList.replace("btn-outline-secondary", "btn-secondary");
  }
  document.addEventListener("click", e => {
    const button = e.target.closest("[data-accept]");
    if (button) accept(button);
  });
  document.addEventListener("keydown", e => {
    if (!e.altKey || !/^[1-6]$/.test(e.key)) return;
    const button = document.querySelector(`#routing-suggestions [data-key="${e.key}"]`);
    if (button) { e.preventDefault(); accept(button); }
  });
})();
