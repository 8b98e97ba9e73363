// rawan entry pages: counts as you type, warnings before submitting, bulk ticks, comments required
// for "return". Plain script from the app's own static folder (no inline script, no CDN); every
// page works without it (the server checks everything again).
(function () {
  "use strict";
  var focusMe = document.querySelector("[data-focus]");
  if (focusMe) { focusMe.focus(); }

  // a "return" button needs its comment: say so where the comment is, keep the page where it is
  document.querySelectorAll("[data-needs-comment]").forEach(function (btn) {
    btn.addEventListener("click", function (ev) {
      var box = document.getElementById(btn.getAttribute("data-needs-comment"));
      if (box && !box.value.trim()) {
        ev.preventDefault();
        var id = box.id + "-needed", msg = document.getElementById(id);
        if (!msg) {
          msg = document.createElement("p");
          msg.id = id;
          msg.className = "error";
          msg.setAttribute("role", "alert");
          box.insertAdjacentElement("afterend", msg);
          box.setAttribute("aria-describedby", ((box.getAttribute("aria-describedby") || "") + " " + id).trim());
        }
        msg.textContent = btn.dataset.msg || "";
        box.setAttribute("aria-invalid", "true");
        box.focus();
      }
    });
  });

  // bulk verification: tick every submitted region shown
  var all = document.querySelector("[data-tick-all]");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("[data-tick]").forEach(function (t) { t.checked = all.checked; });
    });
  }

  // the entry form: filled counts per section and in all, warnings before submitting
  var form = document.querySelector("[data-entry-form]");
  if (!form) { return; }
  var values = Array.prototype.slice.call(form.querySelectorAll("input[name^='v_']"));
  function noteOf(input) { return form.querySelector("#n_" + input.name.slice(2)); }
  function recount() {
    var filled = 0;
    form.querySelectorAll("[data-section]").forEach(function (fs) {
      var inputs = fs.querySelectorAll("input[name^='v_']"), n = 0;
      inputs.forEach(function (i) { if (i.value.trim()) { n++; } });
      filled += n;
      document.querySelectorAll("[data-section-count='" + fs.dataset.section + "']").forEach(function (el) {
        el.textContent = n + "/" + inputs.length;
      });
    });
    document.querySelectorAll("[data-filled-count]").forEach(function (el) { el.textContent = filled; });
  }
  form.addEventListener("input", recount);
  var check = form.querySelector("[data-check-gaps]"), panel = document.getElementById("presubmit");
  if (check && panel) {
    check.addEventListener("click", function (ev) {
      var empty = [], unsourced = [];
      values.forEach(function (i) {
        if (!i.value.trim()) { empty.push(i); }
        else if (!(noteOf(i) || { value: "x" }).value.trim()) { unsourced.push(i); }
      });
      if (!empty.length && !unsourced.length) { return; }
      ev.preventDefault();
      var gaps = panel.querySelector("[data-gaps]");
      gaps.textContent = "";
      [[empty, check.dataset.msgEmpty], [unsourced, check.dataset.msgUnsourced]].forEach(function (pair) {
        if (!pair[0].length) { return; }
        var part = document.createElement("span");
        part.textContent = " " + pair[1] + " " + pair[0].length + " (";
        pair[0].slice(0, 5).forEach(function (i, k) {
          var a = document.createElement("a");
          a.href = "#" + (pair[0] === empty ? i.id : "n_" + i.name.slice(2));
          a.textContent = i.name.slice(2);
          if (k) { part.appendChild(document.createTextNode(", ")); }
          part.appendChild(a);
        });
        part.appendChild(document.createTextNode((pair[0].length > 5 ? ", …" : "") + ")."));
        gaps.appendChild(part);
      });
      panel.hidden = false;
      panel.focus();
    });
    panel.querySelector("[data-presubmit-back]").addEventListener("click", function () {
      panel.hidden = true;
      check.focus();
    });
  }
})();
