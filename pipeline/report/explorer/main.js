// The explorer's state (model, topic, province, year, λ), kept in the address bar
// (#topic=L07&province=Cần Thơ), and the page start-up.
const DEFAULT_LAMBDA = 0.6;
const state = {model: 0, topic: null, province: "", year: "", lambda: DEFAULT_LAMBDA};
const ROOT = document.getElementById("explorer");
const APP = document.getElementById("explorer-app");
const warnings = [];

function groupsOf(dimension) {
  const names = new Set();
  DATA.models.forEach((model) => {
    const block = model.prevalence[dimension];
    if (block) block.groups.forEach((group) => names.add(group));
  });
  return Array.from(names).filter((name) => name !== "unknown")
    .sort((a, b) => COLLATOR.compare(a, b));
}

function hashWanted(hash) {
  return hash.length > 1 && hash.includes("=");
}

function readHash() {
  warnings.length = 0;
  const params = new URLSearchParams(location.hash.slice(1));
  const wanted = (key) => (params.get(key) || "").trim();
  const modelName = wanted("model").toLowerCase();
  const modelIndex = DATA.models.findIndex((model) => model.name === modelName);
  if (modelIndex >= 0) state.model = modelIndex;
  state.topic = null;
  const topicId = wanted("topic").toUpperCase();
  if (topicId) {
    let found = false;
    DATA.models.forEach((model, m) => model.topics.forEach((topic, i) => {
      if (topic.id.toUpperCase() === topicId) { state.model = m; state.topic = i; found = true; }
    }));
    if (!found) warnings.push(t("unknown_link", {what: t("topic"), value: wanted("topic")}));
  }
  const pick = (key, dimension, label) => {
    const value = wanted(key);
    if (!value) return "";
    const match = groupsOf(dimension).find((group) => folded(group) === folded(value));
    if (!match) warnings.push(t("unknown_link", {what: label, value: value}));
    return match || "";
  };
  state.province = pick("province", "province", t("province").toLowerCase());
  state.year = pick("year", "year", t("year").toLowerCase());
  const lambda = Number(wanted("lambda"));
  state.lambda = wanted("lambda") && lambda >= 0 && lambda <= 1 ? lambda : DEFAULT_LAMBDA;
}

function stateHash() {
  const model = DATA.models[state.model];
  const parts = state.topic === null ? [["model", model.name]]
    : [["topic", model.topics[state.topic].id]];
  if (state.province) parts.push(["province", state.province]);
  if (state.year) parts.push(["year", state.year]);
  if (state.lambda !== DEFAULT_LAMBDA) parts.push(["lambda", num(state.lambda, 2)
    .replace(",", ".")]);
  return "#" + parts.map(([k, v]) => k + "=" + encodeURIComponent(v)).join("&");
}

function writeHash() {
  const hash = stateHash();
  history.replaceState(null, "", hash);
  const link = document.getElementById("ex-link");
  if (link) link.setAttribute("href", hash);
}

function choose(change) {
  Object.assign(state, change);
  writeHash();
  render();
}

function selector(id, label, options, value, onChange) {
  return html("label", {}, [label + " ", html("select", {id: id, onchange: (event) =>
    onChange(event.target.value)}, options.map(([v, text]) => html("option", {value: v,
    text: text, selected: v === value})))]);
}

function controls() {
  const counts = (dimension) => {
    const block = DATA.models[state.model].prevalence[dimension];
    return (group) => {
      const i = block ? block.groups.indexOf(group) : -1;
      return i < 0 ? group : group + " (" + count(block.n[i]) + ")";
    };
  };
  const provinceName = counts("province"), yearName = counts("year");
  return html("div", {class: "ex-controls"}, [
    selector("ex-model", t("model"), DATA.models.map((m, i) => [String(i), m.title]),
      String(state.model), (v) => choose({model: Number(v), topic: null})),
    groupsOf("province").length ? selector("ex-province", t("province"), [["",
      t("all_provinces")]].concat(groupsOf("province").map((g) => [g, provinceName(g)])),
      state.province, (v) => choose({province: v})) : null,
    groupsOf("year").length ? selector("ex-year", t("year"), [["", t("all_years")]].concat(
      groupsOf("year").map((g) => [g, yearName(g)])), state.year, (v) => choose({year: v}))
      : null,   // a corpus without dates (or places) gets no empty list
    html("a", {id: "ex-link", href: stateHash(), text: t("link")}),
    html("p", {class: "ex-warning", role: "status", text: warnings.join(" ")})]);
}

// A topic chosen on the map or in the list: its panel, below them, is brought into view.
function pickTopic(i) {
  choose({topic: i});
  const panel = document.getElementById("ex-topic");
  if (panel) panel.scrollIntoView({block: "start"});
}

function render() {
  const model = DATA.models[state.model];
  const pick = pickTopic;
  const map = topicMap(model, sharesOf(model, state), state.topic, pick);
  const list = html("div", {class: "ex-list"}, topicList(model, state, pick)
    .concat([groupWords(model, state)]));
  const actions = {lambdaMoved: writeHash, pickProvince: (p) => choose({province: p})};
  APP.replaceChildren(controls(), html("div", {class: "ex-top"}, [
    html("figure", {class: "ex-map"}, [html("figcaption", {text: t("map_title",
      {model: model.title})}), map, downloadButton(map, model.name + "-map"),
      html("p", {class: "note", text: t("map_note")})]), list]),
    state.topic === null ? html("p", {class: "note", id: "ex-topic", text: t("pick_topic")})
      : topicPanel(model, state.topic, state, actions));
  enhanceTable(list.querySelector("table"));
}

enhanceStaticReport();
if (ROOT && APP && DATA.models.length) {
  if (hashWanted(location.hash)) readHash();
  render();
  ROOT.hidden = false;
  window.addEventListener("hashchange", () => {
    if (hashWanted(location.hash)) { readHash(); render(); }
  });
}
