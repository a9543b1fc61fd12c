// Shared helpers: DOM and SVG building (text only through textContent, never innerHTML),
// the language's strings and number format, SVG download.
const SVG_NS = "http://www.w3.org/2000/svg";
const DATA_BLOCK = document.getElementById("explorer-data");
const DATA = DATA_BLOCK ? JSON.parse(DATA_BLOCK.textContent) : {strings: {}, models: []};
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"];

function fill(node, attrs, children) {
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (value === null || value === undefined || value === false) return;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  });
  (children || []).forEach((child) => {
    if (child === null || child === undefined) return;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  });
  return node;
}

function html(tag, attrs, children) {
  return fill(document.createElement(tag), attrs, children);
}

function svg(tag, attrs, children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function t(key, values) {
  const template = DATA.strings[key];
  if (template === undefined) throw new Error("no UI string " + key);
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    values && name in values ? String(values[name]) : whole);
}

function num(value, digits) {
  const text = Number(value).toFixed(digits);
  return DATA.decimal === "." ? text : text.replace(".", DATA.decimal);
}

function signed(value, digits) {
  return (value > 0 ? "+" : "") + num(value, digits);
}

function pct(value, digits) {
  return num(value * 100, digits === undefined ? 1 : digits) + "%";
}

// A share with its interval, as the language writes intervals.
function span(value, low, high) {
  return t("interval", {value: pct(value), low: pct(low), high: pct(high)});
}

function count(value) {
  const text = String(Math.round(value));
  return DATA.thousands ? text.replace(/\B(?=(\d{3})+(?!\d))/g, DATA.thousands) : text;
}

// A number written in the report's language back to a JS number (NaN when not a number).
function parseLocalNumber(text) {
  const match = /^[+\-−]?\d[\d.,]*/.exec(text.trim());
  if (!match) return NaN;
  let digits = match[0].replace("−", "-");
  if (DATA.thousands) digits = digits.split(DATA.thousands).join("");
  return Number(DATA.decimal === "." ? digits : digits.replace(DATA.decimal, "."));
}

// Lower case without diacritics, so "can tho" finds "Cần Thơ".
function folded(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
    .replace(/Đ/g, "D").toLowerCase();
}

function downloadButton(chart, name) {
  return html("button", {type: "button", class: "download", title: t("download_title"),
    text: t("download"), onclick: () => {
      const copy = chart.cloneNode(true);
      copy.setAttribute("xmlns", SVG_NS);
      const text = '<?xml version="1.0" encoding="UTF-8"?>\n' +
        new XMLSerializer().serializeToString(copy);
      const link = html("a", {download: name.replace(/[^\w\-]+/g, "_") + ".svg",
        href: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text)});
      document.body.appendChild(link);
      link.click();
      link.remove();
    }});
}

function topicName(topic) {
  return topic.id + (topic.label ? " " + topic.label : "") + ": " + topic.top;
}
