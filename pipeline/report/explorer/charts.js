// The explorer's charts, drawn as SVG with presentation attributes only (no page CSS), so a
// downloaded chart looks the same as on the page.

function chartFrame(width, height, title) {
  return svg("svg", {class: "ex-chart", role: "img", width: width, height: height,
    viewBox: "0 0 " + width + " " + height, "font-family": "Noto Sans, DejaVu Sans, Arial"},
    [svg("title", {text: title})]);
}

// Intertopic map: one <g data-topic-id> per topic (circle area = share), LDAvis' layout.
function topicMap(model, shares, selected, onPick) {
  const size = 440, pad = 56, maxRadius = 46, strip = 22;
  const chart = chartFrame(size, size + strip, t("map_title", {model: model.title}));
  const xs = model.topics.map((topic) => topic.x), ys = model.topics.map((topic) => topic.y);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys),
    1e-9);
  const midX = (Math.max(...xs) + Math.min(...xs)) / 2;
  const midY = (Math.max(...ys) + Math.min(...ys)) / 2;
  const scale = (size - 2 * pad) / span;
  const px = (x) => size / 2 + (x - midX) * scale, py = (y) => size / 2 - (y - midY) * scale;
  chart.appendChild(svg("line", {x1: 8, y1: size / 2, x2: size - 8, y2: size / 2,
    stroke: "#ccc"}));
  chart.appendChild(svg("line", {x1: size / 2, y1: 8, x2: size / 2, y2: size - 8,
    stroke: "#ccc"}));
  // the axes' names in a strip below the map, where no circle can cover them
  chart.appendChild(svg("text", {class: "ex-axis", x: size - 8, y: size + 15,
    "text-anchor": "end", "font-size": 11, fill: "#777", text: t("axis_1") + " →"}));
  chart.appendChild(svg("text", {class: "ex-axis", x: 8, y: size + 15, "font-size": 11,
    fill: "#777", text: "↑ " + t("axis_2")}));
  const peak = Math.max(...shares.map((v) => v || 0), 1e-9);
  const order = model.topics.map((topic, i) => i)
    .sort((a, b) => (shares[b] || 0) - (shares[a] || 0));
  order.forEach((i) => {
    const topic = model.topics[i], chosen = i === selected;
    const radius = Math.max(3, maxRadius * Math.sqrt((shares[i] || 0) / peak));
    const mark = svg("g", {"data-topic-id": topic.id, tabindex: 0, role: "button",
      "aria-label": topicName(topic), "aria-pressed": chosen ? "true" : "false"}, [
      svg("title", {text: topicName(topic) + " — " + pct(shares[i] || 0)}),
      svg("circle", {cx: px(topic.x).toFixed(1), cy: py(topic.y).toFixed(1),
        r: radius.toFixed(1), fill: chosen ? "#d62728" : "#1f77b4",
        "fill-opacity": chosen ? 0.65 : 0.35, stroke: chosen ? "#a31b1b" : "#1f4e9c"}),
      svg("text", {x: px(topic.x).toFixed(1), y: (py(topic.y) + 4).toFixed(1),
        "text-anchor": "middle", "font-size": 11, "font-weight": "bold", text: topic.id})]);
    mark.addEventListener("click", () => onPick(i));
    mark.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onPick(i); }
    });
    chart.appendChild(mark);
  });
  return chart;
}

// Words ranked by relevance: p(w|t) in red over p(w) in grey, on one scale. The legend has
// one line per entry, so a longer language (vi) never runs one label into the other.
function wordBars(words, title) {
  const left = 150, width = 460, row = 17, top = 44;
  const chart = chartFrame(width, top + row * words.length + 8, title);
  const peak = Math.max(...words.map((w) => Math.max(w[1], w[2])), 1e-12);
  const bar = (value) => ((width - left - 10) * value / peak).toFixed(1);
  [["#c7c7c7", t("word_overall")], ["#d62728", t("word_in_topic")]].forEach(([colour,
    label], i) => {
    chart.appendChild(svg("rect", {class: "ex-legend", x: left, y: 6 + 16 * i, width: 10,
      height: 10, fill: colour}));
    chart.appendChild(svg("text", {class: "ex-legend", x: left + 14, y: 15 + 16 * i,
      "font-size": 11, text: label}));
  });
  words.forEach((word, i) => {
    const y = top + i * row;
    chart.appendChild(svg("text", {class: "ex-word", x: left - 6, y: y + 12,
      "text-anchor": "end", "font-size": 12, text: word[0]}));
    chart.appendChild(svg("rect", {x: left, y: y + 1, width: bar(word[2]), height: row - 3,
      fill: "#c7c7c7"}));
    chart.appendChild(svg("rect", {x: left, y: y + 4, width: bar(word[1]), height: row - 9,
      fill: "#d62728"}, [svg("title", {text: word[0] + ": " + num(word[1] * 100, 3) + "% / " +
      num(word[2] * 100, 3) + "%"})]));
  });
  return chart;
}

// Groups as sorted bars with their interval; `overall` as a dashed line; a group with too
// few documents (r.low) hollow and grey, "n = …" beside its name.
function groupBars(rows, overall, title) {
  const left = 190, width = 500, row = 16, top = 8;
  const chart = chartFrame(width, top + row * rows.length + 22, title);
  const peak = Math.max(...rows.map((r) => r.hi || r.p), overall || 0, 1e-9);
  const x = (value) => left + (width - left - 40) * value / peak;
  rows.forEach((r, i) => {
    const y = top + i * row, colour = r.selected ? "#d62728" : r.low ? "#999" : "#1f77b4";
    chart.appendChild(svg("text", {x: left - 6, y: y + 11, "text-anchor": "end",
      "font-size": 11, "font-weight": r.selected ? "bold" : null, fill: r.low ? "#777"
      : null, class: r.low ? "ex-low" : null, text: r.low ? r.name + " · " +
      t("n_equals", {n: count(r.n)}) : r.name}));
    chart.appendChild(svg("rect", {x: left, y: y + 2, width: (x(r.p) - left).toFixed(1),
      height: row - 5, fill: r.low ? "none" : colour, stroke: r.low ? colour : null,
      "stroke-dasharray": r.low ? "3 2" : null, "fill-opacity": 0.75}, [
      svg("title", {text: r.name + " (n=" + count(r.n) + "): " + span(r.p, r.lo, r.hi)})]));
    chart.appendChild(svg("line", {x1: x(r.lo).toFixed(1), x2: x(r.hi).toFixed(1),
      y1: y + row / 2 - 1, y2: y + row / 2 - 1, stroke: "#333", "stroke-width": 1}));
  });
  if (overall !== null) {
    chart.appendChild(svg("line", {x1: x(overall).toFixed(1), x2: x(overall).toFixed(1),
      y1: top, y2: top + row * rows.length, stroke: "#555", "stroke-dasharray": "4 3"}));
  }
  [0, peak / 2, peak].forEach((tick) => chart.appendChild(svg("text", {x: x(tick).toFixed(1),
    y: top + row * rows.length + 15, "text-anchor": "middle", "font-size": 10,
    text: pct(tick, 0)})));
  return chart;
}

// One line per series over the years, with its interval as a band; `marked` year outlined.
function yearLines(years, series, marked, title) {
  const width = 460, height = 244, left = 50, right = 120, top = 14, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const chart = chartFrame(width, height, title);
  const highs = series.flatMap((s) => s.values.filter(Boolean).map((v) => v[2]));
  const ymax = Math.max(...highs, 1e-9) * 1.1;
  const px = (i) => left + plotW * (i + 0.5) / years.length;
  const py = (v) => top + plotH * (1 - v / ymax);
  chart.appendChild(svg("line", {x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH,
    stroke: "#444"}));
  chart.appendChild(svg("line", {x1: left, y1: top, x2: left, y2: top + plotH, stroke: "#444"}));
  [0, ymax / 2, ymax].forEach((tick) => chart.appendChild(svg("text", {x: left - 4,
    y: (py(tick) + 4).toFixed(1), "text-anchor": "end", "font-size": 10, text: pct(tick, 0)})));
  const thin = series[0] && series[0].low ? series[0].low : [];
  years.forEach((year, i) => {
    if (year === marked) chart.appendChild(svg("rect", {x: (px(i) - 10).toFixed(1), y: top,
      width: 20, height: plotH, fill: "#fde8e8"}));
    chart.appendChild(svg("text", {x: px(i).toFixed(1), y: top + plotH + 16,
      "text-anchor": "middle", "font-size": 11, fill: thin[i] ? "#888" : null, text: year}));
    if (thin[i]) chart.appendChild(svg("text", {class: "ex-low", x: px(i).toFixed(1),
      y: top + plotH + 27, "text-anchor": "middle", "font-size": 9, fill: "#888",
      text: t("n_equals", {n: count(series[0].n[i])})}));
  });
  series.forEach((s, index) => {
    const colour = PALETTE[index % PALETTE.length];
    const low = s.low || [];
    // a year with too few documents: a hollow point and a whisker, outside the line and band
    s.values.forEach((v, i) => {
      if (!v || !low[i]) return;
      chart.appendChild(svg("line", {x1: px(i).toFixed(1), x2: px(i).toFixed(1),
        y1: py(v[1]).toFixed(1), y2: py(v[2]).toFixed(1), stroke: colour,
        "stroke-opacity": 0.35}));
      chart.appendChild(svg("circle", {class: "ex-low", cx: px(i).toFixed(1),
        cy: py(v[0]).toFixed(1), r: 3, fill: "#fff", stroke: colour}, [svg("title", {text:
        s.name + ", " + years[i] + " (" + t("n_equals", {n: count(s.n[i])}) + "): " +
        span(...v)})]));
    });
    const known = s.values.map((v, i) => v && !low[i] ? i : -1).filter((i) => i >= 0);
    const band = known.map((i) => px(i).toFixed(1) + "," + py(s.values[i][2]).toFixed(1))
      .concat(known.slice().reverse().map((i) => px(i).toFixed(1) + "," +
        py(s.values[i][1]).toFixed(1)));
    if (band.length) chart.appendChild(svg("polygon", {points: band.join(" "), fill: colour,
      opacity: 0.15}));
    chart.appendChild(svg("polyline", {points: known.map((i) => px(i).toFixed(1) + "," +
      py(s.values[i][0]).toFixed(1)).join(" "), fill: "none", stroke: colour,
      "stroke-width": 2}));
    known.forEach((i) => chart.appendChild(svg("circle", {cx: px(i).toFixed(1),
      cy: py(s.values[i][0]).toFixed(1), r: 2.5, fill: colour}, [svg("title", {text: s.name +
      ", " + years[i] + ": " + span(...s.values[i])})])));
    chart.appendChild(svg("text", {class: "ex-legend", x: left + plotW + 8,
      y: top + 12 + 14 * index, "font-size": 11, fill: colour, text: s.name}));
  });
  return chart;
}
