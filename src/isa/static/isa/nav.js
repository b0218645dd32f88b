// On a phone the navigation is one row that scrolls sideways: bring the current page's
// link into view, so that people see where they are.
document.addEventListener("DOMContentLoaded", () => {
  const nav = document.querySelector(".main-nav");
  const current = nav && nav.querySelector('a[aria-current="page"]');
  if (current && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
  }
});
