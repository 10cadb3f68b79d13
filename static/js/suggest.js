// The console's suggested category and department (learning/): nothing is chosen until the operator accepts one,
// by clicking it or with Alt+1…3 (category) and Alt+4…6 (department).
(function () {
  function accept(button) {
    const id = button.dataset.id, name = button.dataset.name;
    if (button.dataset.accept === "category") {
      const box = document.getElementById("category-options");
      const select = document.createElement("select");
      select.className = "form-select form-select-sm mt-1";
      select.id = "id_category"; select.name = "category"; select.size = 2;
      select.setAttribute("hx-get", document.querySelector("#routing-suggestions [data-route-url]").dataset.routeUrl);
      select.setAttribute("hx-trigger", "change"); select.setAttribute("hx-target", "#route");
      select.setAttribute("hx-include", "#id_category,#id_area");
      select.add(new Option(name, id, true, true));
      box.replaceChildren(select);
      document.getElementById("category-q").value = name;
      window.htmx.process(select);
      select.dispatchEvent(new Event("change", {bubbles: true}));
    } else {
      const lead = document.getElementById("id_department");
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
