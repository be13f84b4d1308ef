/* The interviewer's pages: starting an interview, the draft list, the interview form with
   its sections, saving as you go, and finishing. Texts come from the page (translated on
   the server) through data-* attributes, so this file holds no user-facing words. */
(function () {
  "use strict";
  var offline = window.BrukerOffline;
  if (!offline) { return; }

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function text(key) { return document.body.getAttribute("data-text-" + key) || ""; }
  function el(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  /* The counter of interviews waiting to be sent, on every interview page. */
  function showState(state) {
    var count = document.getElementById("queue-count");
    if (count) { count.textContent = String(state.waiting); }
    var login = document.getElementById("login-needed");
    if (login) { login.hidden = !state.loginNeeded; }
    var list = document.getElementById("rejected-list");
    if (!list) { return; }
    list.textContent = "";
    document.getElementById("rejected").hidden = state.rejected.length === 0;
    state.rejected.forEach(function (item) {
      var li = el("li");
      li.appendChild(el("strong", {}, item.title + " – " + item.dps_name));
      li.appendChild(el("p", {}, text("rejected-reason") + " " + item.reason));
      var button = el("button", { type: "button", "class": "button secondary" }, text("discard"));
      button.addEventListener("click", function () {
        if (window.confirm(text("confirm-discard"))) { offline.discardRejected(item.key); }
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }
  offline.onChange(showState);

  /* --- the home page: start an interview, and the drafts on this tablet --------------- */

  function homePage() {
    var info = data("interview-data");
    // Ready for offline work once the service worker runs and every page is cached.
    var ready = Promise.all([
      offline.registerWorker().then(function () {
        return "serviceWorker" in navigator ? navigator.serviceWorker.ready : null;
      }),
      offline.precache(info.precache)
    ]);
    ready.then(function (results) {
      var status = document.getElementById("offline-ready");
      if (status && results[1]) { status.hidden = false; }
    });
    var form = document.getElementById("start-form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var guide = info.guides.filter(function (g) {
        return String(g.version_id) === form.elements.guide.value;
      })[0];
      var unit = info.units.filter(function (u) { return u.id === form.elements.dps.value; })[0];
      var draft = {
        id: offline.randomId(), version_id: guide.version_id,
        questionnaire_id: guide.questionnaire_id, title: guide.title,
        dps_id: unit.id, dps_name: unit.name, answers: {},
        updated_at: new Date().toISOString(), dirty: true
      };
      offline.drafts.put(draft).then(function () {
        window.location.href = formUrl(draft);
      });
    });
    offline.pullDrafts().then(listDrafts).then(offline.flush);
    listDrafts();
  }

  function formUrl(draft) {
    return "/intervju/skjema/" + draft.version_id + "?utkast=" + encodeURIComponent(draft.id);
  }

  function listDrafts() {
    return offline.drafts.all().then(function (all) {
      var list = document.getElementById("draft-list");
      list.textContent = "";
      document.getElementById("no-drafts").hidden = all.length > 0;
      all.sort(function (a, b) { return a.updated_at < b.updated_at ? 1 : -1; });
      all.forEach(function (draft) {
        var li = el("li");
        var link = el("a", { href: formUrl(draft), "class": "draft-link" },
                      draft.title + " – " + draft.dps_name);
        li.appendChild(link);
        li.appendChild(el("span", { "class": "draft-time" },
          " " + text("changed") + " " + new Date(draft.updated_at).toLocaleString("nb-NO")));
        list.appendChild(li);
      });
    });
  }

  /* --- the interview form ------------------------------------------------------------- */

  function formPage() {
    var form = document.getElementById("interview-form");
    var plan = data("survey-conditions");
    var meta = data("interview-meta");
    var draftId = new URLSearchParams(window.location.search).get("utkast");
    var sections = Array.prototype.slice.call(document.querySelectorAll(".interview-section"));
    var current = 0;
    var draft = null;

    function visibleSections() {
      var pages = window.SurveyForm.applyConditions(form, plan).pages;
      return sections.filter(function (s) {
        return s.id === "section-finish" || pages.indexOf(s.getAttribute("data-page")) !== -1;
      });
    }

    function showSection(index, focus) {
      var shown = visibleSections();
      current = Math.max(0, Math.min(index, shown.length - 1));
      sections.forEach(function (s) { s.hidden = s !== shown[current]; });
      document.querySelectorAll("[data-goto]").forEach(function (button) {
        var target = document.getElementById(button.getAttribute("data-goto"));
        button.parentNode.hidden = shown.indexOf(target) === -1;
        if (target === shown[current]) { button.setAttribute("aria-current", "step"); }
        else { button.removeAttribute("aria-current"); }
      });
      document.getElementById("previous-section").hidden = current === 0;
      document.getElementById("next-section").hidden = current === shown.length - 1;
      if (shown[current].id === "section-finish") { showSummary(); }
      if (focus) { shown[current].querySelector("h2").focus(); }
    }

    function fill(answers) {
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!input.name || input.name.indexOf("q:") !== 0) { return; }
        var values = answers[input.name.slice(2)] || [];
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.indexOf(input.value) !== -1;
        } else {
          input.value = values.filter(function (v) {
            return v !== window.SurveyForm.DECLINED;
          })[0] || "";
        }
      });
    }

    function unansweredRequired() {
      var answers = window.SurveyForm.currentAnswers(form, { keepDeclined: true });
      var visible = window.SurveyForm.applyConditions(form, plan).answerIds;
      return meta.required.filter(function (id) {
        return visible.indexOf(id) !== -1 && !(answers[id] && answers[id].length);
      });
    }

    function showSummary() {
      var missing = unansweredRequired();
      var list = document.getElementById("missing-list");
      list.textContent = "";
      document.getElementById("missing").hidden = missing.length === 0;
      document.getElementById("all-answered").hidden = missing.length > 0;
      missing.forEach(function (id) {
        var field = document.getElementById("q-" + id.replace(/\./g, "-"));
        var label = field && (field.querySelector("legend") || document.querySelector('label[for="' + field.id + '"]'));
        var li = el("li");
        var link = el("a", { href: "#" + (field ? field.id : "") }, label ? label.textContent.trim() : id);
        link.addEventListener("click", function (event) {
          event.preventDefault();
          var section = field.closest(".interview-section");
          showSection(visibleSections().indexOf(section), false);
          (field.querySelector("input, textarea, select") || field).focus();
        });
        li.appendChild(link);
        list.appendChild(li);
      });
      return missing;
    }

    var saveTimer = null;
    function save() {
      draft.answers = window.SurveyForm.currentAnswers(form, { keepDeclined: true });
      draft.updated_at = new Date().toISOString();
      draft.dirty = true;
      document.getElementById("save-status").textContent = text("saved-here");
      offline.drafts.put(draft).then(function () {
        clearTimeout(saveTimer);
        saveTimer = setTimeout(offline.flush, 1500);
      });
    }

    function start(found) {
      if (!found) {
        document.getElementById("draft-missing").hidden = false;
        form.hidden = true;
        return;
      }
      draft = found;
      document.getElementById("draft-dps").textContent = draft.dps_name;
      fill(draft.answers || {});
      form.hidden = false;
      showSection(0, false);
      form.addEventListener("change", function (event) {
        window.SurveyForm.applyExclusive(form, event.target);
        window.SurveyForm.applyConditions(form, plan);
        save();
      });
      form.addEventListener("input", function (event) {
        window.SurveyForm.applyExclusive(form, event.target);
        save();
      });
    }

    document.querySelectorAll("[data-goto]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-goto"));
        showSection(visibleSections().indexOf(target), true);
      });
    });
    document.getElementById("previous-section").addEventListener("click", function () {
      showSection(current - 1, true);
    });
    document.getElementById("next-section").addEventListener("click", function () {
      showSection(current + 1, true);
    });
    document.getElementById("finish-button").addEventListener("click", function () {
      if (showSummary().length) {
        document.getElementById("missing").focus();
        return;
      }
      draft.answers = window.SurveyForm.currentAnswers(form, { keepDeclined: true });
      offline.queueFinished(draft).then(function () {
        window.location.href = "/intervju/?fullfort=1";
      });
    });

    offline.drafts.get(draftId).then(function (found) {
      if (found || !navigator.onLine) { return found; }
      return offline.pullDrafts().then(function () { return offline.drafts.get(draftId); });
    }).then(start);
    offline.refreshState().then(offline.flush);
  }

  if (document.getElementById("interview-form")) { formPage(); }
  if (document.getElementById("start-form")) { homePage(); }
  if (new URLSearchParams(window.location.search).get("fullfort")) {
    var done = document.getElementById("finished-notice");
    if (done) { done.hidden = false; }
  }
}());
