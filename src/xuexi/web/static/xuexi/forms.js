// Give Django's plain form inputs Bootstrap's look.
document.querySelectorAll("form input:not([type=checkbox]):not([type=radio]):not([type=hidden]), form select").forEach(function (el) {
  el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control");
});
