/* The register: one tap, one request.  A tap that cannot reach the server stays visibly
 * pending, is kept in this tablet's storage and sent again until it goes through, so that
 * nothing is lost silently.  Without this script the same forms work as plain posts. */
(function () {
  "use strict";
  var KEY = "isa-pending-taps";
  var register = document.querySelector(".register");
  if (!register) { return; }
  var banner = register.querySelector(".pending-banner");

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    window.localStorage.setItem(KEY, JSON.stringify(queue));
    showPending(queue);
  }
  function showPending(queue) {
    if (!banner) { return; }
    banner.hidden = queue.length === 0;
    var count = banner.querySelector(".pending-count");
    if (count) { count.textContent = queue.length ? "(" + queue.length + ")" : ""; }
    queue.forEach(function (tap) {
      var row = document.getElementById(tap.row);
      if (row) { row.classList.add("pending"); }
    });
  }
  function hhmm(date) {
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function setText(id, value) {
    var element = document.getElementById(id);
    if (element) { element.textContent = String(value); }
  }
  function countPresent() {
    setText("present-count", register.querySelectorAll(".register-row.is-present").length);
    setText("expected-present", register.querySelectorAll("#expected .register-row.is-present").length);
  }
  function refused(rowId) {
    var row = document.getElementById(rowId);
    if (!row) { return; }
    row.classList.remove("pending");
    var note = document.createElement("span");
    note.className = "row-error";
    note.setAttribute("role", "alert");
    note.textContent = register.getAttribute("data-refused") || "";
    row.querySelector(".who").appendChild(note);
  }
  function replaceRow(rowId, html) {
    var row = document.getElementById(rowId);
    if (!row) { return; }
    var holder = document.createElement("ul");
    holder.innerHTML = html.trim();
    var fresh = holder.querySelector("li");
    if (fresh) { row.replaceWith(fresh); }
    countPresent();
  }
  function send(tap) {
    var body = new URLSearchParams();
    tap.fields.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") { body.append(pair[0], pair[1]); }
    });
    body.append("csrfmiddlewaretoken", csrf());
    return fetch(tap.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-ISA-Tap": "1", "X-CSRFToken": csrf() }
    }).then(function (response) {
      // 200: done; 400: refused with a reason shown in the row (not retried).
      if (response.status === 200 || response.status === 400) {
        return response.text().then(function (html) { replaceRow(tap.row, html); return true; });
      }
      // 403, 404, 405: this tap can never go through (a role, a person out of reach): say so
      // in the row and do not retry.
      if (response.status === 403 || response.status === 404 || response.status === 405) {
        refused(tap.row);
        return true;
      }
      return false; // network trouble, session ended (redirect), server error: try again
    });
  }
  function enqueue(tap) {
    var queue = load();
    queue.push(tap);
    store(queue);
  }
  var flushing = false;
  function flush() {
    if (flushing) { return; }
    var queue = load();
    if (!queue.length) { showPending(queue); return; }
    flushing = true;
    var tap = queue[0];
    send(tap).then(function (done) {
      if (done) {
        var rest = load().filter(function (t) { return t.id !== tap.id; });
        store(rest);
        flushing = false;
        if (rest.length) { flush(); }
      } else {
        flushing = false;
      }
    }).catch(function () { flushing = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest(".tap-form");
    if (!form || !register.contains(form)) { return; }
    event.preventDefault();
    var data = new FormData(form, event.submitter || undefined);
    data.set("at", hhmm(new Date()));
    var row = form.closest(".register-row");
    // getAttribute: form.action would be the form's own field named "action".
    var tap = { id: String(Date.now()) + Math.random(), url: form.getAttribute("action"), fields: Array.from(data.entries()), row: row.id };
    row.classList.add("pending");
    if (load().length) { enqueue(tap); flush(); return; } // keep the order of taps
    send(tap).then(function (done) {
      if (!done) { enqueue(tap); }
    }).catch(function () { enqueue(tap); });
  });

  // "Someone else": filter by name, accents and case ignored.
  var search = register.querySelector(".register-search");
  if (search) {
    search.addEventListener("input", function () {
      var wanted = search.value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
      register.querySelectorAll("#others .register-row").forEach(function (row) {
        row.hidden = wanted !== "" && row.getAttribute("data-name").indexOf(wanted) === -1;
      });
    });
  }

  showPending(load());
  flush();
  window.addEventListener("online", flush);
  window.setInterval(flush, 5000);
})();
