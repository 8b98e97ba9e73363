// Makes every region of the inline SVG map a keyboard-accessible link to its region page, with a
// visible outline on hover and focus drawn above the neighbouring regions (a copy of the outline
// at the end of the group, so no neighbour paints over it; widths in screen pixels, see rawan.css).
(function () {
  function outline(el, kind, classes) {
    clear(el, kind);
    classes.forEach(function (c) {
      var copy = el.cloneNode(true);
      ["data-code", "data-name", "data-value", "tabindex", "role", "aria-label", "id", "fill"].forEach(function (a) {
        copy.removeAttribute(a);
      });
      copy.setAttribute("class", "hl " + c);
      copy.setAttribute("aria-hidden", "true");
      copy.setAttribute("data-hl", kind);
      el.parentNode.appendChild(copy);
      (el._hl = el._hl || {})[kind] = (el._hl[kind] || []).concat([copy]);
    });
  }
  function clear(el, kind) {
    ((el._hl || {})[kind] || []).forEach(function (n) { n.remove(); });
    if (el._hl) { el._hl[kind] = []; }
  }
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
    el.addEventListener("mouseenter", function () { outline(el, "hover", ["hl-hover"]); });
    el.addEventListener("mouseleave", function () { clear(el, "hover"); });
    el.addEventListener("focus", function () { outline(el, "focus", ["hl-focus", "hl-focus-inner"]); });
    el.addEventListener("blur", function () { clear(el, "focus"); });
    el.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(); } });
  });
})();
