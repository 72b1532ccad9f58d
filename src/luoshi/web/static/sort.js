// Every list sorts by its columns: click a header (again: reverse). Lists paged on the server
// (目标, the public scorecard) sort there instead (their headers are links, luoshi.web.line_sort);
// a header with class "no-sort" stays put.
(function () {
  function key(cell) {
    var text = (cell ? cell.textContent : "").trim();
    var num = text.replace(/[,，\s]/g, "").match(/^[<>≥≤~]?(-?\d+(\.\d+)?)/);
    return num ? { n: parseFloat(num[1]), t: text } : { n: null, t: text };
  }
  function compare(a, b) {
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;
    if (b.n !== null) return 1;
    return a.t.localeCompare(b.t, "zh-CN");
  }
  document.querySelectorAll("table.data").forEach(function (table) {
    var body = table.tBodies[0];
    if (!table.tHead || !body) return;
    var heads = table.tHead.rows[0] ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      if (th.querySelector("a, input") || th.classList.contains("no-sort")) return;
      th.classList.add("sortable");
      th.tabIndex = 0;
      th.title = "按此列排序";
      function sort() {
        var rows = Array.prototype.filter.call(body.rows, function (r) { return r.cells.length === heads.length; });
        var desc = th.dataset.dir === "asc";
        Array.prototype.forEach.call(heads, function (h) { delete h.dataset.dir; h.removeAttribute("aria-sort"); });
        th.dataset.dir = desc ? "desc" : "asc";
        th.setAttribute("aria-sort", desc ? "descending" : "ascending");
        rows.sort(function (a, b) {
          var c = compare(key(a.cells[index]), key(b.cells[index]));
          return desc ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
})();
