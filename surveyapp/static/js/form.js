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

  /* The public, paged form. With JavaScript, each page is fetched and put in place of
     the last one, with an entry in the browser's history, so that Back and Forward move
     between pages (a POST result in the history would ask to resend the form instead).
     The answers so far stay in this tab's sessionStorage until the form is sent, so that
     opening the link again in the same tab resumes where the respondent was; nothing is
     stored on the server before the last page is sent. Without JavaScript the form posts
     page by page as before. */
  if (!window.SurveyConditions || !document.getElementById("survey-form")) { return; }
  var STORE = "brukerstemmen-skjema:" + window.location.pathname;
  var sending = false;

  function stored() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); }
    catch (e) { return null; }
  }
  function keep(form) {
    var state = {
      version: form.elements.version.value, key: form.elements.key.value,
      page: form.elements.page.value,
      answers: currentAnswers(form, { keepDeclined: true })
    };
    if (!Object.keys(state.answers).length) { forget(); return; }  // nothing to keep
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* full or off */ }
  }
  function forget() {
    try { sessionStorage.removeItem(STORE); } catch (e) { /* not available */ }
  }

  /* Put the page the server rendered in place of this one. */
  function swap(html, history_mode) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("script[src]").forEach(function (script) { script.remove(); });
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang;
    document.body.replaceWith(document.adoptNode(doc.body));
    var form = document.getElementById("survey-form");
    if (form) {
      var entry = { surveyPage: form.elements.page.value };
      if (history_mode === "push") { window.history.pushState(entry, "", window.location.href); }
      else if (history_mode === "replace") { window.history.replaceState(entry, "", window.location.href); }
    }
    window.scrollTo(0, 0);
    setUp(true);
  }

  function post(body, history_mode, fallback) {
    if (sending) { return Promise.resolve(); }
    sending = true;
    var form = document.getElementById("survey-form");
    // the buttons are named "action", which hides form.action
    return fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        sending = false;
        if (response.redirected && /\/takk$/.test(new URL(response.url).pathname)) {
          forget();  // sent and stored: nothing stays in the browser
          window.location.assign(response.url);
          return;
        }
        return response.text().then(function (html) { swap(html, history_mode); });
      }, function () {
        sending = false;
        if (fallback) { fallback(); }  // no network: the browser's own submission says so
      });
  }

  /* Show page `page` with the answers kept in this tab (Back, Forward, reopening). */
  function showPage(page, history_mode, fallback) {
    var state = stored();
    var form = document.getElementById("survey-form");
    if (!state || !form) { return Promise.resolve(); }
    var body = new FormData();
    body.append("csrf_token", form.elements.csrf_token.value);
    body.append("version", state.version);
    body.append("page", page);
    body.append("key", state.key);
    body.append("js", "1");
    body.append("action", "show");
    Object.keys(state.answers).forEach(function (id) {
      state.answers[id].forEach(function (value) { body.append("q:" + id, value); });
    });
    return post(body, history_mode, fallback || null);
  }

  var native = false;
  function setUp(swapped) {
    var form = document.getElementById("survey-form");
    if (!form) { return; }
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
      keep(form);
    });
    form.addEventListener("input", function (event) {
      applyExclusive(form, event.target);
      update();
      keep(form);
    });
    form.addEventListener("submit", function (event) {
      if (native || !window.fetch || !window.FormData) { return; }
      event.preventDefault();
      var submitter = event.submitter;
      var body = new FormData(form);
      if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
      keep(form);
      post(body, "push", function () {
        native = true;
        form.requestSubmit(submitter);
      });
    });
    update();
    keep(form);
    var restart = document.getElementById("start-over");
    if (restart) {
      restart.addEventListener("click", function () {
        forget();
        window.location.replace(window.location.pathname);
      });
    }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    else if (swapped) { document.getElementById("main").focus(); }
  }

  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.surveyPage !== undefined) {
      showPage(event.state.surveyPage, null);
    }
  });

  /* A fresh page from the link (new key) while this tab holds answers: carry on there. */
  var first = document.getElementById("survey-form");
  var earlier = stored();
  if (earlier && earlier.key !== first.elements.key.value) {
    var at = window.history.state && window.history.state.surveyPage !== undefined
      ? window.history.state.surveyPage : earlier.page;
    showPage(at, "replace", function () { setUp(false); }).then(function () {
      var notice = document.getElementById("resume-notice");
      if (notice) { notice.hidden = false; }
    });
  } else {
    window.history.replaceState({ surveyPage: first.elements.page.value }, "", window.location.href);
    setUp(false);
  }
}());
