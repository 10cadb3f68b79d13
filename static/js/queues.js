document.querySelectorAll("[data-testid=queue] select").forEach(e => e.classList.add("form-select", "form-select-sm", "w-auto"));
