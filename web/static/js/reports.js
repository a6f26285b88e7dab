// Progressive enhancement of the report form (it works without this): typing a day chooses
// the custom period, choosing a plan chooses "since the plan was signed", and choosing another
// period clears the typed days, which the server then fills with that period's days.
(function () {
  "use strict";
  var form = document.querySelector("form.report-form");
  if (!form) {
    return;
  }
  var period = form.elements.namedItem("period");
  var from = form.elements.namedItem("from");
  var to = form.elements.namedItem("to");
  var since = form.elements.namedItem("since");
  if (!period || !from || !to) {
    return;
  }
  [from, to].forEach(function (day) {
    day.addEventListener("input", function () {
      period.value = "custom";
    });
  });
  if (since) {
    since.addEventListener("change", function () {
      if (since.value) {
        period.value = "plan";
      }
    });
  }
  period.addEventListener("change", function () {
    if (period.value !== "custom") {
      from.value = "";
      to.value = "";
    }
  });
})();
