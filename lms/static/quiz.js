// Quiz page: answers saved on the server as they are given, a live "answered 12 of 17", a
// countdown with warnings at 5 and 1 minutes that sends the quiz at 0:00, and one submission
// per click. The server enforces the
// deadline (grading what was saved by then) and ignores repeated posts; this only helps.
(function () {
  "use strict";
  var fa = document.documentElement.lang === "fa";
  var digits = function (s) { return fa ? s.replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : s; };

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });

  // Role-play: the own-reply box counts only while "Write my own reply" is ticked; a disabled
  // box keeps its text for a change of mind but is not sent with a listed reply.
  document.querySelectorAll("form.reply .write-own input").forEach(function (own) {
    var box = own.form.querySelector("textarea[name=typed]");
    var sync = function () {
      box.disabled = !own.checked;
      box.required = own.checked;
    };
    own.form.addEventListener("change", function (event) {
      sync();
      if (event.target === own && own.checked) { box.focus(); }
    });
    sync();
  });

  var form = document.querySelector("form[data-autosave]");
  if (form) {
    var status = form.querySelector(".autosave-status");
    var pending = null;
    var save = function () {
      pending = null;
      if (form.dataset.sent) { return; }
      var body = new FormData(form);
      form.querySelectorAll("fieldset.item").forEach(function (set) { body.append("on_page", set.id.slice(2)); });
      fetch(form.dataset.autosave, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 409) {
            return response.json().then(function (data) { window.location.assign(data.result); });
          }
          status.textContent = response.ok ? status.dataset.saved : status.dataset.failed;
        })
        .catch(function () { status.textContent = status.dataset.failed; });
    };
    // Enter in a typed answer saves it; it does not send the whole quiz.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.matches("input[type=text]")) {
        event.preventDefault();
        event.target.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    form.addEventListener("change", function () {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(save, 300);
    });
  }

  var progress = document.querySelector(".quiz-progress");
  if (form && progress) {
    var items = form.querySelectorAll("fieldset.item");
    var done = form.querySelector(".quiz-progress-done");
    var count = function () {
      var answered = Array.prototype.filter.call(items, function (set) {
        var typed = set.querySelector("input[type=text]");
        return set.querySelector("input:checked") !== null || (typed !== null && typed.value.trim() !== "");
      }).length;
      progress.textContent = digits(progress.dataset.count.replace("{n}", answered));
      // Announced once, when the last answer is given, not after every click.
      done.textContent = answered === items.length ? done.dataset.done : "";
    };
    form.addEventListener("change", count);
  }

  var timer = document.querySelector("[data-deadline-seconds]");
  if (timer) {
    var end = Date.now() + Number(timer.dataset.deadlineSeconds) * 1000;
    var out = timer.querySelector(".timer-value");
    var warning = document.querySelector(".timer-warning");
    var warned = {};
    var warn = function (key) {
      if (warned[key] || !warning) { return; }
      warned[key] = true;
      warning.hidden = false;
      warning.textContent = warning.dataset[key];
    };
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      out.textContent = digits(Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0"));
      timer.classList.toggle("urgent", left <= 60);
      if (left <= 300 && left > 60) { warn("five"); }
      if (left <= 60 && left > 0) { warn("one"); }
      if (left === 0) {
        warn("zero");
        if (form && !form.dataset.sent) { form.requestSubmit(); }
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
