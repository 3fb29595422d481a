// Toggle the icon and visibility of a tree node's children once they have been loaded.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-toggle-tree]");
  if (!button) return;
  const list = button.parentElement.querySelector(":scope > ul");
  const icon = button.querySelector("i");
  if (button.dataset.loaded) {
    list.hidden = !list.hidden;
  }
  button.dataset.loaded = "1";
  const open = !list.hidden;
  icon.className = open ? "bi bi-dash-square" : "bi bi-plus-square";
  button.setAttribute("aria-expanded", open ? "true" : "false");
});
