/* Questionnaire skip logic: a question or section with data-show-if="<code>" and
   data-show-values="a b" is shown only when the answer to <code> is one of those values
   (any of them for checkboxes). The server drops answers to hidden questions either way, so
   this is comfort, not a rule. */
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form) return;
  var dependents = form.querySelectorAll("[data-show-if]");

  function chosen(code) {
    var values = [];
    form.querySelectorAll('[name="' + code + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function update() {
    dependents.forEach(function (element) {
      var wanted = element.getAttribute("data-show-values").split(" ");
      var shown = chosen(element.getAttribute("data-show-if")).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      element.hidden = !shown;
      element.querySelectorAll(".survey-condition").forEach(function (note) {
        note.hidden = true;
      });
    });
  }

  form.addEventListener("change", update);
  update();
})();
