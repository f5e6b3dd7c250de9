// The deep-linking answer goes back to the course editor at once; the button stays for
// browsers without scripts.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
});
