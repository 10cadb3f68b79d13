// Live countdown to each due time: "剩余 3 小时 12 分" or "已超期 2 小时 5 分"; the words come translated in data- attributes.
const words = document.getElementById("countdown-words").dataset;
function tick() {
  document.querySelectorAll("[data-countdown]").forEach(el => {
    const ms = new Date(el.dataset.countdown) - new Date(), a = Math.abs(ms);
    const text = `${Math.floor(a / 3600000)} ${words.h} ${Math.floor(a % 3600000 / 60000)} ${words.min}`;
    el.textContent = ms >= 0 ? `${words.left} ${text}` : `${words.over} ${text}`;
  });
}
tick(); setInterval(tick, 1000);
document.querySelectorAll("form select, form input[type=text]").forEach(e => e.classList.add(e.tagName === "SELECT" ? "form-select" : "form-control", "form-control-sm"));
