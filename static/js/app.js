// Page behaviour wired by data- attributes, so that no page needs an inline script or an on…= handler
// (the Content-Security-Policy allows scripts from our own static files only). Delegated from the
// document, so it also works in fragments that htmx swaps in.
//
//   <select data-autosubmit>                 submits its form when the choice changes
//   <form data-confirm="Sure?">              asks before submitting
//   <button data-confirm="Sure?">            asks before the click goes through
//   <input type="checkbox" data-check-all="input[name=x]">   ticks or clears the boxes it names
//   <button data-print>                      prints the page
//   <a href="…" data-back>                   goes back in history (the href is the fallback)
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    const el = event.target;
    if (!(el instanceof Element)) return;
    if (el.matches("select[data-autosubmit], input[data-autosubmit]") && el.form) {
      el.form.submit();
    }
    if (el.matches("input[type=checkbox][data-check-all]")) {
      document.querySelectorAll(el.getAttribute("data-check-all")).forEach(function (box) {
        box.checked = el.checked;
      });
    }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")
        && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    const confirmable = event.target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
    if (confirmable && !window.confirm(confirmable.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    const printer = event.target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
      return;
    }
    const back = event.target.closest("[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
