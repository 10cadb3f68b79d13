// The callback queue for a headset: one click reveals the number (the server writes the audit row) and dials it
// (tel: opens the softphone, within the same click's user activation), and the keyboard does the rest:
// 1–5 rating, Y solved, N not solved, Alt+S save the answer, Alt+N no answer. Without this script the reveal form
// shows the page again with the number and a tel: link.
(() => {
  const reveal = document.getElementById("reveal-form");
  if (reveal) reveal.addEventListener("submit", async e => {
    e.preventDefault();
    const response = await fetch(reveal.action, {method: "POST", body: new FormData(reveal), credentials: "same-origin", headers: {Accept: "application/json"}});
    if (!response.ok) { reveal.submit(); return; }
    const {phone} = await response.json();
    const link = document.createElement("a");
    link.className = "btn btn-success"; link.href = `tel:${phone}`; link.dataset.testid = "dial";
    link.textContent = `${reveal.dataset.dialLabel} ${phone}`;
    document.querySelector("[data-testid=masked-phone]").remove();
    reveal.replaceWith(link);
    document.querySelector("#callback-form [name=revealed]").value = "1";
    // Dial in a hidden frame: the softphone opens, and this page never starts a navigation of its own.
    const frame = document.createElement("iframe");
    frame.hidden = true; frame.title = link.textContent; frame.src = link.href;
    document.body.append(frame);
  });
  const form = document.getElementById("callback-form");
  if (!form) return;
  const press = id => { const el = document.getElementById(id); if (el) el.checked = true; };
  document.addEventListener("keydown", e => {
    const typing = e.target.closest && e.target.closest("textarea, input[type=text]");
    if (e.altKey && (e.key === "s" || e.key === "n")) {
      e.preventDefault();
      form.querySelector(`button[value=${e.key === "s" ? "answered" : "no_answer"}]`).click();
    } else if (!typing && !e.ctrlKey && !e.altKey && !e.metaKey) {
      if (/^[1-5]$/.test(e.key)) press(`rating-${e.key}`);
      else if (e.key.toLowerCase() === "y") press("solved-yes");
      else if (e.key.toLowerCase() === "n") press("solved-no");
    }
  });
})();
