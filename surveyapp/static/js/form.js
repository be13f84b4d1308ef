/* Brukerstemmen form behaviour: live conditions and exclusive choices.
   The server applies the same conditions again and decides; without this file the
   form still works, page by page. No inline script: the page's Content-Security-Policy
   forbids it. */
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form || !window.SurveyConditions) { return; }
  var DECLINED = "_declined";
  var plan = JSON.parse(document.getElementById("survey-conditions").textContent);
  form.elements.js.value = "1";

  function currentAnswers() {
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.indexOf("q:") !== 0) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      var value = (el.value || "").trim();
      if (!value || value === DECLINED) { return; }
      var id = el.name.slice(2);
      (answers[id] = answers[id] || []).push(value);
    });
    return answers;
  }

  function applyConditions() {
    var visible = window.SurveyConditions.visibleIds(plan, currentAnswers()).questions;
    var shown = [];
    form.querySelectorAll("[data-question]").forEach(function (block) {
      var id = block.getAttribute("data-question");
      var show = visible.indexOf(id) !== -1;
      block.hidden = !show;
      if (show) { shown.push(id); }
    });
    form.elements.shown.value = shown.join(" ");
  }

  function applyExclusive(input) {
    if (input.type !== "checkbox" || !input.checked) { return; }
    var exclusive = input.hasAttribute("data-exclusive");
    form.querySelectorAll('input[type=checkbox][name="' + input.name + '"]').forEach(function (other) {
      if (other !== input && (exclusive || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }

  form.addEventListener("change", function (event) {
    applyExclusive(event.target);
    applyConditions();
  });
  form.addEventListener("input", applyConditions);
  applyConditions();

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
