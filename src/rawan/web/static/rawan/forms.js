// Small form helpers, loaded as a file (the Content-Security-Policy allows no inline script):
// focus the error summary after a refused form; submit a form when a [data-autosubmit] select changes.
(function () {
  var errors = document.getElementById("errors");
  if (errors) errors.focus();
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
})();
