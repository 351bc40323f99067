/* The import's progress page: poll the job's JSON (data-progress) twice a
   second, move the bars, and reload the page once the import has ended to
   show its result (templates/org_import_job.html). */
(function () {
  "use strict";
  var state = document.getElementById("import-state");
  if (!state) return;
  var url = state.getAttribute("data-progress");

  function show(file) {
    var li = document.querySelector('#import-files li[data-record="' + file.record + '"]');
    if (!li) return;
    var bar = li.querySelector("progress");
    bar.max = file.total_bytes || 1;
    bar.value = file.bytes;
    li.querySelector(".rows").textContent = file.rows;
    li.querySelector(".bytes").textContent = file.bytes;
    li.querySelector(".total").textContent = file.total_bytes;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        job.files.forEach(show);
        if (job.state === "running") setTimeout(poll, 500);
        else window.location.reload();
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
