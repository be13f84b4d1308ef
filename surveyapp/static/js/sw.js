/* Brukerstemmen's service worker, for the interview pages (scope /intervju/).
   Pages and static files under plain names: network first, and the cached copy when there
   is no network, so a tablet can open, reload and finish interviews offline. Static files
   under hashed names (web/assets.py) never change: the cached copy first. The JSON routes are never
   cached: what a tablet sends waits in IndexedDB instead (offline.js). A cached page is
   marked as such, so that it does not pretend to a session it cannot check. */
var CACHE = "brukerstemmen-v1";

/* A page from the cache says so (<html data-offline-copy>): it was rendered for a session
   that may be gone since (offline.js). */
function markedCopy(cached) {
  return cached.text().then(function (html) {
    return new Response(html.replace("<html ", '<html data-offline-copy="1" '), {
      status: cached.status, statusText: cached.statusText, headers: cached.headers
    });
  });
}

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
  // a static file under its hashed name never changes: the cached copy is the file
  var immutable = /^\/static\/.+\.[0-9a-f]{12}\.[a-z0-9]+$/.test(url.pathname);
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      var fromCache = immutable ? cache.match(request) : Promise.resolve(null);
      return fromCache.then(function (hit) { return hit || fromNetwork(cache, request); });
    })
  );
});

function fromNetwork(cache, request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) { cache.put(request, response.clone()); }
    return response;
  }).catch(function () {
    return cache.match(request, { ignoreSearch: true }).then(function (cached) {
      if (!cached) { return Response.error(); }
      return request.mode === "navigate" ? markedCopy(cached) : cached;
    });
  });
}
