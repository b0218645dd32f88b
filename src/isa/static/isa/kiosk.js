/* The kiosk goes back to its grid by itself, without an inline script (the CSP forbids them)
 * nor a <meta http-equiv="refresh"> (which takes the page away from whoever is reading it).
 * A page says where and after how many seconds on <body>: data-kiosk-return and
 * data-kiosk-after.  Any touch or key starts the wait again.  Without this script the page's
 * own link ("Back to the list") does the same; a page that says nothing (closing the kiosk,
 * where a team member types their password) never moves. */
(function () {
  "use strict";
  var body = document.body;
  var target = body.getAttribute("data-kiosk-return");
  var seconds = parseInt(body.getAttribute("data-kiosk-after"), 10);
  if (!target || !(seconds > 0)) { return; }
  var timer = null;
  function wait() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { window.location.replace(target); }, seconds * 1000);
  }
  ["pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, wait, true);
  });
  wait();
})();
