/* Signing out of a shared tablet: first send what waits, ask before throwing away what
   could not be sent (each kind counted, in the page's plural forms), then remove every
   draft, queued interview and cached page. The server's answer to the sign-out clears the
   site's storage too (Clear-Site-Data). Without network, signing out would throw away what
   waits and then fail: the tablet says so and keeps everything. A cached page after a
   browser restart has no session to sign out of, and offers none. */
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form || !window.BrukerOffline) { return; }
  var offline = window.BrukerOffline;
  var plurals = JSON.parse(form.getAttribute("data-plurals"));
  var confirmed = false;

  offline.onChange(function (state) { form.hidden = state.sessionGone; });
  if (offline.state.sessionGone) { form.hidden = true; }

  function unsentLines(state) {
    var lines = [];
    var waiting = state.waiting;
    if (waiting) { lines.push(offline.plural(plurals.unsent, waiting)); }
    if (state.rejected.length) { lines.push(offline.plural(plurals.rejected, state.rejected.length)); }
    if (state.unsaved) { lines.push(offline.plural(plurals.unsaved, state.unsaved)); }
    return lines;
  }

  form.addEventListener("submit", function (event) {
    if (confirmed) { return; }
    event.preventDefault();
    if (!navigator.onLine) {
      window.alert(form.getAttribute("data-offline"));
      return;
    }
    offline.flush().then(function (state) {
      var lines = unsentLines(state);
      if (lines.length &&
          !window.confirm(lines.concat([form.getAttribute("data-confirm")]).join("\n"))) {
        return;
      }
      return offline.wipe().then(function () {
        confirmed = true;
        form.submit();
      });
    });
  });
}());
