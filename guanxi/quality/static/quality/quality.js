// Data quality: place the duplicate hint under the name field of a record form and ask the
// server to re-check whenever one of the watched inputs changes.
(function () {
  "use strict";

  function setUpDuplicateHint() {
    var hint = document.getElementById("duplicate-hint");
    if (!hint) {
      return;
    }
    var name = document.getElementById("id_name");
    var field = name && name.closest(".mb-3");
    if (field) {
      field.appendChild(hint);
    }
    var watched = (hint.dataset.watch || "").split(",");
    watched.forEach(function (selector) {
      var input = selector.trim() && document.querySelector(selector.trim());
      if (input) {
        input.addEventListener("input", function () {
          htmx.trigger(hint, "duplicate-check");
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", setUpDuplicateHint);
})();
