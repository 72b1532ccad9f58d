// 批量处理: "select all" boxes and showing only the fields of the chosen bulk action.
(function () {
  document.querySelectorAll("input.check-all").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"][data-group="' + all.dataset.group + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
  var select = document.querySelector("select.bulk-action");
  if (!select) return;
  function show() {
    document.querySelectorAll("#bulk [data-for]").forEach(function (el) {
      el.hidden = el.dataset.for !== select.value;
    });
  }
  select.addEventListener("change", show);
  show();
})();
