/* Brukerstemmen form behaviour shared by the public form and the interview:
   live conditions and exclusive choices. The server applies the same conditions again
   and decides. No inline script: the Content-Security-Policy forbids it. */
(function () {
  "use strict";
  var DECLINED = "_declined";

  /* The answers as the form holds them now: answer id -> [values]. "Vil ikke svare"
     counts as no answer for conditions, as on the server. */
  function currentAnswers(form, options) {
    var keepDeclined = options && options.keepDeclined;
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.indexOf("q:") !== 0 || el.disabled) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      var value = (el.value || "").trim();
      if (!value || (value === DECLINED && !keepDeclined)) { return; }
      var id = el.name.slice(2);
      (answers[id] = answers[id] || []).push(value);
    });
    return answers;
  }

  /* Show and hide question blocks; returns the ids of the visible questions. */
  function applyConditions(form, plan) {
    var result = window.SurveyConditions.visibleIds(plan, currentAnswers(form));
    form.querySelectorAll("[data-question]").forEach(function (block) {
      block.hidden = result.questions.indexOf(block.getAttribute("data-question")) === -1;
    });
    return result;
  }

  /* An exclusive choice ("Vet ikke", "Vil ikke svare") clears the other answers to the
     same question, and any other answer clears it. */
  function applyExclusive(form, input) {
    if (!input.name || input.name.indexOf("q:") !== 0) { return; }
    var isChoice = input.type === "checkbox" || input.type === "radio";
    if (isChoice ? !input.checked : !input.value.trim()) { return; }
    var exclusive = input.hasAttribute("data-exclusive");
    form.querySelectorAll('[name="' + input.name + '"]').forEach(function (other) {
      if (other === input || other.type === "radio") { return; }
      if (other.type === "checkbox") {
        if (exclusive || other.hasAttribute("data-exclusive")) { other.checked = false; }
      } else if (exclusive) {
        other.value = "";  // a written answer, cleared by "Vil ikke svare"
      }
    });
  }

  window.SurveyForm = {
    DECLINED: DECLINED,
    currentAnswers: currentAnswers,
    applyConditions: applyConditions,
    applyExclusive: applyExclusive
  };

  /* The public, paged form. */
  var form = document.getElementById("survey-form");
  if (!form || !window.SurveyConditions) { return; }
  var plan = JSON.parse(document.getElementById("survey-conditions").textContent);
  form.elements.js.value = "1";
  function update() {
    var visible = applyConditions(form, plan).questions;
    var shown = [];
    form.querySelectorAll("[data-question]").forEach(function (block) {
      var id = block.getAttribute("data-question");
      if (visible.indexOf(id) !== -1) { shown.push(id); }
    });
    form.elements.shown.value = shown.join(" ");
  }
  form.addEventListener("change", function (event) {
    applyExclusive(form, event.target);
    update();
  });
  form.addEventListener("input", function (event) {
    applyExclusive(form, event.target);
    update();
  });
  update();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
