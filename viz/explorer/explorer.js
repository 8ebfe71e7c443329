// glassgrad's explorer: steps through the forward pass, then through every chain-rule step of
// the backward pass, on the SVG that Graphviz drew in Python. The numbers come from the JSON in
// the page (viz/explore.py writes it). User text is only ever set with textContent.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("glassgrad-data").textContent);
  const FORWARD = data.forward.length;
  const BACKWARD = data.steps.length;
  const LAST = FORWARD + BACKWARD - 1;
  const COLOURS = { computed: "#f5a623", wanted: "#d0021b", waiting: "#777777", bad: "#8e24aa", text: "#000000" };
  const SMALL = 6; // arrays of at most this many numbers get their chain-rule arithmetic written out

  const stepOfNode = {}; // the step at which a node passes its gradient on
  const completeAfter = {}; // the step after which a node's gradient is complete
  data.steps.forEach((step, index) => {
    stepOfNode[step.node] = index;
    completeAfter[step.node] = index;
    step.sent.forEach((sent) => { if (sent) completeAfter[sent.to] = index; });
  });
  const forwardIndex = {};
  data.forward.forEach((id, index) => { forwardIndex[id] = index; });

  const state = { position: 0, view: data.first_view, selected: null, timer: null };
  const $ = (id) => document.getElementById(id);
  const graph = $("graph");
  let elements = {}; // id -> the SVG <g> of a node, an edge or a box in the current view
  let rows = {}; // value id -> the <text> (and background) of its grad row in the current view
  let edgeEnds = {}; // edge id -> the values at its ends (an edge appears with the later one)

  // ------------------------------------------------------------------ numbers as text

  function number(value) {
    if (typeof value === "string") return value === "Infinity" ? "inf" : value === "-Infinity" ? "-inf" : "nan";
    if (typeof value === "boolean") return String(value);
    if (Number.isInteger(value)) return String(value);
    return Number(value.toPrecision(6)).toString();
  }

  function shapeText(shape) {
    return shape.length === 0 ? "scalar" : "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
  }

  function label(id) {
    const node = data.nodes[id];
    if (node.name) return node.name;
    if (node.op) return "(" + node.op + " output)";
    return node.value.size === 1 ? "constant " + number(node.value.numbers[0]) : "input " + shapeText(node.shape);
  }

  function inline(array) {
    return "[" + array.numbers.map(number).join(", ") + "]";
  }

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  // A whole array as a table: one row per row of its last axis (a scalar or vector: one column).
  function numbersTable(array) {
    const box = element("div", undefined, "numbers");
    const table = element("table");
    const shape = array.shape;
    const width = shape.length >= 2 ? shape[shape.length - 1] : 1;
    const rows = Math.ceil(array.numbers.length / width);
    for (let row = 0; row < rows; row++) {
      const tr = element("tr");
      if (rows > 1) tr.appendChild(element("td", String(row), "index"));
      for (let column = 0; column < width && row * width + column < array.numbers.length; column++) {
        tr.appendChild(element("td", number(array.numbers[row * width + column])));
      }
      table.appendChild(tr);
    }
    box.appendChild(table);
    const holder = element("div");
    if (array.size > 1 && array.min !== undefined) {
      let summary = "min " + number(array.min) + " · max " + number(array.max) + " · mean " + number(array.mean);
      if (array.nonfinite) summary += " · " + array.nonfinite + " NaN/inf";
      holder.appendChild(element("div", summary, "summary"));
    }
    if (array.numbers.length < array.size) {
      holder.appendChild(element("div", "first " + array.numbers.length + " of " + array.size + " numbers", "summary"));
    }
    holder.appendChild(box);
    return holder;
  }

  // ------------------------------------------------------------------ where the passes are

  function backwardIndex() {
    return state.position >= FORWARD ? state.position - FORWARD : -1;
  }

  // d loss / d node for every node that has one after backward step k (replayed from the start).
  function gradientsAfter(k) {
    const known = {};
    for (let i = 0; i <= k; i++) {
      const step = data.steps[i];
      known[step.node] = step.grad_output;
      step.sent.forEach((sent) => { if (sent) known[sent.to] = sent.total; });
    }
    return known;
  }

  function activeNode() {
    const k = backwardIndex();
    return k >= 0 ? data.steps[k].node : data.forward[state.position];
  }

  // ------------------------------------------------------------------ the picture

  function showView(index) {
    state.view = index;
    graph.innerHTML = data.views[index].svg; // laid out by Graphviz from escaped labels
    elements = {};
    rows = {};
    edgeEnds = {};
    graph.querySelectorAll("g.node, g.edge, g.cluster").forEach((g) => { elements[g.id] = g; });
    for (const [id, node] of Object.entries(data.nodes)) {
      const g = elements[id];
      if (!g || !node.requires_grad) continue;
      const texts = g.querySelectorAll("text");
      const background = Array.from(g.querySelectorAll("polygon")).find((p) => p.getAttribute("fill") === "#fffffe");
      rows[id] = { g: g, text: texts[texts.length - 1], background: background };
    }
    graph.querySelectorAll("g.edge").forEach((edge) => {
      edgeEnds[edge.id] = edge.id.split("_").filter((end) => /^(v|op)\d+$/.test(end)).map(valueOf);
    });
    zoom();
    graph.querySelectorAll("g.node").forEach((g) => {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", g.id.startsWith("box") ? "layer " + data.boxes[g.id] : label(valueOf(g.id)));
    });
  }

  function valueOf(id) {
    return id.startsWith("op") ? "v" + id.slice(2) : id;
  }

  function shownAs(id) {
    const box = data.views[state.view].members[id];
    return box ? elements[box] : elements[id];
  }

  // Each step sets a few classes on the SVG's elements and rewrites the grad rows; only what
  // changed is touched, so that a graph of thousands of nodes steps without a stall.
  function paint() {
    const k = backwardIndex();
    const known = k >= 0 ? gradientsAfter(k) : {};
    const active = activeNode();
    const members = data.views[state.view].members;
    const wanted = {}; // element id -> its state classes
    const add = (id, name) => { if (elements[id]) wanted[id] = (wanted[id] ? wanted[id] + " " : "") + name; };
    const seenBoxes = new Set();
    for (const id of Object.keys(data.nodes)) {
      const future = k < 0 && forwardIndex[id] > state.position;
      const box = members[id];
      if (box) {
        if (!future) seenBoxes.add(box);
        if (id === active) add(box, "gg-active");
        continue;
      }
      for (const part of data.nodes[id].op ? [id, "op" + id.slice(1)] : [id]) {
        if (future) add(part, "gg-future");
        if (id === active) add(part, "gg-active");
      }
      if (rows[id]) paintGrad(rows[id], data.nodes[id], known[id]);
    }
    for (const box of Object.keys(data.boxes)) {
      if (k < 0 && !seenBoxes.has(box)) add(box, "gg-future");
    }
    if (k < 0) {
      for (const [edge, ends] of Object.entries(edgeEnds)) {
        if (ends.some((end) => forwardIndex[end] > state.position)) add(edge, "gg-future");
      }
    } else {
      const step = data.steps[k];
      step.sent.forEach((sent, position) => {
        if (sent) add(sent.to + "_op" + step.node.slice(1) + "_" + position, "gg-flow");
      });
    }
    if (state.selected) {
      const selected = members[state.selected] || state.selected;
      add(selected, "gg-selected");
    }
    for (const [id, g] of Object.entries(elements)) {
      const classes = wanted[id] || "";
      if (g.dataset.state === classes) continue;
      g.classList.remove("gg-active", "gg-future", "gg-flow", "gg-selected");
      if (classes) g.classList.add(...classes.split(" "));
      g.dataset.state = classes;
    }
  }

  function paintGrad(row, node, grad) {
    let text = "grad ? (still to come)";
    let colour = node.role === "parameter" ? COLOURS.wanted : COLOURS.waiting;
    let fill = "#fffffe";
    if (grad) {
      text = "grad " + grad.preview;
      colour = grad.nonfinite ? COLOURS.bad : COLOURS.text;
      fill = COLOURS.computed;
    }
    if (row.text.textContent === text) return;
    row.text.textContent = text;
    row.text.style.fill = colour;
    if (row.background) row.background.style.fill = fill;
    row.g.dataset.grad = grad ? grad.preview : "";
  }

  // ------------------------------------------------------------------ the words

  function status() {
    const k = backwardIndex();
    const id = activeNode();
    const node = data.nodes[id];
    $("counter").textContent = k < 0
      ? "forward " + (state.position + 1) + " / " + FORWARD
      : "backward step " + k + " (" + (k + 1) + " / " + BACKWARD + ")";
    if (k < 0) {
      const inputs = parentsOf(id).map(label);
      const infix = ["+", "\u2212", "\u00d7", "\u00f7", "@", "**"].includes(node.symbol) && inputs.length === 2;
      const how = !node.op ? " (" + node.role + ")"
        : infix ? " = " + inputs.join(" " + node.symbol + " ") : " = " + node.symbol + "(" + inputs.join(", ") + ")";
      $("status").textContent = "Forward: " + label(id) + how + " = " + node.value.preview;
      return;
    }
    const step = data.steps[k];
    const sent = step.sent.filter(Boolean).map((s) => "d loss/d " + label(s.to) + " = " + s.grad.preview);
    $("status").textContent = "Backward step " + k + " (" + node.symbol + "): d loss/d " + label(id) + " = " +
      step.grad_output.preview + (sent.length ? "; sends " + sent.join("; ") : "");
  }

  function parentsOf(id) {
    return data.nodes[id].parents || [];
  }

  function details() {
    const panel = $("details");
    panel.replaceChildren();
    const id = state.selected || activeNode();
    const node = data.nodes[id];
    const k = backwardIndex();
    panel.appendChild(element("h2", label(id)));
    panel.appendChild(element("div", node.role + (node.op ? " · made by " + node.op + " (" + node.symbol + ")" : ""), "facts"));
    panel.appendChild(element("div", shapeText(node.shape) + " · " + node.dtype, "facts"));
    if (node.scope.length) panel.appendChild(element("div", "inside " + node.scope.join(" › "), "facts"));
    if (node.where) panel.appendChild(element("div", "written at " + node.where, "facts"));
    panel.appendChild(element("h3", "value"));
    panel.appendChild(numbersTable(node.value));

    panel.appendChild(element("h3", "d loss / d " + label(id)));
    const known = k >= 0 ? gradientsAfter(k) : {};
    if (!node.requires_grad) {
      panel.appendChild(element("div", "not needed: this value does not require grad", "summary"));
    } else if (known[id]) {
      const grad = element("div");
      grad.className = "gradient";
      grad.appendChild(numbersTable(known[id]));
      panel.appendChild(grad);
    } else {
      const when = completeAfter[id] !== undefined ? " (complete after step " + completeAfter[id] + ")" : "";
      panel.appendChild(element("div", "not computed yet" + when, "summary wanted"));
    }
    if (node.op) chainRule(panel, id, node, k);
  }

  function chainRule(panel, id, node, k) {
    panel.appendChild(element("h3", "local derivative (" + node.op + ")"));
    panel.appendChild(element("pre", node.rule || "(no formula written for " + node.op + ")"));
    const index = stepOfNode[id];
    if (index === undefined) return;
    panel.appendChild(element("h3", "chain rule at step " + index));
    if (k < index) {
      panel.appendChild(element("div", "step " + index + " has not run yet (now: " + (k < 0 ? "forward pass" : "step " + k) + ")", "summary"));
      return;
    }
    const step = data.steps[index];
    const lines = [];
    step.sent.forEach((sent) => {
      if (!sent) return;
      const x = label(sent.to);
      const z = label(id);
      let line = "d loss/d " + x + " = d loss/d " + z + " · d " + z + "/d " + x;
      if (step.grad_output.size <= SMALL && sent.grad.size <= SMALL) {
        line += "\n           = " + inline(step.grad_output) + " · d " + z + "/d " + x + "\n           = " + inline(sent.grad);
      } else {
        line += "\n           = " + sent.grad.preview;
      }
      if (sent.total.size === sent.grad.size && inline(sent.total) !== inline(sent.grad)) {
        line += "\n  (with what " + x + " had already received: " + sent.total.preview + ")";
      }
      lines.push(line);
    });
    panel.appendChild(element("pre", lines.join("\n\n") || "no input needs a gradient", "chain"));
  }

  // ------------------------------------------------------------------ moving

  function go(position) {
    state.position = Math.max(0, Math.min(LAST, position));
    $("slider").value = String(state.position);
    paint();
    status();
    details();
    document.body.dataset.position = String(state.position);
    const active = shownAs(activeNode());
    if (active && !visible(active)) active.scrollIntoView({ block: "center", inline: "center" });
  }

  function visible(g) {
    const box = g.getBoundingClientRect();
    const frame = graph.getBoundingClientRect();
    return box.top >= frame.top && box.bottom <= frame.bottom && box.left >= frame.left && box.right <= frame.right;
  }

  // The SVG's own size times the zoom ("fit": as wide as the panel, never larger than 100%).
  function zoom() {
    const svg = graph.querySelector("svg");
    if (!svg) return;
    if (!svg.dataset.width) {
      svg.dataset.width = String(parseFloat(svg.getAttribute("width")));
      svg.dataset.height = String(parseFloat(svg.getAttribute("height")));
    }
    const width = Number(svg.dataset.width);
    const chosen = $("zoom").value;
    const scale = chosen === "fit" ? Math.min(1, (graph.clientWidth - 16) / width) : Number(chosen);
    svg.setAttribute("width", String(width * scale) + "pt");
    svg.setAttribute("height", String(Number(svg.dataset.height) * scale) + "pt");
  }

  function play() {
    if (state.timer) {
      clearInterval(state.timer);
      state.timer = null;
      $("play").textContent = "play";
      return;
    }
    if (state.position >= LAST) go(0);
    $("play").textContent = "pause";
    state.timer = setInterval(() => {
      if (state.position >= LAST) return play();
      go(state.position + 1);
    }, Number($("speed").value));
  }

  // Switch to the layout whose expanded boxes are `wanted`, or the nearest one the page holds.
  function expand(wanted, toggled, opening) {
    const key = (list) => list.slice().sort().join(" ");
    let found = data.views.findIndex((view) => key(view.expanded) === key(wanted));
    if (found < 0) {
      found = data.views.findIndex((view) => opening
        ? view.expanded.length === 1 && view.expanded[0] === toggled
        : view.expanded.length === Object.keys(data.boxes).length - 1 && !view.expanded.includes(toggled));
    }
    if (found < 0) found = data.views.findIndex((view) => view.expanded.length === (opening ? Object.keys(data.boxes).length : 0));
    if (found >= 0) {
      showView(found);
      go(state.position);
      const frame = toggled && opening && elements["frame_" + toggled];
      if (frame) frame.scrollIntoView({ block: "center", inline: "center" });
    }
  }

  function clicked(target) {
    const g = target.closest("g.node, g.cluster");
    if (!g) return;
    const expanded = data.views[state.view].expanded;
    if (g.classList.contains("cluster")) {
      const box = g.id.replace("frame_", "");
      if (data.boxes[box]) expand(expanded.filter((b) => b !== box), box, false);
      return;
    }
    if (g.id.startsWith("box")) {
      expand(expanded.concat([g.id]), g.id, true);
      return;
    }
    state.selected = valueOf(g.id);
    go(state.position);
  }

  graph.addEventListener("click", (event) => clicked(event.target));
  graph.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.stopPropagation();
      clicked(event.target);
    }
  });
  graph.addEventListener("focusin", (event) => {
    const g = event.target.closest("g.node");
    if (g && !g.id.startsWith("box")) {
      state.selected = valueOf(g.id);
      paint();
      details();
    }
  });
  $("first").addEventListener("click", () => go(0));
  $("previous").addEventListener("click", () => go(state.position - 1));
  $("next").addEventListener("click", () => go(state.position + 1));
  $("last").addEventListener("click", () => go(LAST));
  $("play").addEventListener("click", play);
  $("speed").addEventListener("change", () => { if (state.timer) { play(); play(); } });
  $("slider").addEventListener("input", (event) => go(Number(event.target.value)));
  $("zoom").addEventListener("change", zoom);
  $("expand-all").addEventListener("click", () => expand(Object.keys(data.boxes), null, true));
  $("collapse-all").addEventListener("click", () => expand([], null, false));
  document.addEventListener("keydown", (event) => {
    if (event.target.closest && event.target.closest("input, select, g.node")) return;
    const moves = { ArrowRight: 1, ArrowLeft: -1 };
    if (event.key in moves) go(state.position + moves[event.key]);
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(LAST);
    else if (event.key === " ") play();
    else if (event.key === "Escape") { state.selected = null; go(state.position); }
    else return;
    event.preventDefault();
  });

  $("slider").max = String(LAST);
  const hasBoxes = Object.keys(data.boxes).length > 0;
  $("expand-all").hidden = !hasBoxes;
  $("collapse-all").hidden = !hasBoxes;
  showView(state.view);
  go(0);
  window.glassgradReady = performance.now(); // read by the browser tests: how long the page took to open
})();
