// Live pages. Elements with data-live-poll ask the server every HOTLINE_LIVE_POLL_SECONDS (htmx "every" triggers) for
// fresh copies of the page's [data-live-region] elements. A round is skipped while the user is inside one of them
// (focus on one of its links or fields) or has typed into one, so nothing typed or focused is ever replaced.
const typedIn = new WeakSet();
document.addEventListener("input", event => {
  const region = event.target.closest && event.target.closest("[data-live-region]");
  if (region) typedIn.add(region);
});
document.addEventListener("htmx:beforeRequest", event => {
  if (!event.detail.elt.hasAttribute("data-live-poll")) return;
  const busy = [...document.querySelectorAll("[data-live-region]")].some(region =>
    typedIn.has(region) || (document.activeElement !== document.body && region.contains(document.activeElement)));
  if (busy) event.preventDefault();
});

// The sound option (per browser): a short tone when a count marked data-chime-key (new intake, unread 督办) grows.
const SOUND_KEY = "hotline-sound";
const toggle = document.getElementById("sound-toggle");
let audio = null;
function soundOn() { return localStorage.getItem(SOUND_KEY) === "on"; }
function wakeAudio() {  // browsers let a page make sound only after a click or a key press
  if (!soundOn()) return;
  audio = audio || new AudioContext();
  if (audio.state === "suspended") audio.resume();
}
function chime() {
  document.documentElement.dataset.chimes = String(Number(document.documentElement.dataset.chimes || 0) + 1);
  if (!audio) return;
  const tone = audio.createOscillator(), gain = audio.createGain(), t = audio.currentTime;
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.25, t);
  gain.gain.exponentialRampToValueAtTime(0.001, t + 0.6);
  tone.connect(gain).connect(audio.destination);
  tone.start(t);
  tone.stop(t + 0.6);
}
if (toggle) {
  toggle.checked = soundOn();
  toggle.addEventListener("change", () => {
    localStorage.setItem(SOUND_KEY, toggle.checked ? "on" : "off");
    wakeAudio();
  });
}
document.addEventListener("pointerdown", wakeAudio, { once: true });
document.addEventListener("keydown", wakeAudio, { once: true });
const lastCounts = {};
function readCounts(announce) {
  let grew = false;
  document.querySelectorAll("[data-chime-key]").forEach(el => {
    const key = el.dataset.chimeKey, count = Number(el.dataset.chime || 0);
    if (announce && key in lastCounts && count > lastCounts[key]) grew = true;
    lastCounts[key] = count;
  });
  if (grew && soundOn()) chime();
}
readCounts(false);
document.addEventListener("htmx:afterSettle", () => readCounts(true));
