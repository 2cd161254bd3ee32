/* Names for form controls Django admin draws without a label, for screen readers and voice
   control: the autocomplete (select2) search boxes take the label of the list they search
   (select2 redraws them, so new ones are labelled as they appear); a tabular inline's inputs
   take their column heading; a split date-time's two boxes say which is the date. */
(function () {
  "use strict";

  function labelSearchFields(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (field) {
      var container = field.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      var name = label ? label.textContent.replace(/:\s*$/, "").trim() : "Search";
      field.setAttribute("aria-label", "Search " + name.toLowerCase());
    });
  }

  /* A select2 box shows the chosen item through a combobox and a rendered span that select2
     names only by that item, so an empty choice has no name: both take the list's own. */
  function labelSelections(root) {
    root.querySelectorAll(".select2-selection").forEach(function (selection) {
      if (selection.hasAttribute("aria-label")) { return; }
      var container = selection.closest(".select2");
      var select = container && container.previousElementSibling;
      if (!select) { return; }
      var name = select.getAttribute("aria-label") || labelText(select.id);
      if (!name) { return; }
      selection.setAttribute("aria-label", name);
      selection.querySelectorAll(".select2-selection__rendered").forEach(function (rendered) {
        rendered.setAttribute("aria-label", name);
      });
    });
  }

  function labelText(id) {
    var label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function labelTabularInputs() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row, index) {
        Array.prototype.forEach.call(row.children, function (cell, column) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (field.labels && field.labels.length) { return; }
            if (field.hasAttribute("aria-label")) { return; }
            var heading = headings[column] || (field.name.match(/-(DELETE)$/) ? "Delete" : "");
            if (heading) { field.setAttribute("aria-label", heading + ", row " + (index + 1)); }
          });
        });
      });
    });
  }

  function labelSplitDateTimes() {
    document.querySelectorAll("input[id$=_0], input[id$=_1]").forEach(function (field) {
      if ((field.labels && field.labels.length) || field.hasAttribute("aria-label")) { return; }
      var base = field.id.slice(0, -2);
      var row = field.closest(".form-row");
      var rowLabel = row && row.querySelector("label");
      var name = labelText(base) ||
        (rowLabel ? rowLabel.textContent.replace(/:\s*$/, "").trim() : "");
      if (name) {
        field.setAttribute("aria-label", name + (field.id.slice(-1) === "0" ? ": date" : ": time"));
      }
    });
  }

  function start() {
    labelTabularInputs();
    labelSplitDateTimes();
    labelSearchFields(document);
    labelSelections(document);
    new MutationObserver(function () { labelSearchFields(document); labelSelections(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
