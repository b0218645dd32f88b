// The header's menu: below 75rem the navigation, the languages and the account wait behind
// one button, so that the page's work starts near the top of a phone.  Without this script
// the links simply stay shown.  On a desktop, when the links overflow their single row,
// the current page's link is brought into view.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const header = document.querySelector(".site-header");
  const toggle = header && header.querySelector(".nav-toggle");
  if (toggle) {
    toggle.hidden = false;
    const setOpen = (open) => {
      header.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", () => setOpen(!header.classList.contains("menu-open")));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }
  // The account panel closes with Escape and when one clicks elsewhere, like any menu.
  const account = header && header.querySelector(".account-menu");
  if (account) {
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && account.open) {
        account.open = false;
        account.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (account.open && !account.contains(event.target)) account.open = false;
    });
  }
  // A form sent back with errors: its summary takes the focus, so that it is read first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  const nav = document.querySelector(".main-nav");
  const current = nav && nav.querySelector('a[aria-current="page"]');
  if (current && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
  }
});
