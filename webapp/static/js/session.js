/* Mon espace santé – the warning two minutes before a session ends (WCAG 2.2.1).
   The server ends sessions whether this runs or not; this only warns, and lets the
   person stay with "Rester connecté" (a POST that restarts the idle time, never past
   the absolute limit). A native modal <dialog>: focus moves into it, Tab stays in it,
   Escape closes it and counts as "I am here". Before warning, it asks the server what
   is left (another tab may have been used), without that counting as activity. */
(function () {
  "use strict";

  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) return;

  var stayForm = dialog.querySelector("[data-session-stay]");
  var closeButton = dialog.querySelector("[data-session-close]");
  var statusUrl = dialog.getAttribute("data-status");
  var timer = null;
  var state = null;

  function showOnly(names) {
    dialog.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = !el.getAttribute("data-when").split(" ").some(function (name) {
        return names.indexOf(name) !== -1;
      });
    });
  }

  function open(focusTarget) {
    if (!dialog.open) dialog.showModal();
    focusTarget.focus();
  }

  function warn() {
    var names = ["warning", state.kind];
    if (state.capped && state.kind !== "absolute") names.push("capped");
    showOnly(names);
    dialog.setAttribute("aria-labelledby", "session-warning-title");
    var canStay = state.kind !== "absolute";
    stayForm.hidden = !canStay;
    closeButton.hidden = canStay;
    open(canStay ? stayForm.querySelector("button") : closeButton);
  }

  function ended() {
    var codeDue = state && state.signed_in && state.kind === "reverify";
    showOnly([codeDue ? "code-due" : "ended"]);
    dialog.setAttribute("aria-labelledby", codeDue ? "session-code-title" : "session-ended-title");
    stayForm.hidden = true;
    closeButton.hidden = false;
    open(closeButton);
  }

  function schedule(next) {
    window.clearTimeout(timer);
    state = next;
    if (!state.signed_in || state.seconds <= 0) {
      ended();
      return;
    }
    var untilWarning = (state.seconds - state.warn_seconds) * 1000;
    if (untilWarning > 0) {
      if (dialog.open) dialog.close();
      timer = window.setTimeout(check, untilWarning);
    } else {
      warn();
      timer = window.setTimeout(check, state.seconds * 1000 + 1000);
    }
  }

  function check() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(schedule)
      .catch(function () { /* offline: try again in a minute */
        timer = window.setTimeout(check, 60000);
      });
  }

  function announce(text) {
    var live = document.getElementById("live");
    if (live) live.textContent = text;
  }

  function stay() {
    fetch(stayForm.action, {
      method: "POST", body: new FormData(stayForm), credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error("session ended");
      return response.json();
    }).then(function (next) {
      if (dialog.open) dialog.close();
      schedule(next);
      announce(dialog.getAttribute("data-stayed"));
    }).catch(check);
  }

  stayForm.addEventListener("submit", function (event) {
    event.preventDefault();
    stay();
  });
  closeButton.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("cancel", function () {
    if (!stayForm.hidden) stay();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") check();
  });

  schedule({
    signed_in: true,
    seconds: parseInt(dialog.getAttribute("data-seconds"), 10),
    warn_seconds: parseInt(dialog.getAttribute("data-warn"), 10),
    kind: dialog.getAttribute("data-kind"),
    capped: dialog.getAttribute("data-capped") === "true"
  });
})();
