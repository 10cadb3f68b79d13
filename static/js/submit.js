// The citizen's form: Django's widgets carry no Bootstrap classes.
document.querySelectorAll("form input:not([type=hidden]), form select, form textarea").forEach(e => e.classList.add(e.tagName === "SELECT" ? "form-select" : "form-control"));
