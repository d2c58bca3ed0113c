/* Mon espace santé – small progressive enhancements.
   The site works without this file: every behaviour here only smooths
   something the server already does. Loaded with `defer`; no inline script. */
(function () {
  "use strict";

  /* Move focus to an element (adding tabindex="-1" if it cannot take focus)
     and bring it into view without animation. */
  function focusElement(el) {
    if (!el.hasAttribute("tabindex") && !el.matches("a[href], button, input, select, textarea")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "start" });
  }

  /* (a) Page load: focus the element the server marked, e.g. the error
     summary of a form that came back with errors. */
  function focusOnLoad() {
    var el = document.querySelector("[data-focus-on-load]");
    if (el) focusElement(el);
  }

  /* True when the request came from someone typing or choosing in a field
     (active search, filters): focus must stay where they are. */
  function isTypingField(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toUpperCase();
    if (tag === "SELECT" || tag === "TEXTAREA") return true;
    if (tag !== "INPUT") return false;
    var type = (el.getAttribute("type") || "text").toLowerCase();
    return ["text", "search", "email", "tel", "number", "date", "checkbox", "radio"].indexOf(type) !== -1;
  }

  function cameFromTyping(detail) {
    var config = detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    if (isTypingField(config.elt)) return true;
    if (trigger && isTypingField(trigger.target)) return true;
    if (trigger && ["input", "keyup", "keydown", "search", "change"].indexOf(trigger.type) !== -1) return true;
    return false;
  }

  /* (b) After htmx swaps content in: move focus to it so screen-reader and
     keyboard users land on what changed. htmx fires afterSettle once per
     settled element (out-of-band swaps too), so handle each request once. */
  var lastHandled = null;
  function onAfterSettle(event) {
    var detail = event.detail || {};
    var root = detail.elt || event.target;
    if (!root || !root.querySelector || cameFromTyping(detail)) return;
    if (detail.xhr && detail.xhr === lastHandled) return;

    var target = root.matches("[data-focus-on-load]") ? root : root.querySelector("[data-focus-on-load]");
    if (!target) target = root.matches("h1, h2, h3") ? root : root.querySelector("h1, h2, h3");
    if (target) {
      lastHandled = detail.xhr || null;
      focusElement(target);
    }
  }

  /* (c) Ask before a destructive submit. The server still shows its own
     confirmation page when JavaScript is off. Runs in the capture phase so
     htmx never sees a refused submit. */
  function onSubmit(event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  /* (d) Print buttons. Templates may render them `hidden`, since they are
     useless without JavaScript; reveal them here. */
  function onClick(event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  }

  /* (e) Nothing about a health record may outlive the page in the browser.
     htmx's history cache is already off (historyCacheSize 0); wipe any
     leftover anyway, and never show a private page restored from the
     back-forward cache (shared computer after logout): fetch it again. */
  function wipeHistoryCache() {
    try {
      window.sessionStorage.removeItem("htmx-history-cache");
      window.localStorage.removeItem("htmx-history-cache");
    } catch (e) { /* storage disabled: nothing stored either */ }
  }

  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body && document.body.hasAttribute("data-private")) {
      window.location.reload();
    }
  });

  function init() {
    document.querySelectorAll("[data-print][hidden]").forEach(function (b) { b.hidden = false; });
    focusOnLoad();
  }

  document.addEventListener("htmx:afterSettle", onAfterSettle);
  document.addEventListener("htmx:beforeHistorySave", wipeHistoryCache);
  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("click", onClick);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
