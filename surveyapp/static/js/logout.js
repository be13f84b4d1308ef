/* Signing out of a shared tablet: first send what waits, ask before throwing away what
   could not be sent, then remove every draft, queued interview and cached page. The
   server's answer to the sign-out clears the site's storage too (Clear-Site-Data). */
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form || !window.BrukerOffline) { return; }
  var offline = window.BrukerOffline;
  var confirmed = false;
  form.addEventListener("submit", function (event) {
    if (confirmed) { return; }
    event.preventDefault();
    offline.flush().then(function (state) {
      var unsent = state.waiting + state.rejected.length;
      if (unsent && !window.confirm(form.getAttribute("data-confirm").replace("{n}", unsent))) {
        return;
      }
      return offline.wipe().then(function () {
        confirmed = true;
        form.submit();
      });
    });
  });
}());
