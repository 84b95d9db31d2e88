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
//   <select data-lookup="/stations/lookup/handlers/">  a search box above it finds names to add (type-ahead)
//   <div data-messages-here>                 a page opened at the section holding it (…#material-files) shows
//                                            its messages (an upload's outcome) there, not at the top
// And a form sent back with errors puts the focus on its first refused field, not on its autofocus field.
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

  // Type-ahead for selects of thousands (core.forms_renderer.LookupOptions): the select holds only the chosen
  // options; the box asks the server for names as one types, and a click (or Enter) adds and selects one.
  function setUpLookup(select) {
    if (select.dataset.lookupReady) return;
    select.dataset.lookupReady = "1";
    const box = document.createElement("input");
    box.type = "search";
    box.autocomplete = "off";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.lookupPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("data-lookup-box", select.name);
    const results = document.createElement("div");
    results.className = "list-group mb-1 lookup-results";
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(results, select);
    let timer = null;
    let asked = 0;

    function choose(item) {
      let option = Array.from(select.options).find(function (o) { return o.value === String(item.id); });
      if (!option) {
        option = new Option(item.text, item.id);
        select.add(option);
      }
      if (!select.multiple) {
        Array.from(select.options).forEach(function (o) { o.selected = false; });
      }
      option.selected = true;
      box.value = "";
      results.replaceChildren();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(items) {
      results.replaceChildren();
      if (!items.length) {
        const none = document.createElement("div");
        none.className = "list-group-item py-1 small text-muted";
        none.textContent = select.dataset.lookupEmpty || "";
        results.append(none);
        return;
      }
      items.forEach(function (item) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action py-1 small";
        button.textContent = item.text;
        button.addEventListener("click", function () { choose(item); });
        results.append(button);
      });
    }

    function search() {
      const q = box.value.trim();
      const mine = ++asked;
      if (!q) {
        results.replaceChildren();
        return;
      }
      fetch(select.dataset.lookup + "?q=" + encodeURIComponent(q),
            { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === asked) show(data.results || []); })
        .catch(function () { if (mine === asked) show([]); });
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // not the filter form's submit: pick the first name
        const first = results.querySelector("button");
        if (first) first.click();
      }
    });
  }

  function setUpLookups(root) {
    (root || document).querySelectorAll("select[data-lookup]").forEach(setUpLookup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpLookups(); });
  } else {
    setUpLookups();
  }
  document.addEventListener("htmx:load", function (event) { setUpLookups(event.target); });

  // A redirect back to a section far down the page (a material's upload → #material-files) opens the page
  // there, while the messages (a refused photo's reason) sit at the top, out of a phone's sight: they move
  // into the section's [data-messages-here]. Without this script they simply stay at the top.
  function messagesToSection() {
    const box = document.querySelector("main > .messages");
    const id = window.location.hash.slice(1);
    if (!box || !id) return;
    let section = null;
    try { section = document.getElementById(decodeURIComponent(id)); } catch (e) { return; }
    const slot = section && section.querySelector("[data-messages-here]");
    if (slot) slot.append(box);
  }

  // A form sent back with errors: its first refused field takes the focus, and the screen, instead of the
  // field its autofocus names (the form's first), so that on a phone the error is in sight, not a page below.
  function focusFirstError() {
    const controls = "input:not([type=hidden]), select, textarea";
    const refused = Array.from(document.querySelectorAll("main form .is-invalid, main form [aria-invalid=true]"))
      .map(function (el) { return el.matches(controls) ? el : el.querySelector(controls); })
      .find(function (el) { return el && !el.disabled && el.getClientRects().length > 0; });
    if (!refused) return;
    document.querySelectorAll("main [autofocus]").forEach(function (el) { el.removeAttribute("autofocus"); });
    refused.focus({ preventScroll: true });
    refused.scrollIntoView({ block: "center" });
  }

  function onOpen() {
    messagesToSection();
    focusFirstError();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onOpen);
  } else {
    onOpen();
  }
})();

// Vocabularies offered per case category or aid form (core.choices.ScopedSelect, issue 16): a select marked
// data-scoped-by="category" shows only the options whose data-for names the category chosen (or is empty).
// The server checks the same; an old value a record already holds stays shown until the category changes.
(function () {
  function narrow(select, clearHidden) {
    const by = select.form && select.form.elements[select.getAttribute("data-scoped-by")];
    const scope = by ? by.value : "";
    select.querySelectorAll("option[data-for]").forEach(function (option) {
      const scopes = option.getAttribute("data-for").split(" ").filter(Boolean);
      const offered = !scope || !scopes.length || scopes.indexOf(scope) >= 0;
      const keep = offered || (option.selected && !clearHidden);
      option.hidden = !keep;
      option.disabled = !keep;
      if (!keep && option.selected) select.value = "";
    });
  }

  function narrowAll(root, clearHidden) {
    (root || document).querySelectorAll("select[data-scoped-by]").forEach(function (s) { narrow(s, clearHidden); });
  }

  document.addEventListener("change", function (event) {
    const form = event.target.form;
    if (!form || !event.target.name) return;
    form.querySelectorAll("select[data-scoped-by='" + event.target.name + "']").forEach(function (s) {
      narrow(s, true);
    });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { narrowAll(document, false); });
  } else {
    narrowAll(document, false);
  }
  document.addEventListener("htmx:load", function (event) { narrowAll(event.target, false); });
})();
