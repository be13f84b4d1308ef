/* The interviewer's pages: starting an interview, the draft list, the interview form with
   its sections, saving as you go, checking the answers as the server will, and finishing.
   Texts come from the page (translated on the server) through data-* attributes and JSON,
   counted ones in every plural form, so this file holds no user-facing words. */
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

  /* The counter of interviews waiting to be sent, the network and the session, on every
     interview page. */
  function showCount(status, n) {
    if (status.getAttribute("data-count") === String(n)) { return; }  // said once is enough
    status.setAttribute("data-count", String(n));
    var forms = JSON.parse(status.getAttribute("data-plurals")).waiting;
    var parts = offline.plural(forms, n).split(String(n));
    status.textContent = "";
    status.appendChild(document.createTextNode(parts[0]));
    status.appendChild(el("strong", { id: "queue-count" }, String(n)));
    status.appendChild(document.createTextNode(parts.slice(1).join(String(n))));
  }

  function showState(state) {
    var status = document.getElementById("queue-status");
    if (status) { showCount(status, state.waiting); }
    var network = document.getElementById("offline-notice");
    if (network) {
      // offline: say so; online again after that: say so too; online from the start: nothing
      var said = network.getAttribute("data-said");
      var now = state.online ? (said ? "online" : "") : "offline";
      if (now !== (said || "")) {
        network.textContent = now ? network.getAttribute("data-" + now) : "";
        network.setAttribute("data-said", now);
      }
    }
    var returned = document.getElementById("returned-status");
    if (returned && status) {
      var forms = JSON.parse(status.getAttribute("data-plurals")).returned;
      returned.hidden = state.returned === 0;
      returned.textContent = state.returned ? offline.plural(forms, state.returned) : "";
    }
    var gone = document.getElementById("session-gone");
    if (gone) { gone.hidden = !state.sessionGone; }
    var login = document.getElementById("login-needed");
    if (login) { login.hidden = !state.loginNeeded || state.sessionGone; }
    var box = document.getElementById("rejected");
    var list = document.getElementById("rejected-list");
    if (!list) { return; }
    list.textContent = "";
    box.hidden = state.rejected.length === 0;
    state.rejected.forEach(function (item) {
      var li = el("li");
      li.appendChild(el("strong", {}, item.title + " – " + item.dps_name));
      li.appendChild(el("p", {}, box.getAttribute("data-text-reason") + " " + item.reason));
      var button = el("button", { type: "button", "class": "button secondary" },
                      box.getAttribute("data-text-discard"));
      button.addEventListener("click", function () {
        if (window.confirm(box.getAttribute("data-text-confirm-discard"))) {
          offline.discardRejected(item.key);
        }
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }
  offline.onChange(showState);
  window.addEventListener("online", function () { showState(offline.state); });

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
    offline.onChange(listDrafts);  // a refused interview comes back as a draft
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
        if (draft.refused) {
          li.classList.add("refused");
          li.appendChild(el("p", { "class": "field-error" },
                            text("refused") + " " + draft.refused.reason));
        }
        list.appendChild(li);
      });
    });
  }

  /* --- the interview form ------------------------------------------------------------- */

  function fieldId(answerId) { return "q-" + answerId.replace(/\./g, "-"); }

  function formPage() {
    var form = document.getElementById("interview-form");
    var plan = data("survey-conditions");
    var checks = data("answer-checks");
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

    /* The server's checks, on the answers as they stand (all questions, or some). */
    function problems(questionIds) {
      var answers = window.SurveyForm.currentAnswers(form, { keepDeclined: true });
      return window.SurveyValidation.validate(checks.rules, plan, answers, {
        mayDeclineRequired: true, only: questionIds
      }).errors.map(function (e) {
        return { answer_id: e.answer_id, message: checks.messages[e.answer_id][e.code] };
      });
    }

    /* The element that holds a field: its fieldset, or the block around a text input. */
    function holder(answerId) {
      var field = document.getElementById(fieldId(answerId));
      if (!field) { return null; }
      return field.tagName === "FIELDSET" ? field : field.closest(".question");
    }

    /* A message beside the field (or none), as the server renders it on the public form. */
    function markField(answerId, message) {
      var box = holder(answerId);
      if (!box) { return; }
      var id = fieldId(answerId) + "-error";
      var target = document.getElementById(fieldId(answerId));
      var existing = document.getElementById(id);
      var described = (target.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
        return x && x !== id;
      });
      if (existing) { existing.remove(); }
      box.classList.toggle("has-error", Boolean(message));
      if (!message) {
        target.removeAttribute("aria-invalid");
      } else {
        var note = el("p", { "class": "field-error", id: id });
        note.appendChild(el("span", { "class": "visually-hidden" }, text("error") + " "));
        note.appendChild(document.createTextNode(message));
        var after = box.querySelector(":scope > .help") ||
          box.querySelector(":scope > legend, :scope > label");
        after.insertAdjacentElement("afterend", note);
        target.setAttribute("aria-invalid", "true");
        described.push(id);
      }
      if (described.length) { target.setAttribute("aria-describedby", described.join(" ")); }
      else { target.removeAttribute("aria-describedby"); }
    }

    /* Check one question again after a change: its message appears or goes away. */
    function recheck(questionId) {
      var found = {};
      problems([questionId]).forEach(function (p) { found[p.answer_id] = p.message; });
      checks.rules.order.forEach(function (answerId) {
        if (checks.rules.answers[answerId].question === questionId) {
          markField(answerId, found[answerId]);
        }
      });
    }

    function openAt(answerId) {
      var box = holder(answerId);
      if (!box) { return; }
      showSection(visibleSections().indexOf(box.closest(".interview-section")), false);
      var input = box.querySelector("input, textarea, select") || box;
      input.focus();
      box.scrollIntoView({ block: "center" });
    }

    function showSummary() {
      var found = problems();
      var list = document.getElementById("missing-list");
      list.textContent = "";
      document.getElementById("missing").hidden = found.length === 0;
      document.getElementById("all-answered").hidden = found.length > 0;
      found.forEach(function (problem) {
        var li = el("li");
        var link = el("a", { href: "#" + fieldId(problem.answer_id) },
                      checks.labels[problem.answer_id]);
        link.addEventListener("click", function (event) {
          event.preventDefault();
          openAt(problem.answer_id);
        });
        li.appendChild(link);
        li.appendChild(document.createTextNode(" – " + problem.message));
        list.appendChild(li);
      });
      return found;
    }

    /* An interview the server sent back: its reasons at the questions they name, and the
       form open at the first of them. */
    function showRefusal(refused) {
      var box = document.getElementById("refused");
      document.getElementById("refused-reason").textContent = refused.reason;
      box.hidden = false;
      (refused.errors || []).forEach(function (e) { markField(e.answer_id, e.message); });
      if (refused.errors && refused.errors.length) { openAt(refused.errors[0].answer_id); }
      else { box.focus(); }
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

    function questionOf(input) {
      var block = input.closest("[data-question]");
      return block ? block.getAttribute("data-question") : null;
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
      if (draft.refused) { showRefusal(draft.refused); }
      form.addEventListener("change", function (event) {
        window.SurveyForm.applyExclusive(form, event.target);
        window.SurveyForm.applyConditions(form, plan);
        var questionId = questionOf(event.target);
        if (questionId) { recheck(questionId); }
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
    var finishing = false;
    document.getElementById("finish-button").addEventListener("click", function () {
      if (finishing) { return; }
      if (showSummary().length) {
        document.getElementById("missing").focus();
        return;
      }
      finishing = true;
      clearTimeout(saveTimer);
      draft.answers = window.SurveyForm.currentAnswers(form, { keepDeclined: true });
      offline.queueFinished(draft).then(function (outcome) {
        finishing = false;
        if (outcome === "refused") {
          return offline.drafts.get(draft.id).then(function (again) {
            draft = again;
            showRefusal(draft.refused);
          });
        }
        var shown = { sent: "sendt", waiting: "venter", rejected: "avvist" }[outcome];
        window.location.href = "/intervju/?fullfort=" + shown;
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
  var finished = new URLSearchParams(window.location.search).get("fullfort");
  var notice = document.getElementById("finished-notice");
  if (notice && finished && notice.hasAttribute("data-" + finished)) {
    notice.textContent = notice.getAttribute("data-" + finished);
    notice.hidden = false;
  }
  offline.refreshState();
}());
