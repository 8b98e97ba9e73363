// rawan: the PKD's TPS checklists on a phone with a weak signal.
// Every save goes first into IndexedDB ("outbox"), then is sent; what could not be sent waits there,
// is listed on the page, and is sent when the connection returns (the "online" event, the next
// page load, or the "Kirim sekarang" button). Each save carries a save_id made once, so a save sent
// twice (an answer lost on the way back) is applied once on the server, and the version it was made
// on, so a save made on an older version is kept as a conflict for the supervisor. A conflict or a
// refused save stays listed as a notice until the PKD dismisses it (the conflict itself stays on the
// server, where the Panwascam decides it).
(function () {
  "use strict";
  var DB = "rawan-tps", STORE = "outbox", KNOWN = "rawan-tps-versions";
  var ID = document.documentElement.lang !== "en";
  function t(id, en) { return ID ? id : en; }

  document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
  var root = document.getElementById("tps-desa") || document.getElementById("tps-checklist");
  if (!root || !window.indexedDB) return;

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, {scope: "/tps/"}).catch(function () {});
  }
  document.querySelectorAll("form[action$='/keluar/']").forEach(function (f) {
    f.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget");
    });
  });

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function open() {
    return new Promise(function (ok, fail) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore(STORE, {keyPath: "save_id"}); };
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { fail(r.error); };
    });
  }
  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var x = db.transaction(STORE, mode), out = fn(x.objectStore(STORE));
        x.oncomplete = function () { ok(out && out.result !== undefined ? out.result : out); };
        x.onerror = function () { fail(x.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }).then(function (rows) {
    return rows.sort(function (a, b) { return a.created - b.created; }); }); }
  function get(id) { return tx("readonly", function (s) { return s.get(id); }); }
  function put(rec) { return tx("readwrite", function (s) { s.put(rec); }); }
  function drop(id) { return tx("readwrite", function (s) { s["delete"](id); }); }
  function known() { try { return JSON.parse(localStorage.getItem(KNOWN) || "{}"); } catch (e) { return {}; } }
  function remember(url, v) { var k = known(); k[url] = Math.max(k[url] || 0, v); localStorage.setItem(KNOWN, JSON.stringify(k)); }
  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }

  var sending = false;
  function send() {
    if (sending) return Promise.resolve();
    sending = true;
    return all().then(function (rows) {
      var chain = Promise.resolve(true);
      rows.forEach(function (row) {
        chain = chain.then(function (go) {
          if (!go) return go;
          return get(row.save_id).then(function (rec) { return rec && rec.state === "waiting" ? post(rec) : true; });
        });
      });
      return chain;
    }).then(function () { sending = false; return show(); }, function () { sending = false; });
  }
  function post(rec) {
          var fd = new FormData();
          rec.fields.forEach(function (kv) { fd.append(kv[0], kv[1]); });
          fd.append("save_id", rec.save_id);
          fd.append("base_version", String(rec.base_version));
          if (rec.photo) fd.append("photo", rec.photo, "foto.jpg");
          return fetch(rec.url, {method: "POST", body: fd, credentials: "same-origin", redirect: "manual",
                                 headers: {"Accept": "application/json", "X-CSRFToken": csrf()}})
            .then(function (r) {
              if (r.type === "opaqueredirect" || r.status === 401 || r.status === 403) {
                note(t("Belum terkirim: masuk lagi (sesi berakhir atau pengumpulan ditutup), lalu tekan Kirim sekarang.",
                       "Not sent: log in again (session ended or collection closed), then press Send now."));
                return false;
              }
              return r.json().then(function (doc) {
                if (r.status === 200 || r.status === 409) {
                  remember(rec.url, doc.current ? doc.current.version : doc.version);
                  return rebase(rec, doc).then(function () {
                    if (r.status === 200) {
                      marked(rec.url);
                      return drop(rec.save_id).then(function () { return true; });
                    }
                    rec.state = "conflict"; rec.message = t("Konflik: TPS ini sudah diubah (versi " + doc.version + "). Isian Anda disimpan untuk pengawas.",
                      "Conflict: this TPS was changed (version " + doc.version + "). Your answers are kept for the supervisor.");
                    return put(rec).then(function () { return true; });
                  });
                }
                rec.state = "error"; rec.message = doc.error || ("HTTP " + r.status);
                return put(rec).then(function () { return true; });
              });
            }, function () { return false; });  // no network: everything stays for later
  }
  // a later save of the same TPS made on this phone was made after this one: it builds on its result
  function rebase(rec, doc) {
    if (doc.outcome !== "applied") return Promise.resolve();
    return all().then(function (rows) {
      return Promise.all(rows.filter(function (o) {
        return o.url === rec.url && o.save_id !== rec.save_id && o.state === "waiting" && o.base_version === rec.base_version;
      }).map(function (o) { o.base_version = doc.version; return put(o); }));
    });
  }

  // the desa page was drawn before the save reached the server: mark that TPS saved in place
  function marked(url) {
    var a = document.querySelector("a[data-tps-link][href='" + url + "']");
    var tag = a && a.parentNode.querySelector(".tag");
    if (tag) { tag.textContent = t("tersimpan", "saved"); tag.className = "tag tag-ok"; }
  }
  function note(text) {
    var p = document.getElementById("tps-offline");
    if (p) { p.textContent = text; p.hidden = false; }
  }
  function show() {
    return all().then(function (rows) {
      var sec = document.getElementById("tps-pending");
      if (sec) {
        var ul = sec.querySelector("ul");
        ul.textContent = "";
        rows.forEach(function (rec) {
          var li = document.createElement("li");
          li.dataset.state = rec.state;
          li.textContent = rec.label + " — " + (rec.state === "waiting" ? t("menunggu dikirim", "waiting to be sent") : rec.message);
          if (rec.state !== "waiting") {  // a notice the PKD has seen may go; what waits to be sent never does
            var b = document.createElement("button");
            b.type = "button"; b.className = "link"; b.dataset.dismiss = rec.save_id;
            b.textContent = t("Sudah dibaca, tutup", "Seen, dismiss");
            b.setAttribute("aria-label", t("Tutup pemberitahuan ", "Dismiss the notice of ") + rec.label);
            b.addEventListener("click", function () { dismiss(rec.save_id); });
            li.appendChild(document.createTextNode(" "));
            li.appendChild(b);
          }
          ul.appendChild(li);
        });
        sec.hidden = rows.length === 0;
      }
      var off = document.getElementById("tps-offline");
      if (off && navigator.onLine) off.hidden = true;
      if (off && !navigator.onLine) off.hidden = false;
      return rows;
    });
  }

  // a conflict (or a refused save) stays on the server for the supervisor: on the phone it is only a
  // notice, removed from the list once the PKD has read it
  function dismiss(id) {
    return get(id).then(function (rec) {
      return rec && rec.state !== "waiting" ? drop(id) : null;
    }).then(show);
  }

  window.addEventListener("online", send);
  window.addEventListener("offline", show);
  var btn = document.getElementById("tps-send");
  if (btn) btn.addEventListener("click", send);

  // the desa page: keep each TPS page on the phone (the service worker caches what is fetched)
  if (root.id === "tps-desa") {
    show().then(send).then(function () {
      if (!navigator.onLine) return;
      document.querySelectorAll("[data-tps-link]").forEach(function (a) {
        fetch(a.href, {credentials: "same-origin"}).catch(function () {});
      });
    });
    return;
  }

  // a TPS checklist: answers waiting for this TPS are shown in the form; saving queues, then sends
  var form = document.getElementById("checklist-form");
  var here = location.pathname;
  all().then(function (rows) {
    var mine = rows.filter(function (r) { return r.url === here && r.state === "waiting"; });
    if (!mine.length || !form) return;
    var last = mine[mine.length - 1];
    form.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = false; });
    last.fields.forEach(function (kv) {
      var el = form.elements[kv[0]];
      if (!el) return;
      if (el.type === "checkbox") el.checked = true; else el.value = kv[1];
    });
    document.getElementById("tps-pending-here").hidden = false;
  });
  if (!form) return;

  function shrink(file) {  // a phone photo of several MB becomes a JPEG of at most 1280 px
    if (!file || !file.size) return Promise.resolve(null);
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (img) {
      var k = Math.min(1, 1280 / Math.max(img.width, img.height));
      var c = document.createElement("canvas");
      c.width = Math.round(img.width * k); c.height = Math.round(img.height * k);
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      return new Promise(function (ok) { c.toBlob(function (b) { ok(b || file); }, "image/jpeg", 0.8); });
    }, function () { return file; });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.name === "save_id" || el.name === "base_version") return;
      if (el.type === "checkbox" && !el.checked) return;
      if (el.type !== "checkbox" && !el.value.trim()) return;
      fields.push([el.name, el.value]);
    });
    var base = parseInt(form.elements.base_version.value, 10) || 0;
    var photoInput = form.elements.photo;
    all().then(function (rows) {
      var waiting = rows.filter(function (r) { return r.url === here && r.state === "waiting"; });
      if (waiting.length) base = waiting[0].base_version;  // sent after those: rebased when they land
      else base = Math.max(base, known()[here] || 0);      // this phone saved it since the page was kept
      return shrink(photoInput && photoInput.files[0]);
    }).then(function (photo) {
      return put({save_id: uuid(), url: here, label: root.dataset.label, base_version: base, fields: fields,
                  photo: photo, created: Date.now(), state: "waiting"});
    }).then(send).then(function () {
      location.href = root.dataset.desaUrl;
    });
  });
})();
