// The desk works without this script: it adds type-ahead to the search box
// (names, aliases and acronyms, as an ARIA combobox) and a button that
// copies the answer for the caller. It talks only to this server.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-list");
  var none = document.getElementById("q-none");
  if (input && list) {
    var active = -1, items = [], timer = null, asked = "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "q-list");
    var close = function () {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var mark = function (i) {
      for (var j = 0; j < items.length; j++) {
        items[j].setAttribute("aria-selected", j === i ? "true" : "false");
      }
      active = i;
      if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    };
    var open = function (id) {
      var place = document.getElementById("place");
      var to = "/entries/" + encodeURIComponent(id);
      if (place && place.value) { to += "?place=" + encodeURIComponent(place.value); }
      window.location.assign(to);
    };
    var show = function (found) {
      // A newer list keeps the choice the arrow keys made, if it is there.
      var was = active >= 0 ? items[active].getAttribute("data-id") : "";
      close();
      if (!found.length) { if (none) { none.textContent = none.getAttribute("data-none"); } return; }
      if (none) { none.textContent = ""; }
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-id", s.id);
        li.textContent = s.title;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); open(s.id); });
        list.appendChild(li);
        items.push(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      for (var i = 0; i < items.length; i++) {
        if (items[i].getAttribute("data-id") === was) { mark(i); }
      }
    };
    var suggest = function () {
      var q = input.value.trim();
      if (q === asked) { return; }
      asked = q;
      if (q.length < 2) { close(); return; }
      fetch("/api/v1/suggest?max=8&q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) { if (input.value.trim() === q) { show(found); } })
        .catch(close);
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 60);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && items.length) { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Escape" && !list.hidden) { e.preventDefault(); close(); } // not the search's own clearing
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); open(items[active].getAttribute("data-id")); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    // Enter with a suggestion chosen opens it, however the key arrives.
    if (input.form) {
      input.form.addEventListener("submit", function (e) {
        if (active >= 0 && items[active]) { e.preventDefault(); open(items[active].getAttribute("data-id")); }
      });
    }
  }

  var button = document.getElementById("copy-button");
  var text = document.getElementById("copy-text");
  var status = document.getElementById("copy-status");
  var copy = function () {
    var done = function () { if (status) { status.textContent = status.getAttribute("data-copied"); } };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.value).then(done, function () { text.select(); document.execCommand("copy"); done(); });
    } else {
      text.select(); document.execCommand("copy"); done();
    }
  };
  if (button && text) {
    button.hidden = false;
    button.addEventListener("click", copy);
  }

  // The Services tab: the copy holds the services ticked, made here as
  // the server makes it (the text before them, each one's, the text
  // after), so ticking needs no round trip; without this script the
  // button sends the ticks and the page comes back with their copy.
  var pick = document.getElementById("pick");
  if (pick && text) {
    var boxes = document.querySelectorAll('input[name="pick"]');
    var compose = function () {
      var chosen = [];
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].checked) { chosen.push(boxes[i].getAttribute("data-copy")); }
      }
      text.value = chosen.length ? text.getAttribute("data-head") + chosen.join("\n") + text.getAttribute("data-tail") : "";
      return chosen.length;
    };
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].addEventListener("change", function () { compose(); if (status) { status.textContent = ""; } });
    }
    compose();
    pick.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!compose()) { if (status) { status.textContent = status.getAttribute("data-none"); } return; }
      copy();
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
