// The callback queue for a headset: the revealed number is dialled at once (tel: opens the softphone), and the
// keyboard does the rest: 1–5 rating, Y solved, N not solved, Alt+S save the answer, Alt+N no answer.
(() => {
  const dial = document.querySelector("[data-autodial]");
  if (dial) dial.click();
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
