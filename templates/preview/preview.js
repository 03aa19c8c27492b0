// The live preview's page: shows each build the server announces (server-sent events from /events),
// its problems above the last good pages, and scrolls to the first page that changed. Text from the
// build (problems, labels) is set as text, never as HTML.
"use strict";

const labels = document.body.dataset;
const status = document.getElementById("status");
const problems = document.getElementById("problems");
const problemLines = document.getElementById("problem-lines");
const lastGood = document.getElementById("last-good");
const download = document.getElementById("download");
const pages = document.getElementById("pages");
let latest = -1;

function fill(label, values) {
  return label.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function sheet(index) {
  while (pages.children.length <= index) {
    const figure = document.createElement("figure");
    const link = document.createElement("a"); // the page at full size, to proofread zoomed in
    figure.className = "sheet";
    link.appendChild(document.createElement("img"));
    figure.appendChild(link);
    pages.appendChild(figure);
  }
  return pages.children[index];
}

async function show(state) {
  latest = Math.max(latest, state.version);
  status.textContent = state.building
    ? labels.buildingLabel
    : fill(labels.builtLabel, { time: state.finished, seconds: state.seconds });
  if (state.building) {
    return;
  }
  problemLines.textContent = state.problems.join("\n");
  problems.hidden = state.problems.length === 0;
  lastGood.hidden = state.pages.length === 0;
  if (state.pdf) {
    download.href = state.pdf;
    download.hidden = false;
  }
  let changedShown = Promise.resolve();
  state.pages.forEach((page, index) => {
    const figure = sheet(index);
    const link = figure.firstChild;
    const image = link.firstChild;
    figure.style.setProperty("--width", `${page.width / 2}px`);
    figure.classList.toggle("changed", index === state.changed);
    image.alt = fill(labels.pageLabel, { page: index + 1, pages: state.pages.length });
    if (image.getAttribute("src") !== page.src) {
      image.width = page.width;
      image.height = page.height;
      image.src = page.src;
      link.href = page.src;
      if (index === state.changed) {
        changedShown = image.decode().catch(() => undefined);
      }
    }
  });
  while (pages.children.length > state.pages.length) {
    pages.lastChild.remove();
  }
  await changedShown;
  if (state.version < latest) {
    return; // a newer build arrived while the changed page loaded
  }
  if (state.changed !== null) {
    pages.children[state.changed].scrollIntoView({ block: "start" });
  }
  // The build the browser shows now (the changed page drawn; the pages after it may still be
  // loading), for whoever watches the page: the tests, the benchmark.
  document.body.dataset.build = String(state.build);
  document.body.dataset.seconds = String(state.seconds);
  document.body.dataset.changed = state.changed === null ? "" : String(state.changed);
}

new EventSource("/events").onmessage = (message) => show(JSON.parse(message.data));
