// Long tables made sortable (click a header) and filterable (a search box that ignores
// case and diacritics); SVG download buttons under the static charts.
const FILTER_MIN_ROWS = 10;
const COLLATOR = new Intl.Collator("vi");   // the data is Vietnamese in either language

function sortTable(table, column, heads) {
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const texts = rows.map((row) => row.cells[column] ? row.cells[column].textContent : "");
  const numbers = texts.map(parseLocalNumber);
  const numeric = texts.every((text, i) => text.trim() === "" || text.trim() === "–" ||
    !Number.isNaN(numbers[i]));
  const current = heads[column].getAttribute("aria-sort");
  const ascending = current ? current === "descending" : !numeric;
  const keyed = rows.map((row, i) => ({row: row, i: i, text: texts[i],
    value: Number.isNaN(numbers[i]) ? -Infinity : numbers[i]}));
  keyed.sort((a, b) => {
    const order = numeric ? a.value - b.value : COLLATOR.compare(a.text, b.text);
    return (ascending ? order : -order) || a.i - b.i;
  });
  heads.forEach((head) => head.removeAttribute("aria-sort"));
  heads[column].setAttribute("aria-sort", ascending ? "ascending" : "descending");
  body.append(...keyed.map((k) => k.row));
}

function filterControl(table) {
  const rows = Array.from(table.tBodies[0].rows);
  const total = rows.length;
  const status = html("span", {class: "note", text: t("rows", {shown: count(total),
    total: count(total)})});
  const input = html("input", {type: "search", placeholder: t("filter"),
    "aria-label": t("filter"), oninput: () => {
      const query = folded(input.value.trim());
      let shown = 0;
      rows.forEach((row) => {
        const keep = !query || folded(row.textContent).includes(query);
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      status.textContent = t("rows", {shown: count(shown), total: count(total)});
    }});
  return html("div", {class: "table-filter"}, [input, status]);
}

function enhanceTable(table) {
  if (!table.tHead || !table.tBodies.length) return;
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((head, column) => {
    fill(head, {class: "sortable", title: t("sort"), tabindex: 0,
      onclick: () => sortTable(table, column, heads),
      onkeydown: (event) => {
        if (event.key === "Enter") sortTable(table, column, heads);
      }});
  });
  if (table.tBodies[0].rows.length >= FILTER_MIN_ROWS) {
    table.parentNode.insertBefore(filterControl(table), table);
  }
}

function enhanceStaticReport() {
  document.querySelectorAll("body > section table").forEach(enhanceTable);
  document.querySelectorAll("body > section svg.chart").forEach((chart, i) => {
    const section = chart.closest("section");
    chart.after(downloadButton(chart, (section ? section.id : "chart") + "-" + (i + 1)));
  });
}
