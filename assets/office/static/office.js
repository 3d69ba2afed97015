// The office works without this script; it only asks before a form that
// cannot be undone is sent (data-confirm on the form), and sends a filter
// form when one of its lists changes (data-autosubmit).
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

document.addEventListener("change", (event) => {
  const field = event.target;
  const form = field.form;
  if (form && form.hasAttribute("data-autosubmit") && field.tagName === "SELECT") {
    form.requestSubmit();
  }
});
