// The operator console keeps up with any typist and loses nothing typed.
// - Pickers (category, area): the result list is never in the tab order; Enter or Tab (or leaving the field) picks the
//   highlighted result, and a result list that has not arrived yet is picked from as soon as it does, so text typed
//   ahead always lands in the field the operator tabbed to. Sending the form first waits for lookups on the way.
// - The routing table proposes the lead department; one chosen by hand is never replaced: a new proposal is shown
//   beside it with a button to use it.
// - The call is kept as a draft in this browser (localStorage, per user and form key) on every keystroke, and on the
//   server once the phone is known; it comes back after an expired session, a new login, a CSRF failure, a language
//   switch or a crashed tab. The form key is the idempotency key: kept in history.state, so Back after the receipt
//   shows the call as sent with the same key, and sending it again makes no second ticket.
(() => {
  const form = document.getElementById("intake");
  if (!form) return;
  const $ = selector => form.querySelector(selector);
  const keyInput = $("#id_form_key"), byHand = $("#id_department_by_hand"), department = $("#id_department");
  const storeKey = `hotline.console.drafts.${form.dataset.user}`;
  const pending = new Set();
  const track = promise => { pending.add(promise); promise.finally(() => pending.delete(promise)); return promise; };
  const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || $("[name=csrfmiddlewaretoken]").value;

  // ---- pickers -------------------------------------------------------------------------------------------------
  function picker(box) {
    const input = box.querySelector("[role=combobox]"), hidden = box.querySelector("input[type=hidden]");
    const list = box.querySelector("[role=listbox]"), shownPick = box.querySelector("[data-testid$=-picked]");
    let shown = {q: null, options: []}, active = 0, commit = false, controller = null;

    const label = o => (o.street ? o.detail : o.name);
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function render() {
      list.replaceChildren(...shown.options.map((o, i) => {
        const li = document.createElement("li");
        li.className = "list-group-item list-group-item-action py-1 small";
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.append(o.name);
        if (o.detail) { const d = document.createElement("span"); d.className = "text-muted ms-2"; d.textContent = o.detail; li.append(d); }
        li.addEventListener("mousedown", e => e.preventDefault());  // keep the focus in the field
        li.addEventListener("click", () => { choose(o); close(); });
        return li;
      }));
      if (!shown.options.length) {
        const li = document.createElement("li");
        li.className = "list-group-item py-1 small text-muted";
        li.textContent = list.dataset.empty || "—";
        list.replaceChildren(li);
      }
      const open = document.activeElement === input;
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      if (shown.options.length) input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    }
    function choose(o) {
      hidden.value = String(o.id);
      input.value = label(o);
      shownPick.textContent = `✓ ${o.street ? `${o.detail} (${o.street})` : o.name + (o.detail ? ` · ${o.detail}` : "")}`;
      input.classList.remove("is-invalid");
      hidden.dispatchEvent(new Event("picked"));
      route();
      keep();
    }
    function search(q) {
      if (controller) controller.abort();
      controller = new AbortController();
      const url = `${box.dataset.url}?q=${encodeURIComponent(q)}`;
      return track(fetch(url, {signal: controller.signal, credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(r => (r.ok ? r.json() : Promise.reject(r)))
        .then(data => {
          if (data.q !== input.value) return;  // an answer to older text
          shown = data; active = 0;
          if (commit) { commit = false; if (data.options.length) choose(data.options[0]); close(); return; }
          render();
        })
        .catch(() => {}));
    }
    // Whatever is typed but not picked is picked now, or as soon as its results arrive.
    function settle() {
      if (hidden.value || !input.value.trim()) return;
      if (shown.q === input.value && shown.options.length) { choose(shown.options[active]); return; }
      commit = true;
      if (shown.q !== input.value && !controller) search(input.value);
    }
    input.addEventListener("input", () => {
      const had = hidden.value;
      hidden.value = ""; shownPick.textContent = ""; commit = false; shown = {q: null, options: []};
      if (had) hidden.dispatchEvent(new Event("picked"));
      if (input.value.trim()) search(input.value); else close();
    });
    input.addEventListener("keydown", e => {
      const n = shown.options.length;
      if ((e.key === "ArrowDown" || e.key === "ArrowUp") && n && shown.q === input.value) {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
        render();
      } else if (e.key === "Enter") {
        e.preventDefault();  // Enter in a picker picks; it never sends the form
        if (!e.ctrlKey) { settle(); close(); }
      } else if (e.key === "Escape") close();
    });
    input.addEventListener("blur", () => { settle(); close(); });  // Tab, or a click elsewhere
    return {settle, hidden};
  }
  const pickers = [...form.querySelectorAll(".picker")].map(picker);

  // ---- routing proposal ----------------------------------------------------------------------------------------
  const badge = document.getElementById("route-badge"), handBadge = document.getElementById("by-hand-badge");
  const proposal = document.getElementById("route-proposal"), proposalName = document.getElementById("route-proposal-name");
  let proposed = null;
  function apply(rule) {
    department.value = String(rule.lead);
    for (const option of $("#id_co_departments").options) option.selected = rule.co.includes(Number(option.value));
    byHand.value = ""; badge.hidden = false; handBadge.hidden = true; proposal.hidden = true;
  }
  function route() {
    const category = $("#id_category").value, area = $("#id_area").value;
    const url = `${form.dataset.routeUrl}?category=${category}&area=${area}`;
    track(fetch(url, {credentials: "same-origin"}).then(r => (r.ok ? r.json() : Promise.reject(r))).then(rule => {
      if ($("#id_category").value !== category || $("#id_area").value !== area) return;
      proposed = rule.lead ? rule : null;
      if (!rule.lead) { badge.hidden = true; proposal.hidden = true; return; }
      if (byHand.value !== "1") { apply(rule); keep(); return; }
      proposal.hidden = department.value === String(rule.lead);  // by hand: shown, never applied
      proposalName.textContent = rule.lead_name;
    }).catch(() => {}));
  }
  department.addEventListener("change", () => {
    byHand.value = department.value ? "1" : "";
    handBadge.hidden = !department.value; badge.hidden = true;
    proposal.hidden = !proposed || !department.value || department.value === String(proposed.lead);
    if (proposed) proposalName.textContent = proposed.lead_name;
  });
  document.getElementById("route-use").addEventListener("click", () => { if (proposed) { apply(proposed); keep(); } });

  // ---- sending: wait for what is on its way ----------------------------------------------------------------------
  const shortcuts = {d: "dispatch", s: "save", a: "answer", m: "merge"};
  document.addEventListener("keydown", e => {
    const action = e.ctrlKey && e.key === "Enter" ? "dispatch" : (e.altKey ? shortcuts[e.key.toLowerCase()] : null);
    if (action) { e.preventDefault(); $(`button[value=${action}]`).click(); }
  });
  let sending = false;
  form.addEventListener("submit", async e => {
    e.preventDefault();
    if (sending) return;
    sending = true;
    pickers.forEach(p => p.settle());
    const until = Date.now() + 8000;
    while (pending.size && Date.now() < until) {
      await Promise.race([Promise.allSettled([...pending]), new Promise(r => setTimeout(r, 500))]);
    }
    keep(true);
    const action = document.createElement("input");
    action.type = "hidden"; action.name = "action"; action.value = (e.submitter && e.submitter.value) || "save";
    form.append(action);
    HTMLFormElement.prototype.submit.call(form);
  });

  // ---- drafts ------------------------------------------------------------------------------------------------
  const SKIP = new Set(["csrfmiddlewaretoken", "action", "kb_q"]);
  function snapshot() {
    const data = {};
    for (const el of form.elements) {
      if (!el.name || SKIP.has(el.name)) continue;
      if (el.type === "checkbox") data[el.name] = el.checked ? "on" : "";
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else if (el.multiple) data[el.name] = [...el.selectedOptions].map(o => o.value);
      else data[el.name] = el.value;
    }
    data._picked = pickers.map(p => p.hidden.closest(".picker").querySelector("[data-testid$=-picked]").textContent);
    return data;
  }
  const typed = d => ["caller_phone", "caller_name", "category_q", "area_q", "address", "content", "answer"].some(n => (d[n] || "").trim());
  function drafts() { try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch { return {}; } }
  function store(all) {
    const keys = Object.keys(all).sort((a, b) => all[b].at - all[a].at);
    keys.slice(20).forEach(k => delete all[k]);
    try { localStorage.setItem(storeKey, JSON.stringify(all)); } catch { /* storage full or off: the server copy remains */ }
  }
  let serverTimer = null;
  function keep(now) {
    const data = snapshot();
    if (!typed(data)) return;
    const all = drafts();
    all[keyInput.value] = {at: Date.now(), data, sent: (all[keyInput.value] || {}).sent || ""};
    store(all);
    clearTimeout(serverTimer);
    if ((data.caller_phone || "").replace(/\D/g, "").length >= 7) serverTimer = setTimeout(toServer, now ? 0 : 800);
  }
  function draftPost(body) {
    return fetch(form.dataset.draftUrl, {method: "POST", body, credentials: "same-origin", redirect: "manual", headers: {"X-CSRFToken": csrf()}});
  }
  function toServer() {
    const body = new FormData(form);
    body.delete("action");
    draftPost(body)
      .then(r => { document.getElementById("draft-offline").hidden = r.ok; })
      .catch(() => { document.getElementById("draft-offline").hidden = false; });
  }
  function restore(data) {
    for (const el of form.elements) {
      if (!el.name || SKIP.has(el.name) || el.name === "form_key" || !(el.name in data)) continue;
      const value = data[el.name];
      if (el.type === "checkbox") el.checked = value === "on";
      else if (el.type === "radio") el.checked = el.value === value;
      else if (el.multiple) for (const o of el.options) o.selected = (value || []).includes(o.value);
      else el.value = value;
    }
    (data._picked || []).forEach((text, i) => {
      if (pickers[i]) pickers[i].hidden.closest(".picker").querySelector("[data-testid$=-picked]").textContent = text;
    });
    const hand = byHand.value === "1";
    handBadge.hidden = !hand; badge.hidden = true;
    if (data.category || data.area) route();
    document.body.dispatchEvent(new Event("draft-restored"));  // the side panels ask again
  }
  function fresh() {
    keyInput.value = (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`).replace(/-/g, "");
    history.replaceState({...(history.state || {}), formKey: keyInput.value}, "");
  }

  const all = drafts();
  const saved = form.dataset.savedKey;
  if (saved && all[saved]) { all[saved].sent = form.dataset.last || "1"; store(all); }
  const notice = document.getElementById("draft-restored"), sentNotice = document.getElementById("draft-sent");
  const back = history.state && history.state.formKey;
  if (form.dataset.bound) {
    // the server shows the form as sent (a failed save) or a draft it kept: that is the call
  } else if (back && all[back]) {
    keyInput.value = back;  // Back: the same form, as it was, with the same key
    restore(all[back].data);
    if (all[back].sent) { document.getElementById("draft-sent-number").textContent = all[back].sent; sentNotice.hidden = false; }
    else notice.hidden = false;
  } else if (back) {
    keyInput.value = back;
  } else {
    const newest = Object.entries(all).filter(([, d]) => !d.sent).sort((a, b) => b[1].at - a[1].at)[0];
    if (newest) { keyInput.value = newest[0]; restore(newest[1].data); notice.hidden = false; }
  }
  history.replaceState({...(history.state || {}), formKey: keyInput.value}, "");
  form.parentElement.querySelectorAll("[data-new-call]").forEach(button => button.addEventListener("click", () => {
    const left = drafts(); delete left[keyInput.value]; store(left);
    clearTimeout(serverTimer);  // and the server's copy, or it is offered again among the unfinished calls
    const gone = new FormData(); gone.append("form_key", keyInput.value); gone.append("discard", "1");
    draftPost(gone);
    form.parentElement.querySelectorAll("[data-testid=server-draft]").forEach(a => { if (new URL(a.href).searchParams.get("draft") === keyInput.value) a.remove(); });
    form.reset();
    for (const el of form.querySelectorAll("input[type=hidden]:not([name=csrfmiddlewaretoken]):not([name=channel])")) el.value = "";
    form.querySelectorAll("[data-testid$=-picked]").forEach(el => { el.textContent = ""; });
    fresh();
    notice.hidden = true; sentNotice.hidden = true;
    $("#id_caller_phone").focus();
  }));
  window.addEventListener("pageshow", e => {  // Back into this page from the browser's cache: as it was sent
    if (!e.persisted) return;
    sending = false;
    form.querySelectorAll("input[type=hidden][name=action]").forEach(el => el.remove());
    const kept = drafts()[keyInput.value];
    if (kept && kept.sent) { document.getElementById("draft-sent-number").textContent = kept.sent; sentNotice.hidden = false; }
  });
  form.addEventListener("input", e => { if (!e.target.closest("#kb-q")) keep(); });
  form.addEventListener("change", () => keep());
})();
