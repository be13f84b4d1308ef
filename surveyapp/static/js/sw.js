/* Brukerstemmen's service worker, for the interview pages (scope /intervju/).
   Pages and static files: network first, and the cached copy when there is no network,
   so a tablet can open, reload and finish interviews offline. The JSON routes are never
   cached: what a tablet sends waits in IndexedDB instead (offline.js). */
var CACHE = "brukerstemmen-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var cacheable = url.pathname.indexOf("/static/") === 0 ||
    (url.pathname.indexOf("/intervju/") === 0 && url.pathname.indexOf("/intervju/api/") !== 0);
  if (!cacheable) { return; }
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return fetch(request).then(function (response) {
        if (response.ok && !response.redirected) { cache.put(request, response.clone()); }
        return response;
      }).catch(function () {
        return cache.match(request, { ignoreSearch: true }).then(function (cached) {
          return cached || Response.error();
        });
      });
    })
  );
});
