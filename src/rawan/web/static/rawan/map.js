// Makes every region of the inline SVG map a keyboard-accessible link to its region page.
(function () {
  var fig = document.querySelector("figure.map[data-base]");
  if (!fig) return;
  var base = fig.getAttribute("data-base");
  var nodes = fig.querySelectorAll("svg [data-code]");
  Array.prototype.forEach.call(nodes, function (el) {
    var code = el.getAttribute("data-code");
    var go = function () { window.location.href = base + code + "/"; };
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "link");
    el.setAttribute("aria-label", el.getAttribute("data-name") || code);
    el.addEventListener("click", go);
    el.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(); } });
  });
})();
