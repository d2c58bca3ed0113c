/* Mon espace santé – upload forms, progressive enhancement only (the server decides).
   (a) A chosen file's size is checked before sending: the message, written by the
       server in the page's language (data-* attributes), is shown under the field and
       announced; a submit with a file too large is stopped and focus goes to the field.
       A photo over the limit is let through: the server makes it fit.
   (b) "Garder ou changer": the new-file field shows only when "change" is chosen. */
(function () {
  "use strict";

  var PHOTO = /^image\/(jpeg|png|heic|heif)$/i;
  var PHOTO_NAME = /\.(jpe?g|png|hei[cf])$/i;

  /* "6,4 Mo": the number in the page's language, the unit from the server (data-mb). */
  function sizeText(input, bytes) {
    var format = new Intl.NumberFormat(document.documentElement.lang || "fr", { maximumFractionDigits: 1 });
    if (bytes < 1024 * 1024) {
      return input.getAttribute("data-kb").replace("{n}", format.format(Math.max(1, Math.round(bytes / 1024))));
    }
    return input.getAttribute("data-mb").replace("{n}", format.format(bytes / (1024 * 1024)));
  }

  function announce(text) {
    var live = document.getElementById("live");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  /* Returns false when the chosen file cannot be sent. */
  function check(input, quiet) {
    var out = document.getElementById(input.id + "-check");
    var file = input.files && input.files[0];
    if (!out) return true;
    var message = "", blocking = false;
    if (file) {
      var photo = PHOTO.test(file.type) || PHOTO_NAME.test(file.name);
      var max = Number(input.getAttribute("data-max-bytes"));
      var photoMax = Number(input.getAttribute("data-photo-max-bytes")) || max;
      if (file.size > (photo ? photoMax : max)) {
        message = input.getAttribute(photo ? "data-photo-too-large" : "data-too-large");
        blocking = true;
      } else if (photo && file.size > max) {
        message = input.getAttribute("data-photo-reduced");
      }
    }
    message = (message || "").replace("{size}", file ? sizeText(input, file.size) : "");
    out.textContent = message;
    out.hidden = !message;
    out.className = blocking ? "field__error" : "field__hint";
    if (blocking) input.setAttribute("aria-invalid", "true");
    else if (!input.closest(".field--error")) input.removeAttribute("aria-invalid");
    if (message && !quiet) announce(message);
    return !blocking;
  }

  function showNewFile(root) {
    var change = root.querySelector("#file_choice-change");
    var block = root.querySelector("[data-new-file]");
    if (change && block) block.hidden = !change.checked;
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("input[type=file][data-max-bytes]")) check(el, false);
    if (el.name === "file_choice") {
      var root = el.closest("[data-received-file]");
      if (root) showNewFile(root);
    }
  });

  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var block = input.closest("[data-new-file]");
      if ((!block || !block.hidden) && !check(input, false)) {
        event.preventDefault();
        event.stopPropagation();
        input.focus();
        return;
      }
    }
  }, true);

  function init() {
    document.querySelectorAll("[data-received-file]").forEach(showNewFile);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
