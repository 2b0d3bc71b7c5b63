/* The learning site's forms: the follow-up forms (form.md.j2) and Submit an audit (submit-audit.md.j2).

   Everything happens in the browser: nothing typed is sent anywhere, saved, or put in an address. The
   YAML is written here, by this file (no library, nothing fetched): every text is double-quoted and
   escaped, so that quotes, colons, apostrophes, hashes, leading dashes, new lines and any character
   come back from ehqa's strict loader exactly as typed (tests/browser/test_forms_browser.py checks
   this with generated text). A follow-up form is described by the JSON that site/forms.py writes
   from the schema into the page (#ehqa-form-spec): its controls, their checks and the file's name. */
(function () {
  "use strict";

  // --- YAML ---------------------------------------------------------------------------------------

  function hex4(code) { return ("000" + code.toString(16).toUpperCase()).slice(-4); }

  /* A text as a YAML double-quoted scalar. Escaped: the quote and the backslash; tab, new line and
     carriage return by name; by number, every character YAML may not hold as it is (controls, DEL,
     C1, U+FFFE/U+FFFF) or would read as a line break (U+0085, U+2028, U+2029) or a byte order mark.
     Half a surrogate pair, which no UTF-8 file can hold, becomes U+FFFD. */
  function quote(value) {
    var text = String(value), out = "";
    for (var i = 0; i < text.length; i += 1) {
      var code = text.charCodeAt(i);
      if (code >= 0xD800 && code <= 0xDFFF) {
        var next = text.charCodeAt(i + 1);
        if (code <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) { out += text.charAt(i) + text.charAt(i + 1); i += 1; }
        else { out += "\uFFFD"; }
      } else if (code === 34) { out += "\\\""; }
      else if (code === 92) { out += "\\\\"; }
      else if (code === 9) { out += "\\t"; }
      else if (code === 10) { out += "\\n"; }
      else if (code === 13) { out += "\\r"; }
      else if (code < 0x20 || (code >= 0x7F && code < 0xA0) || code === 0x2028 || code === 0x2029 ||
               code === 0xFEFF || code >= 0xFFFE) { out += "\\u" + hex4(code); }
      else { out += text.charAt(i); }
    }
    return "\"" + out + "\"";
  }

  var PLAIN_KEY = /^[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*$/;
  var WORD_KEYS = /^(?:y|n|yes|no|true|false|on|off|null)$/;  // YAML 1.1 would read these as values

  function key(name) { return PLAIN_KEY.test(name) && !WORD_KEYS.test(name) ? name : quote(name); }
  function scalar(value) { return typeof value === "boolean" ? String(value) : quote(value); }
  function absent(value) { return value === undefined || value === null; }
  function isMap(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  function mapping(object, pad) {
    var lines = [];
    Object.keys(object).forEach(function (name) {
      var value = object[name], head = pad + key(name) + ":";
      if (absent(value)) { return; }
      if (Array.isArray(value) || isMap(value)) {
        var inner = Array.isArray(value) ? sequence(value, pad + "  ") : mapping(value, pad + "  ");
        if (inner.length) { lines.push(head); lines.push.apply(lines, inner); }
        else { lines.push(head + (Array.isArray(value) ? " []" : " {}")); }
      } else {
        lines.push(head + " " + scalar(value));
      }
    });
    return lines;
  }

  function sequence(items, pad) {
    var lines = [];
    items.forEach(function (item) {
      if (Array.isArray(item) || isMap(item)) {
        var inner = Array.isArray(item) ? sequence(item, pad + "  ") : mapping(item, pad + "  ");
        if (!inner.length) { lines.push(pad + "- " + (Array.isArray(item) ? "[]" : "{}")); return; }
        inner[0] = pad + "- " + inner[0].slice(pad.length + 2);
        lines.push.apply(lines, inner);
      } else if (!absent(item)) {
        lines.push(pad + "- " + scalar(item));
      }
    });
    return lines;
  }

  /* A mapping of texts, booleans, lists and mappings as a YAML document, with a first comment line. */
  function dump(doc, header) {
    return (header ? header + "\n" : "") + mapping(doc, "").join("\n") + "\n";
  }

  // --- the file: download, copy, and GitHub's upload page -----------------------------------------

  function download(name, text) {
    var blob = new Blob([text], {type: "application/yaml"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();  // at once: an empty link left in the page, even for a moment, is a link with no name
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
  }

  /* Copies the text of a textarea; calls done(true) or done(false). */
  function copy(area, done) {
    function byHand() {
      area.focus();
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(function () { done(true); }, byHand);
    } else {
      byHand();
    }
  }

  /* GitHub's page to upload files into a folder of the service's repository. Built only when the person
     asks for it, from the folder's path alone: the answers never go into an address. */
  function uploadUrl(repository, folder, branch) {
    var parts = repository.split("/").concat(folder.split("/"));
    return "https://github.com/" + parts.slice(0, 2).map(encodeURIComponent).join("/") + "/upload/" +
      (branch || "main").split("/").map(encodeURIComponent).join("/") + "/" +
      parts.slice(2).map(encodeURIComponent).join("/");
  }

  function openUpload(repository, folder, branch) {
    window.open(uploadUrl(repository, folder, branch), "_blank", "noopener,noreferrer");
  }

  window.ehqaYaml = {quote: quote, dump: dump};
  window.ehqaFiles = {download: download, copy: copy, uploadUrl: uploadUrl, openUpload: openUpload};

  // --- a follow-up form, from its description -----------------------------------------------------

  var holder = document.getElementById("ehqa-form-spec");
  var form = document.getElementById("ehqa-form");
  if (!holder || !form) { return; }
  var spec = JSON.parse(holder.textContent);
  var github = form.getAttribute("data-github");
  var branch = form.getAttribute("data-branch");
  var ATTRS = ["id", "for", "aria-describedby", "aria-labelledby", "name"];
  var byKey = {}, current = null;
  spec.groups.forEach(function (group) { group.controls.forEach(function (c) { byKey[c.key] = c; }); });

  function el(id) { return document.getElementById(id); }
  function all(node, selector) { return Array.prototype.slice.call(node.querySelectorAll(selector)); }
  function numbered(text, n) { return n ? text.split("__N__").join(n) : text; }
  function empty(value) {
    return value === undefined || (Array.isArray(value) && !value.length) || (isMap(value) && !Object.keys(value).length);
  }
  function today() {
    var now = new Date();
    return [now.getFullYear(), ("0" + (now.getMonth() + 1)).slice(-2), ("0" + now.getDate()).slice(-2)].join("-");
  }
  function length(text) { return Array.from(text).length; }  // characters, as JSON Schema counts them

  // Rows that can be added and removed: a copy of the <template>, its __N__ replaced by the row's number.
  function rowsOf(c) { return Array.prototype.slice.call(el(c.id + "-rows").children); }

  function renumber(c) {
    rowsOf(c).forEach(function (row, index) {
      [row].concat(all(row, "*")).forEach(function (node) {
        ATTRS.forEach(function (name) {
          var original = node.getAttribute("data-n-" + name);
          if (original) { node.setAttribute(name, numbered(original, String(index + 1))); }
        });
        var text = node.getAttribute("data-n-text");
        if (text) { node.textContent = numbered(text, String(index + 1)); }
      });
    });
  }

  function addRow(c) {
    var box = el(c.id + "-rows");
    if (c.max_items && box.children.length >= c.max_items) {
      say("There can be at most " + c.max_items + " " + c.item + "s.");
      return null;
    }
    var row = el(c.id + "-template").content.firstElementChild.cloneNode(true);
    [row].concat(all(row, "*")).forEach(function (node) {
      ATTRS.forEach(function (name) {
        var value = node.getAttribute(name);
        if (value && value.indexOf("__N__") >= 0) { node.setAttribute("data-n-" + name, value); }
      });
      if (!node.children.length && node.textContent.indexOf("__N__") >= 0) {
        node.setAttribute("data-n-text", node.textContent);
      }
    });
    box.appendChild(row);
    renumber(c);
    row.querySelector(".ehqa-remove").addEventListener("click", function () { removeRow(c, row); });
    return row;
  }

  function removeRow(c, row) {
    var at = rowsOf(c).indexOf(row);
    var what = row.querySelector(".ehqa-remove").textContent.replace(/^Remove /, "");
    row.remove();
    renumber(c);
    clearErrors();
    var left = rowsOf(c);
    var next = left.length ? left[Math.min(at, left.length - 1)].querySelector("input, select, textarea") : el(c.id + "-add");
    next.focus();
    say(what.charAt(0).toUpperCase() + what.slice(1) + " removed.");
  }

  function say(text) { el("ehqa-status").textContent = text; }

  // What was typed: undefined for nothing; text trimmed, with its new lines as \n; true or false.
  function read(c, n) {
    if (c.kind === "rows") {
      return rowsOf(c).map(function (row, index) {
        var found = {};
        c.items.forEach(function (item) {
          var value = read(item, String(index + 1));
          if (!empty(value)) { found[item.key] = value; }
        });
        return found;
      });
    }
    if (c.kind === "strings") {
      return rowsOf(c).map(function (row, index) { return read(c.items[0], String(index + 1)); });
    }
    if (c.kind === "map") {
      var found = {};
      c.items.forEach(function (item) {
        var value = read(item);
        if (!empty(value)) { found[item.key] = value; }
      });
      return found;
    }
    var node = el(numbered(c.id, n));
    var value = node ? node.value.replace(/\r\n?/g, "\n").trim() : "";
    if (!value) { return undefined; }
    return c.boolean ? value === "true" : value;
  }

  function checkOne(c, value, problems, n) {
    var id = numbered(c.id, n);
    if (empty(value)) {
      if (c.required) { problems.push([id, numbered(c.missing, n)]); }
      return;
    }
    if (typeof value !== "string") { return; }
    var bad = (c.pattern && !new RegExp(c.pattern).test(value)) || (c.max_length && length(value) > c.max_length) ||
      (c.kind === "date" && (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value) || (c.past && value > today())));
    if (bad) { problems.push([id, numbered(c.invalid || c.missing, n)]); }
  }

  function checkControl(c, value, problems) {
    if (c.kind === "rows" || c.kind === "strings") {
      var kept = 0, seen = {};
      value.forEach(function (entry, index) {
        var n = String(index + 1);
        if (empty(entry)) { return; }
        kept += 1;
        if (c.kind === "rows") {
          c.items.forEach(function (item) { checkOne(item, entry[item.key], problems, n); });
        } else {
          checkOne(c.items[0], entry, problems, n);
        }
        var same = c.kind === "rows" ? (c.unique ? entry[c.unique] : undefined) : (c.unique === "" ? entry : undefined);
        if (same !== undefined) {
          var item = c.kind === "rows" ? c.items.filter(function (i) { return i.key === c.unique; })[0] : c.items[0];
          if (seen[same]) {
            problems.push([numbered(item.id, n), numbered(item.label, n) + ": " + c.item + " " + seen[same] +
              " has the same; give each " + c.item + " its own"]);
          } else {
            seen[same] = n;
          }
        }
      });
      if (c.count_message && kept < c.min_items) { problems.push([c.id, c.count_message]); }
      return;
    }
    if (c.kind === "map") {
      c.items.forEach(function (item) { checkOne(item, value[item.key], problems); });
      if (c.count_message && Object.keys(value).length < c.min_items) { problems.push([c.id, c.count_message]); }
      return;
    }
    checkOne(c, value, problems);
  }

  function matches(value, wanted) {
    if (wanted === "*") { return !empty(value); }
    if (wanted === "") { return empty(value); }
    if (wanted.charAt(0) === "!") { return value !== wanted.slice(1); }
    return value === wanted;
  }

  function check() {
    var values = {}, problems = [];
    spec.groups.forEach(function (group) {
      group.controls.forEach(function (c) {
        values[c.key] = read(c);
        checkControl(c, values[c.key], problems);
      });
    });
    Object.keys(values).forEach(function (name) {
      if (Array.isArray(values[name])) { values[name] = values[name].filter(function (v) { return !empty(v); }); }
    });
    Object.keys(spec.dependent).forEach(function (name) {
      if (empty(values[name])) { return; }
      spec.dependent[name].forEach(function (other) {
        if (empty(values[other])) { problems.push([byKey[other].id, byKey[other].missing]); }
      });
    });
    spec.checks.forEach(function (rule) {
      var applies = Object.keys(rule.when).every(function (name) { return matches(values[name], rule.when[name]); });
      if (!applies) { return; }
      var bad = rule.need ? rule.need.some(function (k) { return empty(values[k]); })
        : rule.need_any ? rule.need_any.every(function (k) { return empty(values[k]); })
          : rule.empty.some(function (k) { return !empty(values[k]); });
      if (bad) { problems.push([byKey[rule.at].id, rule.message]); }
    });
    var seen = {};
    problems = problems.filter(function (p) { var first = !seen[p[0]]; seen[p[0]] = true; return first; });
    return {values: values, problems: problems};
  }

  function clearErrors() {
    el("ehqa-errors").textContent = "";
    all(form, ".ehqa-error").forEach(function (p) { p.textContent = ""; p.hidden = true; });
    all(form, "[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  function showErrors(problems) {
    clearErrors();
    if (!problems.length) { return; }
    var box = el("ehqa-errors"), heading = document.createElement("h2"), list = document.createElement("ul");
    heading.textContent = "There " + (problems.length === 1 ? "is 1 problem" : "are " + problems.length + " problems") +
      " to fix";
    problems.forEach(function (problem) {
      var target = el(problem[0]), note = el(problem[0] + "-error");
      if (target.tagName !== "FIELDSET") { target.setAttribute("aria-invalid", "true"); }
      if (note) {
        var prefix = document.createElement("span");
        prefix.className = "ehqa-visually-hidden";
        prefix.textContent = "Error: ";
        note.appendChild(prefix);
        note.appendChild(document.createTextNode(problem[1]));
        note.hidden = false;
      }
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = "#" + problem[0];
      link.textContent = problem[1];
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var field = target.tagName === "FIELDSET" ? target.querySelector("input, select, textarea, button") : target;
        target.scrollIntoView({block: "center"});
        (field || target).focus();
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(heading);
    box.appendChild(list);
    box.focus();
  }

  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (whole, name) { return values[name]; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var found = check();
    showErrors(found.problems);
    if (found.problems.length) { el("ehqa-result").hidden = true; current = null; return; }
    var values = found.values, doc = {};
    spec.order.forEach(function (name) {
      if (name === "kind" && spec.kind) { doc.kind = spec.kind; }
      else if (!empty(values[name])) { doc[name] = values[name]; }
    });
    current = {text: dump(doc, spec.header), name: fill(spec.name, values), folder: fill(spec.folder, values)};
    el("ehqa-yaml").value = current.text;
    all(document, ".ehqa-file-name").forEach(function (node) { node.textContent = current.name; });
    all(document, ".ehqa-folder").forEach(function (node) { node.textContent = current.folder; });
    say("");
    el("ehqa-copy-status").textContent = "";
    el("ehqa-result").hidden = false;
    el("ehqa-result-heading").focus();
  });

  el("ehqa-download").addEventListener("click", function () { if (current) { download(current.name, current.text); } });
  el("ehqa-copy").addEventListener("click", function () {
    copy(el("ehqa-yaml"), function (ok) {
      el("ehqa-copy-status").textContent = (ok ? "Copied. Paste it into a new file named " + current.name + "."
        : "It could not be copied here: select all the text in the box and copy it yourself.");
    });
  });
  var opener = el("ehqa-open-github");
  if (opener && github) {
    opener.addEventListener("click", function () { if (current) { openUpload(github, current.folder, branch); } });
  }
  spec.groups.forEach(function (group) {
    group.controls.forEach(function (c) {
      if (c.kind !== "rows" && c.kind !== "strings") { return; }
      el(c.id + "-add").addEventListener("click", function () {
        var row = addRow(c);
        if (row) { row.querySelector("input, select, textarea").focus(); }
      });
      addRow(c);
    });
  });
}());
