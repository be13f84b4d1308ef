/* Brukerstemmen on the interviewer's tablet: drafts and finished interviews in IndexedDB,
   sent to the server whenever there is network, each finished interview with its own
   idempotency key so that a resend is never a duplicate. Nothing is dropped silently: an
   interview whose answers the server refuses goes back to being a draft, with the server's
   reasons at the questions they name, to be corrected and sent again; one the server cannot
   read at all stays on the tablet, marked with the reason. */
(function () {
  "use strict";
  var DB_NAME = "brukerstemmen";
  var CACHE = "brukerstemmen-v1";
  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("drafts", { keyPath: "id" });
          request.result.createObjectStore("outbox", { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = work(tx.objectStore(storeName));
        // a request's result, which is undefined for a key that is not there (not the request)
        tx.oncomplete = function () { resolve(result instanceof IDBRequest ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function store(name) {
    return {
      all: function () { return run(name, "readonly", function (s) { return s.getAll(); }); },
      get: function (key) { return run(name, "readonly", function (s) { return s.get(key); }); },
      put: function (item) { return run(name, "readwrite", function (s) { s.put(item); }); },
      remove: function (key) { return run(name, "readwrite", function (s) { s.delete(key); }); }
    };
  }

  var drafts = store("drafts");
  var outbox = store("outbox");

  function randomId() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /* --- talking to the server ---------------------------------------------------------- */

  var listeners = [];
  var state = {
    waiting: 0, rejected: [], unsaved: 0, returned: 0, loginNeeded: false, sessionGone: false,
    online: navigator.onLine
  };

  function notify() {
    state.online = navigator.onLine;
    listeners.forEach(function (listener) { listener(state); });
  }

  function refreshState() {
    return Promise.all([outbox.all(), drafts.all()]).then(function (lists) {
      var items = lists[0];
      state.waiting = items.filter(function (i) { return i.state !== "rejected"; }).length;
      state.rejected = items.filter(function (i) { return i.state === "rejected"; });
      state.unsaved = lists[1].filter(function (d) { return d.dirty; }).length;
      // sent, refused by the server, and a draft again: not sent, and not waiting either
      state.returned = lists[1].filter(function (d) { return d.refused; }).length;
      notify();
      return state;
    });
  }

  /* A counted text in the page's language: the server renders every plural form of it
     (ngettext, keyed by CLDR category); the browser's rules pick the form for n. */
  function plural(forms, n) {
    var category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang || "nb").select(n);
    } catch (e) { /* an unknown language: "other" */ }
    return (forms[category] || forms.other).replace("{n}", String(n));
  }

  /* A page the service worker served from its cache (no network) says so on <html>. A page
     from the server was shown to a signed-in user, which this browser session remembers;
     a cached page in a session that never had one comes after a browser restart, when the
     session cookie is gone: it must not offer to sign out, or pretend to be signed in. */
  var SIGNED_IN = "brukerstemmen-signed-in";
  try {
    if (!document.documentElement.hasAttribute("data-offline-copy")) {
      sessionStorage.setItem(SIGNED_IN, "1");
    } else if (!sessionStorage.getItem(SIGNED_IN)) {
      state.sessionGone = true;
    }
  } catch (e) { /* no sessionStorage: nothing to go by */ }

  function api(method, path, token, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (token) { headers["X-CSRFToken"] = token; }
    return fetch("/intervju/api/" + path, {
      method: method, headers: headers, credentials: "same-origin", redirect: "manual",
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function freshToken() {
    return api("GET", "token").then(function (response) {
      if (response.status === 401 || response.type === "opaqueredirect") {
        state.loginNeeded = true;
        throw new Error("login");
      }
      if (!response.ok) { throw new Error("token " + response.status); }
      state.loginNeeded = false;
      return response.json().then(function (data) { return data.token; });
    });
  }

  function payloadOf(item) {
    return { draft_id: item.draft_id, version_id: item.version_id, dps_id: item.dps_id,
             answers: item.answers, key: item.key };
  }

  /* What the server said, with each problem named by its question. */
  function refusalOf(response) {
    return response.json().then(function (data) {
      var errors = data.errors || [];
      var reason = [data.message || ""].concat(errors.map(function (e) {
        return "«" + e.question + "»: " + e.message;
      })).join(" ").trim();
      return { reason: reason || ("HTTP " + response.status), errors: errors };
    }, function () { return { reason: "HTTP " + response.status, errors: [] }; });
  }

  /* Answers the server will not take (422), or a key it had for another interview (409):
     the interview becomes a draft again, with what the server said, and waits to be
     corrected and finished once more (with a new key). */
  function backToDraft(item, refusal) {
    var draft = {
      id: item.draft_id, version_id: item.version_id, questionnaire_id: item.questionnaire_id,
      title: item.title, dps_id: item.dps_id, dps_name: item.dps_name, answers: item.answers,
      updated_at: new Date().toISOString(), dirty: true,
      refused: { reason: refusal.reason, errors: refusal.errors, at: new Date().toISOString() }
    };
    return drafts.put(draft).then(function () { return outbox.remove(item.key); });
  }

  function sendOne(item, token) {
    return api("POST", "fullfor", token, payloadOf(item)).then(function (response) {
      if (response.ok) {
        return outbox.remove(item.key).then(function () { return drafts.remove(item.draft_id); });
      }
      if (response.status === 401 || response.type === "opaqueredirect") {
        state.loginNeeded = true;
        throw new Error("login");
      }
      if (response.status >= 500 || response.status === 429) {
        throw new Error("retry later");
      }
      return refusalOf(response).then(function (refusal) {
        if (response.status === 422 || response.status === 409) {
          return backToDraft(item, refusal);
        }
        item.state = "rejected";
        item.reason = refusal.reason;
        return outbox.put(item);
      });
    });
  }

  function pushDraft(draft, token) {
    return api("PUT", "utkast/" + draft.id, token, {
      draft_id: draft.id, version_id: draft.version_id, dps_id: draft.dps_id, answers: draft.answers
    }).then(function (response) {
      if (response.status === 401) { state.loginNeeded = true; throw new Error("login"); }
      if (response.ok) {
        return drafts.get(draft.id).then(function (current) {
          if (current && current.updated_at === draft.updated_at) {
            current.dirty = false;
            return drafts.put(current);
          }
        });
      }
    });
  }

  /* Send what waits: finished interviews first, then changed drafts. One round at a time:
     a flush asked for during another runs after it, so that it sees what that one left. */
  var rounds = Promise.resolve();
  function flush() {
    rounds = rounds.then(flushOnce, flushOnce);
    return rounds;
  }

  function flushOnce() {
    if (!navigator.onLine) { return refreshState(); }
    return Promise.all([outbox.all(), drafts.all()]).then(function (lists) {
      var waiting = lists[0].filter(function (i) { return i.state !== "rejected"; });
      var dirty = lists[1].filter(function (d) { return d.dirty; });
      if (!waiting.length && !dirty.length) { return; }
      return freshToken().then(function (token) {
        return waiting.reduce(function (chain, item) {
          return chain.then(function () { return sendOne(item, token); });
        }, Promise.resolve()).then(function () {
          return dirty.reduce(function (chain, draft) {
            return chain.then(function () { return pushDraft(draft, token); });
          }, Promise.resolve());
        });
      });
    }).catch(function () { /* no network or signed out: kept, tried again later */ })
      .then(refreshState);
  }

  /* Bring drafts saved from another session (or tablet) down to this one. */
  function pullDrafts() {
    if (!navigator.onLine) { return Promise.resolve(); }
    return api("GET", "utkast").then(function (response) {
      if (!response.ok) { return; }
      return response.json().then(function (data) {
        return data.drafts.reduce(function (chain, remote) {
          return chain.then(function () {
            return drafts.get(remote.id).then(function (local) {
              if (!local || (!local.dirty && local.updated_at < remote.updated_at)) {
                remote.dirty = false;
                if (local && local.refused &&
                    JSON.stringify(local.answers) === JSON.stringify(remote.answers)) {
                  remote.refused = local.refused;  // the server keeps no refusals
                }
                return drafts.put(remote);
              }
            });
          });
        }, Promise.resolve());
      });
    }).catch(function () {});
  }

  /* Finish an interview: from now on it waits in the outbox until the server has it.
     Resolves, after one try to send it, to "sent", "waiting", "refused" (a draft again)
     or "rejected". */
  function queueFinished(draft) {
    var item = {
      key: randomId(), draft_id: draft.id, version_id: draft.version_id, dps_id: draft.dps_id,
      questionnaire_id: draft.questionnaire_id, dps_name: draft.dps_name, title: draft.title,
      answers: draft.answers, state: "waiting", queued_at: new Date().toISOString()
    };
    return outbox.put(item).then(function () { return drafts.remove(draft.id); })
      .then(flush)
      .then(function () { return Promise.all([outbox.get(item.key), drafts.get(draft.id)]); })
      .then(function (found) {
        if (found[0]) { return found[0].state === "rejected" ? "rejected" : "waiting"; }
        return found[1] && found[1].refused ? "refused" : "sent";
      });
  }

  function discardRejected(key) {
    return outbox.remove(key).then(refreshState);
  }

  /* Shared tablets: remove every draft, queued interview and cached page. */
  function wipe() {
    var closing = dbPromise ? dbPromise.then(function (db) { db.close(); }) : Promise.resolve();
    dbPromise = null;
    return closing.then(function () {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }).then(function () {
      try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* not available */ }
      if (!window.caches) { return; }
      return caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return caches.delete(key); }));
      });
    });
  }

  /* Keep these pages for offline use; resolves to true when every one was stored. */
  function precache(urls) {
    if (!window.caches || !navigator.onLine) { return Promise.resolve(false); }
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok || response.redirected) { return false; }
          return cache.put(url, response).then(function () { return true; });
        }).catch(function () { return false; });
      }));
    }).then(function (stored) { return stored.every(Boolean); });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(); }
    return navigator.serviceWorker.register("/intervju/sw.js", { scope: "/intervju/" })
      .catch(function () {});
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", notify);
  setInterval(flush, 20000);

  window.BrukerOffline = {
    drafts: drafts,
    outbox: outbox,
    randomId: randomId,
    flush: flush,
    pullDrafts: pullDrafts,
    queueFinished: queueFinished,
    discardRejected: discardRejected,
    refreshState: refreshState,
    plural: plural,
    state: state,
    onChange: function (listener) { listeners.push(listener); },
    wipe: wipe,
    precache: precache,
    registerWorker: registerWorker
  };
}());
