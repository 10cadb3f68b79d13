// The citizen's form: Django's widgets carry no Bootstrap classes.
document.querySelectorAll("form input:not([type=hidden]), form select, form textarea").forEach(e => {
  if (e.type !== "checkbox") e.classList.add(e.tagName === "SELECT" ? "form-select" : "form-control");
});

// Nothing the citizen typed is lost, and one submission is one ticket:
// - the text is kept in this browser while it is typed (not the photos: a browser cannot keep files), so a refused
//   or failed submission (429, a dropped connection) finds it again on the next visit;
// - the form's key lives in history.state: Back after the receipt shows the form as it was sent, with the same key,
//   and sending it again answers with the same ticket (channels.services.public_submit).
(() => {
  const form = document.querySelector("form[data-submission]");
  const receipt = document.querySelector("[data-sent-key]");
  const storeKey = `hotline.submit.${(form || receipt || {dataset: {}}).dataset.channel}`;
  const read = () => { try { return JSON.parse(localStorage.getItem(storeKey)); } catch { return null; } };
  const write = value => { try { localStorage.setItem(storeKey, JSON.stringify(value)); } catch { /* storage off */ } };
  if (receipt) {
    const kept = read();
    if (kept && kept.key === receipt.dataset.sentKey) write({...kept, sent: true});
    return;
  }
  if (!form) return;
  const keyField = form.querySelector("[name=submission_key]");
  const fields = () => [...form.elements].filter(el => el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit");
  const back = history.state && history.state.submissionKey;
  const kept = read();
  if (!form.dataset.bound && kept) {
    if (kept.sent && kept.key !== back) localStorage.removeItem(storeKey);  // that one was received: a new form
    else {
      for (const el of fields()) {
        if (!(el.name in kept.data)) continue;
        if (el.type === "checkbox") el.checked = kept.data[el.name] === "on"; else el.value = kept.data[el.name];
      }
      keyField.value = kept.key;
      const notice = document.getElementById("text-restored");
      if (notice) notice.hidden = false;
    }
  } else if (!form.dataset.bound && back) keyField.value = back;
  history.replaceState({...(history.state || {}), submissionKey: keyField.value}, "");
  const keep = () => {
    const data = {};
    for (const el of fields()) data[el.name] = el.type === "checkbox" ? (el.checked ? "on" : "") : el.value;
    write({key: keyField.value, data, sent: false});
  };
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
})();
