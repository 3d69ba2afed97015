// The office works without this script; it only asks before a form that
// cannot be undone is sent (data-confirm on the form), sends a filter form
// when one of its lists changes (data-autosubmit), and puts the text of a
// chosen file in a text box (data-fill on the file field: the box's id).
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

document.addEventListener("change", (event) => {
  const field = event.target;
  const target = field.dataset ? document.getElementById(field.dataset.fill || "") : null;
  if (field.type === "file" && target && field.files.length === 1) {
    field.files[0].text().then((text) => {
      target.value = text;
    });
  }
});
