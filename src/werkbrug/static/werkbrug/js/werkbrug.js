/*
 * Werkbrug: small progressive enhancements. Every page works without this file.
 *
 * 1. Sends the CSRF token with htmx requests that change something (POST, PUT, ...).
 * 2. Moves keyboard focus to a form's error summary after a failed submit, so screen-reader
 *    and keyboard users land on the list of problems.
 * 3. Announces the result of an htmx update (result count, job status) through one polite
 *    live region, because content swapped into the page is not always read out.
 * 4. Closes the mobile menu with the Escape key.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  var lastAnnounced = "";

  // Polled content (a job's status) is only announced when it changes.
  function announce(text, onlyIfChanged) {
    var region = document.getElementById("live-region");
    if (!region || !text || (onlyIfChanged && text === lastAnnounced)) {
      return;
    }
    lastAnnounced = text;
    region.textContent = "";
    // A short pause makes screen readers notice the change reliably.
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  }

  function announceFrom(root) {
    if (!root || !root.querySelector) {
      return;
    }
    var el = root.hasAttribute && root.hasAttribute("data-announce")
      ? root
      : root.querySelector("[data-announce]");
    if (!el) {
      return;
    }
    var text = el.getAttribute("data-announce") || el.textContent;
    announce(text.replace(/\s+/g, " ").trim(), el.hasAttribute("hx-trigger"));
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function init() {
    var body = document.body;

    body.addEventListener("htmx:configRequest", function (event) {
      var verb = (event.detail.verb || "get").toLowerCase();
      if (verb !== "get") {
        event.detail.headers["X-CSRFToken"] = csrfToken();
      }
    });

    body.addEventListener("htmx:afterSettle", function (event) {
      // htmx fires this on the swapped-in content (the new element for outerHTML swaps).
      announceFrom(event.target);
    });

    body.addEventListener("htmx:responseError", function () {
      var region = document.getElementById("live-region");
      var text = region ? region.getAttribute("data-error-message") : "";
      announce(text, false);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var menu = document.querySelector(".nav-mobile[open]");
      if (menu) {
        menu.removeAttribute("open");
        var summary = menu.querySelector("summary");
        if (summary) {
          summary.focus();
        }
      }
    });

    // Remember the job's status shown on load, so the first poll does not repeat it.
    var job = document.querySelector(".job-status[data-announce]");
    if (job) {
      lastAnnounced = job.getAttribute("data-announce");
    }

    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
