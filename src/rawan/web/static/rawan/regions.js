// The region field of the user form: a server-side search fills the list as the admin types
// (a desa is one of ~83,000; the page never holds them all). Without JavaScript the field still
// takes a typed code, which the server checks.
(function () {
  var input = document.getElementById("region");
  var list = document.getElementById("region-options");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  var asked = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      var key = q + "|" + ((document.getElementById("role") || {}).value || "");
      if (q.length < 2 || key === asked) return;
      asked = key;
      var role = document.getElementById("role");
      var opt = role && role.options[role.selectedIndex];
      var level = (opt && opt.dataset.level) || "kabupaten_kota";  // the level the chosen role is bound to
      fetch(input.dataset.search + "?q=" + encodeURIComponent(q) + "&tingkat=" + level, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {regions: []}; })
        .then(function (doc) {
          list.textContent = "";
          doc.regions.forEach(function (r) {
            var o = document.createElement("option");
            o.value = r.code + " " + r.name;
            list.appendChild(o);
          });
        });
    }, 200);
  });
})();
