// Type-ahead for the intake form: while a name is typed, registered persons
// who may match are listed (the ARIA combobox pattern: arrow keys, Enter,
// Escape). Choosing one sets the hidden person_id, so the report goes on
// their case; the typed spelling stays. Without this script the form's
// "Check for existing persons" button does the same. No dependencies.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch || !window.AbortController) return;
  var list = document.getElementById(input.dataset.listbox);
  var status = document.getElementById(input.dataset.status);
  var target = document.getElementById(input.dataset.target);
  if (!list || !status || !target) return;
  var timer = 0, ctrl = null, active = -1, last = "", chose = false;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function options() { return list.querySelectorAll("[role=option]"); }

  function say(text) { status.textContent = text; }

  function open(show) {
    list.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) highlight(-1);
  }

  function highlight(i) {
    var opts = options();
    active = i;
    for (var k = 0; k < opts.length; k++) opts[k].setAttribute("aria-selected", k === i ? "true" : "false");
    if (i >= 0 && opts[i]) {
      input.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(opt) {
    target.value = opt.dataset.person;
    say(input.dataset.chosen.replace("{name}", opt.dataset.name));
    open(false);
  }

  function clear() {
    if (!target.value) return;
    target.value = "";
    say(input.dataset.cleared);
  }

  function fetchNow() {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    if (ctrl) ctrl.abort();
    if (q.length < 2) { open(false); list.textContent = ""; return; }
    ctrl = new AbortController();
    fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), {
      signal: ctrl.signal, credentials: "same-origin", headers: { Accept: "text/html" }
    }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.text();
    }).then(function (html) {
      var t = document.createElement("template");
      t.innerHTML = html;
      var ul = t.content.querySelector("ul");
      // Keep the person the user has highlighted when a later answer
      // still lists them: a slow answer must not undo an ArrowDown.
      var kept = active >= 0 ? options()[active].dataset.person : "";
      list.textContent = "";
      list.dataset.q = q; // which query the list answers
      if (!ul) return;
      while (ul.firstElementChild) list.appendChild(ul.firstElementChild);
      active = -1;
      open(options().length > 0 && document.activeElement === input); // not after Tab left the field
      options().forEach(function (o, i) { if (kept && o.dataset.person === kept) highlight(i); });
      if (!target.value) say(ul.dataset.status || "");
    }).catch(function (e) {
      if (e.name !== "AbortError") open(false);
    });
  }

  input.addEventListener("input", function () {
    if (!input.value.trim()) clear();
    clearTimeout(timer);
    timer = setTimeout(fetchNow, 200);
  });

  input.addEventListener("keydown", function (e) {
    var n = options().length;
    var shown = !list.hidden;
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (!n) return;
        e.preventDefault();
        if (!shown) { open(true); }
        highlight(e.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
        break;
      case "Enter":
        if (shown && active >= 0) { e.preventDefault(); chose = true; choose(options()[active]); }
        break;
      case "Escape":
        if (shown) { e.preventDefault(); open(false); } else if (target.value) { e.preventDefault(); clear(); }
        break;
      case "Tab":
        open(false);
        break;
    }
  });

  // The Enter that chose a person must not also submit the form, even when
  // its keypress comes on its own (as automation sends it).
  input.addEventListener("keypress", function (e) {
    if (e.key === "Enter" && chose) e.preventDefault();
    chose = false;
  });
  input.addEventListener("keyup", function () { chose = false; });

  // A pointer may choose too; pressing on the list must not blur the input.
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });
  list.addEventListener("click", function (e) {
    var opt = e.target.closest("[role=option]");
    if (opt) choose(opt);
  });
  input.addEventListener("blur", function () { open(false); });
})();
