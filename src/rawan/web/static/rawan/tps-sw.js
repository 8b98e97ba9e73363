// rawan: the service worker of the TPS pages (served at /tps/sw.js, scope /tps/).
// Pages and the package's CSS/JS: network first, the last copy from the cache when there is no
// network, so a PKD can open their desa and its TPS checklists with the signal gone. Posts (the
// saves) never pass through here: the page keeps them in IndexedDB and sends them itself (tps.js).
var CACHE = "rawan-tps-1";
var SHELL = ["/static/rawan/rawan.css", "/static/rawan/tps.js"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("rawan-tps-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname === "/tps/sw.js") return;
  if (url.pathname.indexOf("/tps/") !== 0 && url.pathname.indexOf("/static/rawan/") !== 0) return;
  e.respondWith(fetch(req).then(function (resp) {
    if (resp.ok && !resp.redirected && resp.type === "basic") {
      var copy = resp.clone();
      caches.open(CACHE).then(function (c) { c.put(req, copy); });
    }
    return resp;
  }).catch(function () {
    return caches.match(req).then(function (hit) {
      return hit || new Response("Tidak ada sambungan / offline", {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
    });
  }));
});

self.addEventListener("message", function (e) {
  if (e.data === "forget") e.waitUntil(caches.delete(CACHE));  // on log-out: no page stays on the phone
});
