// Quiz page: a countdown for timed attempts and one submission per click.
// The server enforces the deadline and ignores repeated posts; this only helps the learner.
(function () {
  "use strict";
  var timer = document.querySelector("[data-deadline-seconds]");
  if (timer) {
    var end = Date.now() + Number(timer.dataset.deadlineSeconds) * 1000;
    var out = timer.querySelector(".timer-value");
    var fa = document.documentElement.lang === "fa";
    var digits = function (s) { return fa ? s.replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : s; };
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      out.textContent = digits(text);
      timer.classList.toggle("urgent", left < 60);
      if (left > 0) { window.setTimeout(tick, 1000); }
    };
    tick();
  }
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
