// Kanban board: drag a card to another column to move the deal (stage gates are checked by the
// server). A refused move puts the card back where it was and shows the reason.
(function () {
  "use strict";

  var board = document.getElementById("kanban");
  if (!board || typeof Sortable === "undefined") {
    return;
  }
  var alertBox = document.getElementById("board-alert");
  var statusBox = document.getElementById("board-status");

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function show(box, text) {
    alertBox.classList.add("d-none");
    statusBox.classList.add("d-none");
    box.textContent = text;
    box.classList.remove("d-none");
  }

  function snapBack(event) {
    var card = event.item;
    var reference = event.from.children[event.oldIndex] || null;
    event.from.insertBefore(card, reference);
    card.classList.add("kanban-refused");
    window.setTimeout(function () { card.classList.remove("kanban-refused"); }, 3000);
  }

  function refreshTotals() {
    fetch(board.dataset.summaryUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        Object.keys(data.columns).forEach(function (stageId) {
          var column = board.querySelector('[data-stage="' + stageId + '"]');
          if (!column) { return; }
          ["count", "amount", "weighted"].forEach(function (name) {
            var cell = column.querySelector('[data-total="' + name + '"]');
            if (cell) { cell.textContent = data.columns[stageId][name]; }
          });
        });
      });
  }

  function move(event) {
    if (event.from === event.to) {
      return;
    }
    var card = event.item;
    var column = event.to.closest(".kanban-column");
    var body = new FormData();
    body.append("stage", event.to.dataset.moveStage);
    if (column.dataset.kind === "lost") {
      var reason = window.prompt(board.dataset.lostPrompt || "");
      if (!reason) {
        snapBack(event);
        return;
      }
      body.append("lost_reason", reason);
    }
    fetch(card.dataset.moveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }
    })
      .then(function (response) {
        return response.json().catch(function () { return { ok: false }; });
      })
      .then(function (data) {
        if (!data.ok) {
          snapBack(event);
          show(alertBox, data.reason || board.dataset.errorText);
          return;
        }
        show(statusBox, data.message);
        var stagnant = card.querySelector("[data-stagnant]");
        if (stagnant) { stagnant.remove(); }
        var empty = event.to.querySelector(".kanban-empty");
        if (empty) { empty.remove(); }
        refreshTotals();
      })
      .catch(function () {
        snapBack(event);
        show(alertBox, board.dataset.errorText);
      });
  }

  board.querySelectorAll(".kanban-sortable").forEach(function (list) {
    Sortable.create(list, {
      group: "kanban",
      draggable: ".kanban-card",
      animation: 150,
      ghostClass: "sortable-ghost",
      // mouse/touch events instead of native drag and drop: same behaviour in every browser
      forceFallback: true,
      onEnd: move
    });
  });
})();
