// 网络学习计时: an item's page beats every interval while it is visible and its reader active (a scroll, a key,
// a pointer or a touch within the last minute, or a video playing). The server decides what a beat is worth;
// this only reports what the page sees, and shows today's credited minutes.
(function () {
  "use strict";
  const IDLE_MS = 60 * 1000;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function start(panel) {
    const url = panel.dataset.beatUrl;
    const interval = Math.max(2, parseInt(panel.dataset.beatSeconds, 10) || 30) * 1000;
    const minutes = panel.querySelector("[data-testid=online-minutes]");
    let lastInput = Date.now();

    function touched() { lastInput = Date.now(); }
    ["scroll", "keydown", "pointerdown", "pointermove", "touchstart", "wheel"].forEach(function (name) {
      window.addEventListener(name, touched, { passive: true });
    });

    function playing() {
      return Array.prototype.some.call(document.querySelectorAll("video"), function (video) {
        return !video.paused && !video.ended;
      });
    }

    function beat() {
      const visible = document.visibilityState === "visible";
      const active = playing() || Date.now() - lastInput < IDLE_MS;
      if (!visible) return; // a hidden page does not beat; the server starts a new run when it beats again
      const body = new URLSearchParams({ visible: visible ? "1" : "0", active: active ? "1" : "0" });
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrfToken() } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && minutes) minutes.textContent = String(data.today_minutes); })
        .catch(function () { /* a lost beat only ends the run; the next one starts another */ });
    }

    beat();
    window.setInterval(beat, interval);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") touched();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const panel = document.getElementById("online-learning");
    if (panel && window.fetch) start(panel);
  });
})();
