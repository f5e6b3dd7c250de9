// A background job's page: ask for its status every second and show it, until it is done
// (then offer the download, or the page of what it did) or failed (then show the error). No inline script: the page's
// Content-Security-Policy allows only files like this one.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var digits = new Intl.NumberFormat(document.documentElement.lang || "en");
  var stateText = {};
  box.querySelectorAll("template[data-state-text]").forEach(function (t) {
    stateText[t.dataset.stateText] = t.content.textContent;
  });

  function show(s) {
    box.dataset.state = s.state;
    document.getElementById("job-state").textContent = stateText[s.state] || s.state;
    var bar = document.getElementById("job-progress");
    if (s.total) {
      bar.max = s.total;
      bar.value = s.progress;
      document.getElementById("job-count").textContent = box.dataset.of
        .replace("{done}", digits.format(s.progress)).replace("{total}", digits.format(s.total));
    }
    var link = document.getElementById("job-download");
    if (s.download) { link.href = s.download; link.hidden = false; }
    var result = document.getElementById("job-result");
    if (s.result) { result.href = s.result; result.hidden = false; }
    var error = document.getElementById("job-error");
    error.hidden = !s.error;
    error.textContent = s.error || "";
    var over = s.state === "done" || s.state === "failed";
    document.getElementById("job-refresh").hidden = over;
    if (!s.total && over) bar.hidden = true;
    return over;
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (!s || !show(s)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.dataset.state !== "done" && box.dataset.state !== "failed") setTimeout(poll, 500);
})();
