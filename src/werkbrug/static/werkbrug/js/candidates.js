/*
 * Werkbrug candidates: a filter box above long checkbox lists (tasks, skills, occupations).
 * Progressive enhancement: without this file the whole list is there to tick.
 * The lists carry the class "checklist" (candidates/forms.py).
 */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // Translated words come from the page (an element with id "checklist-strings").
  var strings = document.getElementById("checklist-strings");

  function text(name, fallback) {
    return (strings && strings.getAttribute(name)) || fallback;
  }

  function enhance(list, index) {
    var options = Array.prototype.slice.call(list.children);
    var label = text("data-filter-label", "Type to filter the list");
    var wrapper = document.createElement("div");
    wrapper.className = "checklist-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "checklist-filter-" + index;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", list.id || "");
    var inputLabel = document.createElement("label");
    inputLabel.htmlFor = input.id;
    inputLabel.className = "checklist-filter-label";
    inputLabel.textContent = label;
    var count = document.createElement("span");
    count.className = "checklist-count";
    count.setAttribute("aria-live", "polite");
    wrapper.appendChild(inputLabel);
    wrapper.appendChild(input);
    wrapper.appendChild(count);
    list.parentNode.insertBefore(wrapper, list);

    function showCount() {
      var chosen = list.querySelectorAll("input:checked").length;
      count.textContent = text("data-chosen-label", "%s chosen").replace("%s", chosen);
    }

    input.addEventListener("input", function () {
      var term = normalise(input.value.trim());
      options.forEach(function (option) {
        var box = option.querySelector("input");
        var match = !term || normalise(option.textContent).indexOf(term) !== -1;
        option.hidden = !(match || (box && box.checked && !term));
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // filtering must not submit the form
      }
    });
    list.addEventListener("change", showCount);
    showCount();
  }

  function init() {
    var lists = document.querySelectorAll("div.checklist");
    Array.prototype.forEach.call(lists, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
