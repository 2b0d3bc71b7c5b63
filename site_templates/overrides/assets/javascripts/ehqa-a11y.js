/* Keyboard fixes to Material for MkDocs (WCAG 2.2 AA; tests/browser/test_accessibility_beyond_axe.py).
   A theme file: MkDocs copies it from theme.custom_dir (site_templates/overrides) into the site, and
   overrides/main.html loads it before Material's own script, so that its key handler runs first.

   - 2.1.4 Character Key Shortcuts (level A): Material opens the search on "s", "f" or "/" and turns the
     page on "p", ",", "n" and "." pressed anywhere. A printable key pressed outside a text field never
     reaches Material's handler (which listens on the window, after this capturing listener). Keys in
     fields, keys with Ctrl, Alt or Meta, and Escape, Enter, Tab and the arrows are left alone.
   - 4.1.2 Name, Role, Value: the menu and search icons of the header are buttons (overrides/partials/
     header.html) that work Material's own toggles, #__drawer and #__search, and say whether they are open.
   - 4.1.2: on phones the search's back arrow is a button named "Close search" (overrides/partials/
     search.html): it closes the search and puts the focus back where it was before (or on the search button).
   - 4.1.2: the colour scheme's toggle is a button (overrides/partials/palette.html) that checks Material's next
     palette input, as Material's label did; the focus moves to the button that then shows (the scheme's other
     one), so that Enter or Space again switches back. Material's own Enter handler on the palette's form (it
     clicks and focuses the hidden input) never sees a key pressed on the button.
   - 2.4.3 Focus Order: Escape closes the open menu; Escape from the search puts the focus back where it was
     before the search (or on the search button), not on the page's body. */
(function () {
  "use strict";
  function editable(element) {
    if (!element || !element.tagName) { return false; }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }
  window.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.key.length !== 1) { return; }
    if (editable(event.target)) { return; }
    event.stopPropagation();  // not preventDefault: the space bar still scrolls, a button still presses
  }, true);

  var before = null;  // what had the focus before the search took it
  function toggle(id) { return document.getElementById(id); }
  function opened(id) { var t = toggle(id); return Boolean(t && t.checked); }
  function set(id, on) {
    var t = toggle(id);
    if (t && t.checked !== on) {
      t.checked = on;
      t.dispatchEvent(new Event("change", {bubbles: true}));  // Material watches its toggles' change
    }
  }
  function buttons(id) { return document.querySelectorAll("[data-ehqa-toggle='" + id + "']"); }
  function visible(element) { return Boolean(element && element.getClientRects().length && element.offsetWidth); }
  function sync() {
    ["__drawer", "__search"].forEach(function (id) {
      Array.prototype.forEach.call(buttons(id), function (b) { b.setAttribute("aria-expanded", String(opened(id))); });
    });
  }
  document.addEventListener("focusin", function (event) {
    var search = document.querySelector(".md-search");
    if (search && search.contains(event.target) && event.relatedTarget && !search.contains(event.relatedTarget)) {
      before = event.relatedTarget;
    }
  });
  function ready() {
    ["__drawer", "__search"].forEach(function (id) {
      Array.prototype.forEach.call(buttons(id), function (b) {
        b.addEventListener("click", function () {
          var on = !opened(id);
          set(id, on);
          if (id === "__search" && on) {
            before = b;
            var query = document.querySelector(".md-search__input");
            if (query) { query.focus(); }
          }
          if (id === "__drawer" && on) {  // into the menu that opened, whose links follow the page's header
            var first = document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary button");
            if (first) { first.focus(); }
          }
          sync();
        });
      });
      var t = toggle(id);
      if (t) { t.addEventListener("change", sync); }
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-ehqa-palette]"), function (b) {
      b.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.stopPropagation(); } });
      b.addEventListener("click", function () {
        set(b.getAttribute("data-ehqa-palette"), true);
        window.setTimeout(function () {  // after Material has shown the other scheme's button
          var shown = document.querySelector("[data-ehqa-palette]:not([hidden])");
          if (shown && shown !== b) { shown.focus(); }
        }, 0);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-ehqa-close]"), function (b) {
      b.addEventListener("click", function () {
        var id = b.getAttribute("data-ehqa-close"), back = before;
        set(id, false);
        sync();
        window.setTimeout(function () {  // after Material has closed the search
          var target = visible(back) && !b.contains(back) ? back : buttons(id)[0];
          if (visible(target)) { target.focus(); }
        }, 0);
      });
    });
    sync();
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    if (opened("__drawer")) {
      set("__drawer", false);
      sync();
      var menu = buttons("__drawer")[0];
      if (visible(menu)) { menu.focus(); }
      return;
    }
    var search = document.querySelector(".md-search");
    if (opened("__search") || (search && search.contains(document.activeElement))) {
      var back = before;
      window.setTimeout(function () {  // after Material has closed the search and blurred its field
        sync();
        if (document.activeElement && document.activeElement !== document.body) { return; }
        var target = visible(back) ? back : buttons("__search")[0];
        if (!visible(target)) { target = document.querySelector(".md-header__button.md-logo"); }
        if (target) { target.focus(); }
      }, 0);
    }
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
