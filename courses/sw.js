/*
 * The Open College's service worker: keeps a copy of every page and file of this site the browser has loaded, so
 * pages already visited (the SQL runners with their engine and data among them) work with the network cut.
 *
 * Network first: online, every request goes to the site as usual and its answer refreshes the copy; offline, the
 * copy answers. Only GET requests to this site are kept; nothing goes to, or comes from, any other host.
 */
"use strict";

var CACHE = "open-college-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("open-college-") === 0 && name !== CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

/* A page asks to keep what it loaded before this worker controlled it (its first visit). */
self.addEventListener("message", function (event) {
  var urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  var local = urls.filter(function (url) {
    return typeof url === "string" && new URL(url, self.location.href).origin === self.location.origin;
  });
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(local.map(function (url) {
        return cache.match(url).then(function (found) {
          return found || cache.add(url).catch(function () { /* gone or offline: skip it */ });
        });
      }));
    })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          return cache.put(request, copy);
        });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (cached) {
        return cached || Response.error();
      });
    })
  );
});
