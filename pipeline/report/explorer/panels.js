// The explorer's panels: the topic list for the current selection, the chosen topic's panel
// and the selected province's or year's distinctive words.
const MAX_ARTICLES = 5, MAX_DIFFERENCES = 5;

// The province, year or province × year the reader selected, as the data names it.
function selectionOf(state) {
  if (state.province && state.year) return {dimension: "province_year",
    group: state.province + "|" + state.year, label: state.province + ", " + state.year};
  if (state.province) return {dimension: "province", group: state.province,
    label: state.province};
  if (state.year) return {dimension: "year", group: state.year, label: state.year};
  return null;
}

function cellOf(model, dimension, group) {
  const block = model.prevalence[dimension];
  const i = block ? block.groups.indexOf(group) : -1;
  return i < 0 ? null : {n: block.n[i], low: block.low[i], values: block.values[i]};
}

// Each topic's share in the selection (the whole corpus when nothing is selected).
function sharesOf(model, state) {
  const selection = selectionOf(state);
  if (!selection) return model.topics.map((topic) => topic.share);
  const cell = cellOf(model, selection.dimension, selection.group);
  return model.topics.map((topic, i) => cell && cell.values[i] ? cell.values[i][0] : 0);
}

function topicList(model, state, pick) {
  const selection = selectionOf(state);
  const cell = selection ? cellOf(model, selection.dimension, selection.group) : null;
  const head = [t("topic"), t("share")].concat(selection ? [t("versus_rest")] : []);
  const order = model.topics.map((topic, i) => i).sort((a, b) =>
    (cell ? (cell.values[b] || [0])[0] - (cell.values[a] || [0])[0]
      : model.topics[b].share - model.topics[a].share));
  const rows = order.map((i) => {
    const topic = model.topics[i], v = cell ? cell.values[i] : null;
    const share = selection ? (v ? span(v[0], v[1], v[2]) : "–") : pct(topic.share);
    const versus = v && v[3] !== null ? t("interval", {value: signed(v[3] * 100, 1),
      low: signed(v[4] * 100, 1), high: signed(v[5] * 100, 1)}) : "–";
    return html("tr", {"data-topic-row": topic.id, class: i === state.topic ? "ex-selected"
      : null, onclick: () => pick(i)}, [html("td", {text: topicName(topic)}),
      html("td", {text: share})].concat(selection ? [html("td", {text: versus})] : []));
  });
  const table = html("table", {class: "ex-topics"}, [
    html("thead", {}, [html("tr", {}, head.map((h) => html("th", {text: h})))]),
    html("tbody", {}, rows)]);
  return [html("h3", {text: t("topics_title", {group: selection ? selection.label
    : t("everywhere")})}), table];
}

// The selection's size and the distinctive words of its province (or year).
function groupWords(model, state) {
  const selection = selectionOf(state);
  if (!selection) return null;
  const cell = cellOf(model, selection.dimension, selection.group);
  const dimension = state.province ? "province" : "year";
  const group = state.province || state.year;
  const words = (DATA.distinctive[dimension] || {})[group];
  return html("div", {class: "ex-group"}, [
    html("p", {text: t("group_title", {group: selection.label, n: count(cell ? cell.n : 0)})}),
    html("h4", {text: t("group_words", {group: group})}),
    html("p", {text: words && words.length ? words.map((w) => w[0] + " (" + num(w[1], 1) +
      ")").join(", ") : t("no_words")})]);
}

function rankedWords(topic, lambda) {
  return topic.words.map((w, i) => [w[0], w[1], w[2],
    lambda * Math.log(w[1]) + (1 - lambda) * Math.log(w[1] / w[2]), i])
    .sort((a, b) => b[3] - a[3] || a[4] - b[4]).slice(0, DATA.shown_words);
}

function wordsBlock(topic, state, onLambda) {
  const holder = html("div", {class: "ex-words"});
  const draw = () => {
    const chart = wordBars(rankedWords(topic, state.lambda), t("words_title") + " — " +
      topic.id + ", λ = " + num(state.lambda, 2));
    holder.replaceChildren(chart, downloadButton(chart, topic.id + "-words"));
  };
  const output = html("output", {text: num(state.lambda, 2)});
  const slider = html("input", {type: "range", id: "ex-lambda", min: 0, max: 1, step: 0.01,
    value: state.lambda, oninput: (event) => {
      state.lambda = Number(event.target.value);
      output.textContent = num(state.lambda, 2);
      draw();
      onLambda();
    }});
  draw();
  return html("div", {}, [html("h4", {text: t("words_title")}),
    html("label", {class: "ex-slider"}, [t("lambda"), slider, output]),
    html("p", {class: "note", text: t("lambda_note")}), holder]);
}

function provinceBlock(model, index, state) {
  const inYear = state.year && model.prevalence.province_year;
  const block = inYear ? model.prevalence.province_year : model.prevalence.province;
  if (!block) return null;
  const rows = [];
  block.groups.forEach((group, g) => {
    const name = inYear ? group.split("|")[0] : group;
    if ((inYear && group.split("|")[1] !== state.year) || !block.values[g][index]) return;
    const v = block.values[g][index];
    rows.push({name: name === "unknown" ? t("unknown") : name, p: v[0], lo: v[1], hi: v[2],
      n: block.n[g], low: block.low[g], selected: name === state.province});
  });
  if (!rows.length) return null;
  rows.sort((a, b) => a.low - b.low || b.p - a.p);   // too few documents: listed last
  const yearCell = inYear ? cellOf(model, "year", state.year) : null;
  const overall = inYear ? (yearCell ? yearCell.values[index][0] : null)
    : model.topics[index].share;
  const title = inYear ? t("by_province_in_year", {year: state.year}) : t("by_province");
  const chart = groupBars(rows, overall, title + " — " + model.topics[index].id);
  return html("div", {}, [html("h4", {text: title}), html("div", {class: "ex-scroll"},
    [chart]), downloadButton(chart, model.topics[index].id + "-provinces")]);
}

function yearBlock(model, index, state) {
  const block = model.prevalence.year;
  if (!block) return null;
  const years = block.groups;
  const series = [{name: t("all_provinces_line"), values: years.map((y, g) =>
    block.values[g][index]), n: block.n, low: block.low}];
  if (state.province) {
    const cells = years.map((year) => cellOf(model, "province_year",
      state.province + "|" + year));
    series.push({name: state.province, values: cells.map((cell) => cell ?
      cell.values[index] : null), n: cells.map((cell) => cell ? cell.n : 0),
      low: cells.map((cell) => cell ? cell.low : 1)});
  }
  const chart = yearLines(years, series, state.year, t("by_year") + " — " +
    model.topics[index].id);
  return html("div", {}, [html("h4", {text: t("by_year")}), chart,
    downloadButton(chart, model.topics[index].id + "-years"),
    html("p", {class: "note", text: t("interval_note")})]);
}

function differencesBlock(model, index, pickProvince) {
  const block = model.prevalence.province;
  if (!block) return null;
  const clear = block.groups.map((group, g) => [group, block.values[g][index], block.low[g]])
    .filter(([group, v, low]) => !low && v && v[3] !== null && (v[4] > 0 || v[5] < 0));
  const list = (rows) => html("ul", {class: "ex-diff"}, rows.slice(0, MAX_DIFFERENCES)
    .map(([group, v]) => html("li", {}, [html("button", {type: "button", text: group,
      onclick: () => pickProvince(group)}), " " + t("difference", {
      difference: signed(v[3] * 100, 1), low: signed(v[4] * 100, 1),
      high: signed(v[5] * 100, 1)})])));
  const more = clear.filter((r) => r[1][3] > 0).sort((a, b) => b[1][3] - a[1][3]);
  const less = clear.filter((r) => r[1][3] < 0).sort((a, b) => a[1][3] - b[1][3]);
  return html("div", {}, [html("h4", {text: t("distinctive_title")})].concat(clear.length ? [
    html("p", {text: t("more")}), list(more), html("p", {text: t("less")}), list(less)]
    : [html("p", {class: "note", text: t("no_clear_difference")})]));
}

function articlesBlock(topic, state) {
  const shown = topic.articles.filter(([a]) => (!state.province ||
    DATA.articles[a][1] === state.province) && (!state.year || DATA.articles[a][2] ===
    state.year)).slice(0, MAX_ARTICLES);
  return html("div", {class: "ex-articles"}, [html("h4", {text: t("articles_title")})]
    .concat(shown.length ? shown.map(([a, weight]) => {
      const [title, province, , date, source, lead] = DATA.articles[a];
      const meta = [province || t("unknown"), date, source, t("weight", {value:
        num(weight, 2)})].filter(Boolean).join(" · ");
      return html("article", {class: "ex-article"}, [html("h5", {text: title}),
        html("p", {class: "ex-meta", text: meta}), lead ? html("p", {class: "ex-lead",
          text: lead}) : null]);
    }) : [html("p", {class: "note", text: t("no_articles")})]));
}

function topicPanel(model, index, state, actions) {
  const topic = model.topics[index];
  return html("div", {class: "ex-panel", id: "ex-topic", "data-topic": topic.id}, [
    html("h3", {text: topicName(topic)}),
    html("p", {text: t("topic_share", {share: pct(topic.share), n: count(topic.docs)})}),
    topic.stable === false ? html("p", {class: "ex-warning", text: t("unstable")}) : null,
    html("div", {class: "ex-grid"}, [wordsBlock(topic, state, actions.lambdaMoved),
      provinceBlock(model, index, state), yearBlock(model, index, state),
      differencesBlock(model, index, actions.pickProvince)]),
    articlesBlock(topic, state)]);
}
