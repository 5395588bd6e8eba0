// Lab 5: the playground (chapters 6 and 7 of ours, book chapter 6). A network trained live by
// kernels.js; each part is the twin of a Python file, so "copy as Python" gets the same numbers:
//   RandomState  - numpy.random.RandomState(seed).random_sample() (MT19937, NumPy's legacy generator)
//   dataSet      - grokking/lab/playground.py's data_set
//   Playground   - grokking/networks/playground.py's Playground, call for call

// ---- NumPy's legacy generator: MT19937 seeded as RandomState(seed), and random_sample.
class RandomState {
  constructor(seed) {
    this.mt = new Uint32Array(624);
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const previous = this.mt[i - 1];
      this.mt[i] = (Math.imul(1812433253, (previous ^ (previous >>> 30)) >>> 0) + i) >>> 0;
    }
    this.index = 624;
  }
  // The next 32 random bits, as a whole number 0 .. 2**32 - 1.
  nextInt() {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
        mt[i] = (mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
  // A float in [0, 1) from 53 random bits: 27 from one draw, 26 from the next, as NumPy does.
  random_sample() {
    const a = this.nextInt() >>> 5, b = this.nextInt() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
}

// ---- The data sets (the twin of grokking/lab/playground.py).
const POINTS = 200;
const TABLES = {
  "xor table": {rows: [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], targets: [[0], [1], [1], [0]],
                columns: ["X[0]", "X[1]", "X[2]"]},
  "streetlights": {rows: [[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1], [0, 1, 1], [1, 0, 1]],
                   targets: [[0], [1], [0], [1], [1], [0]], columns: ["light 0", "light 1", "light 2"]},
};
const PLANES = ["two blobs", "circles", "xor quadrants", "spirals"];

// Point i of a plane set: [x, y, label], drawing its numbers with u().
function point(name, i, u) {
  if (name === "two blobs") {
    const label = i % 2;
    const r = 0.4 * Math.sqrt(u());
    const a = 2 * Math.PI * u();
    const centre = label ? 0.45 : -0.45;
    return [centre + r * Math.cos(a), centre + r * Math.sin(a), label];
  }
  if (name === "circles") {
    const label = i % 2;   // 1 inside, 0 on the ring around it
    const r = label ? 0.45 * u() : 0.65 + 0.35 * u();
    const a = 2 * Math.PI * u();
    return [r * Math.cos(a), r * Math.sin(a), label];
  }
  if (name === "xor quadrants") {
    let x = 0.9 * (2 * u() - 1);
    let y = 0.9 * (2 * u() - 1);
    x = x >= 0 ? x + 0.1 : x - 0.1;   // a gap along the axes
    y = y >= 0 ? y + 0.1 : y - 0.1;
    return [x, y, x * y > 0 ? 1 : 0];
  }
  if (name === "spirals") {
    const label = i % 2;
    const t = u();
    const r = 0.1 + 0.85 * t;
    const a = 3 * Math.PI * t + label * Math.PI;
    return [r * Math.cos(a), r * Math.sin(a), label];
  }
  throw new Error(`dataSet: no data set called ${name}`);
}

// {name, rows, targets, nTrain}: the first nTrain rows train, the rest test.
function dataSet(name, noise, trainPercent, seed, points = POINTS) {
  if (TABLES[name]) {
    const table = TABLES[name];
    return {name, rows: table.rows, targets: table.targets, nTrain: table.rows.length};
  }
  const random = new RandomState(seed);
  const u = () => random.random_sample();
  const rows = [], targets = [];
  for (let i = 0; i < points; i++) {
    let [x, y, label] = point(name, i, u);
    x = x + noise * (2 * u() - 1);
    y = y + noise * (2 * u() - 1);
    rows.push([x, y, 1.0]);
    targets.push([label]);
  }
  return {name, rows, targets, nTrain: Math.floor(points * trainPercent / 100)};
}

// ---- The network (the twin of grokking/networks/playground.py).
const ACTIVATIONS = ["sigmoid", "tanh", "relu"];

class Playground {
  constructor(weights, activation, steps = 0) {
    this.weights = weights;         // one matrix per pair of layers, input side first
    this.activation = activation;   // of the hidden layers; the output node is a sigmoid
    this.steps = steps;
  }
  // Fresh weights from RandomState(seed), as the sources draw them: 2 * random_sample((rows, cols)) - 1.
  static start(sizes, activation, seed) {
    const random = new RandomState(seed);
    const weights = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const matrix = [];
      for (let i = 0; i < sizes[l]; i++) {
        const row = [];
        for (let j = 0; j < sizes[l + 1]; j++) row.push(2 * random.random_sample() - 1);
        matrix.push(row);
      }
      weights.push(matrix);
    }
    return new Playground(weights, activation, 0);
  }
  // Every layer's output for one row of inputs: [layer_0, layer_1, ..., output].
  forward(k, layer_0, transposed = null, note = null) {
    transposed = transposed || this.weights.map(w => k.transpose(w));
    const layers = [layer_0];
    for (let l = 0; l < transposed.length; l++) {
      const rule = l === transposed.length - 1 ? "sigmoid" : this.activation;
      if (note) note("layer", `layer_${l + 1} = ${rule}(vect_mat_mul(layer_${l}, weights_${l}_${l + 1}.T))`);
      layers.push(k[rule](k.vect_mat_mul(layers[l], transposed[l])));
    }
    return layers;
  }
  // One step of gradient descent on the next batch of rows. note(kind, text), if given, is told
  // what each group of kernel calls computes (the step panel shows it).
  step(k, rows, targets, alpha, batchSize, note = null) {
    const batches = Math.ceil(rows.length / batchSize);
    const start = (this.steps % batches) * batchSize;
    const end = Math.min(start + batchSize, rows.length);
    if (note) note("batch", `step ${this.steps + 1}: batch ${this.steps % batches + 1} of ${batches}, ` +
                          (end - start > 1 ? `rows ${start} to ${end - 1}` : `row ${start}`));
    if (note) note("transpose", "each weights matrix transposed once (for vect_mat_mul: one row per node it feeds)");
    const transposed = this.weights.map(w => k.transpose(w));
    const sums = this.weights.map(w => w.map(row => row.map(() => 0.0)));
    const slope = this.activation + "2deriv";
    const last = this.weights.length;
    for (let i = start; i < end; i++) {
      if (note) note("row", `row ${i}: layer_0 = ${show(rows[i])}, target ${show(targets[i])}`);
      const layers = this.forward(k, rows[i], transposed, note);
      if (note) note("delta", `layer_${last}_delta = (layer_${last} - target) * sigmoid2deriv(layer_${last})`);
      let delta = k.vec_mul(k.vec_sub(layers[layers.length - 1], targets[i]), k.sigmoid2deriv(layers[layers.length - 1]));
      for (let l = this.weights.length - 1; l >= 0; l--) {
        if (note) note("sum", `weight_deltas_${l}_${l + 1} += outer_prod(layer_${l}, layer_${l + 1}_delta)`);
        sums[l] = k.vec_add(sums[l], k.outer_prod(layers[l], delta));
        if (l > 0) {
          if (note) note("delta", `layer_${l}_delta = vect_mat_mul(layer_${l + 1}_delta, weights_${l}_${l + 1}) * ${slope}(layer_${l})`);
          delta = k.vec_mul(k.vect_mat_mul(delta, this.weights[l]), k[slope](layers[l]));
        }
      }
    }
    if (note) note("update", `the update: weights -= (alpha / ${end - start}) * weight_deltas, alpha = ${alpha}`);
    this.weights = this.weights.map((w, l) => k.vec_sub(w, k.ele_mul(alpha / (end - start), sums[l])));
    this.steps += 1;
  }
  // The mean of |output - target| over rows (NaN for no rows).
  error(k, rows, targets) {
    const transposed = this.weights.map(w => k.transpose(w));
    const outputs = rows.map(row => this.forward(k, row, transposed)[transposed.length][0]);
    return k.mean_abs_error(outputs, targets.map(t => t[0]));
  }
}

// A number, vector or matrix in a few digits (matrices past 4 rows shortened).
function show(x, digits = 4) {
  if (typeof x === "number") return fmt(x, digits);
  if (isMatrix(x)) {
    const rows = x.slice(0, 4).map(row => show(row, digits));
    return `[${rows.join(", ")}${x.length > 4 ? `, … ${x.length} rows` : ""}]`;
  }
  return `[${Array.from(x, v => fmt(v, digits)).join(", ")}]`;
}

// ---- The page.
const PLANE = 1.3;            // the plane shown: -1.3 .. 1.3 both ways
const GRID = 40;              // the output is computed at GRID x GRID points of it
const NOISES = range(0, 0.5, 0.05);
const SPLITS = range(10, 90, 10);
const ALPHAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const BATCHES = [1, 2, 4, 5, 10, 20, 50, 100];
const DEFAULTS = LAB.defaults;

const settings = Object.assign({}, DEFAULTS);
const history = {steps: [], train: [], test: []};
let data = null, net = null, playing = false, lastPanel = 0, grid = null;

function sizes() {
  return [3, ...Array(settings.layers).fill(settings.nodes), 1];
}
function trainRows() { return data.rows.slice(0, data.nTrain); }
function trainTargets() { return data.targets.slice(0, data.nTrain); }
function testRows() { return data.rows.slice(data.nTrain); }
function testTargets() { return data.targets.slice(data.nTrain); }
function isTable() { return Boolean(TABLES[settings.data]); }

function reset() {
  data = dataSet(settings.data, settings.noise, settings.split, settings.seed);
  net = Playground.start(sizes(), settings.activation, settings.seed);
  history.steps = []; history.train = []; history.test = [];
  record();
  drawAll(true);
}

function record() {
  history.steps.push(net.steps);
  history.train.push(net.error(KERNELS, trainRows(), trainTargets()));
  history.test.push(data.nTrain < data.rows.length ? net.error(KERNELS, testRows(), testTargets()) : NaN);
}

// n steps on the training rows, then the errors recorded once.
function advance(n) {
  const rows = trainRows(), targets = trainTargets();
  for (let s = 0; s < n; s++) net.step(KERNELS, rows, targets, settings.alpha, settings.batch);
  record();
}

// Steps per animation frame while playing: one pass over the training rows, and at least 10.
function stepsPerFrame() {
  return Math.max(10, Math.ceil(data.nTrain / settings.batch));
}

// Every node's output at each point of the grid (or each row of a table): grid[l][n][p].
function computeGrid() {
  const points = [];
  if (isTable()) {
    points.push(...data.rows);
  } else {
    for (let gy = 0; gy < GRID; gy++) {
      for (let gx = 0; gx < GRID; gx++) {
        points.push([-PLANE + (gx + 0.5) * 2 * PLANE / GRID, PLANE - (gy + 0.5) * 2 * PLANE / GRID, 1.0]);
      }
    }
  }
  const transposed = net.weights.map(w => transpose(w));
  const s = sizes();
  grid = s.map(n => Array.from({length: n}, () => new Float64Array(points.length)));
  points.forEach((p, index) => {
    const layers = net.forward(KERNELS, p, transposed);
    layers.forEach((layer, l) => layer.forEach((v, n) => { grid[l][n][index] = v; }));
  });
  return grid;
}

// A value in -1 .. 1 as a color: orange (-1), white (0), blue (1).
function color(v) {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const [r, g, b] = t >= 0 ? [37, 87, 167] : [211, 84, 0];
  const a = Math.abs(t);
  return [Math.round(255 + (r - 255) * a), Math.round(255 + (g - 255) * a), Math.round(255 + (b - 255) * a)];
}

// Node n of layer l's value, scaled to -1 .. 1 for its picture.
function scaled(l, v, top) {
  if (l === 0) return v / PLANE;
  const rule = l === grid.length - 1 ? "sigmoid" : settings.activation;
  if (rule === "sigmoid") return 2 * v - 1;
  if (rule === "relu") return v / top;
  return v;
}

// A canvas sized to its box (sharp at any screen density): its 2-D context and its size.
function sized(canvas) {
  const box = canvas.getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(box.width * ratio));
  canvas.height = Math.max(1, Math.round(box.height * ratio));
  const c = canvas.getContext("2d");
  c.setTransform(ratio, 0, 0, ratio, 0, 0);
  c.clearRect(0, 0, box.width, box.height);
  return [c, box.width, box.height];
}

// One node's picture: an offscreen canvas of GRID x GRID pixels (or one column per table row).
function picture(l, n) {
  const values = grid[l][n];
  const width = isTable() ? values.length : GRID, height = isTable() ? 1 : GRID;
  const top = Math.max(1e-12, ...values.map(Math.abs));
  const canvas = document.createElement("canvas");
  canvas.width = width; canvas.height = height;
  const c = canvas.getContext("2d");
  const image = c.createImageData(width, height);
  values.forEach((v, p) => {
    const [r, g, b] = color(scaled(l, v, top));
    image.data.set([r, g, b, 255], 4 * p);
  });
  c.putImageData(image, 0, 0);
  return canvas;
}

function drawNetwork() {
  const canvas = document.getElementById("network");
  const s = sizes();
  const most = Math.max(...s);
  const labelRoom = 30;
  const box = Math.max(12, Math.min(48, (canvas.getBoundingClientRect().width - 8) / (s.length * 1.9)));
  canvas.style.height = `${Math.max(200, labelRoom + 12 + most * (box + 6))}px`;   // as tall as the widest layer
  const [c, width, height] = sized(canvas);
  const gap = (width - box * s.length) / s.length;
  const x = l => gap / 2 + l * (box + gap);
  const y = (l, n) => labelRoom + (height - labelRoom - s[l] * (box + 6)) / 2 + n * (box + 6);
  c.lineCap = "round";
  net.weights.forEach((w, l) => w.forEach((row, i) => row.forEach((weight, j) => {
    c.strokeStyle = weight > 0 ? "rgba(37, 87, 167, 0.75)" : "rgba(211, 84, 0, 0.75)";
    c.lineWidth = Math.min(8, 0.4 + 2 * Math.abs(weight));
    c.beginPath();
    c.moveTo(x(l) + box, y(l, i) + box / 2);
    c.lineTo(x(l + 1), y(l + 1, j) + box / 2);
    c.stroke();
  })));
  c.imageSmoothingEnabled = !isTable();
  c.font = "12px system-ui, sans-serif";
  c.textAlign = "center";
  c.textBaseline = "top";
  s.forEach((count, l) => {
    for (let n = 0; n < count; n++) {
      c.drawImage(picture(l, n), x(l), y(l, n), box, box);
      c.strokeStyle = "#5b6476";
      c.lineWidth = 1;
      c.strokeRect(x(l) + 0.5, y(l, n) + 0.5, box - 1, box - 1);
    }
    c.fillStyle = "#5b6476";
    const name = l === 0 ? "layer_0" : l === s.length - 1 ? `output` : `layer_${l}`;
    const rule = l === 0 ? (isTable() ? "inputs" : "x, y, 1") : l === s.length - 1 ? "sigmoid" : settings.activation;
    c.fillText(name, x(l) + box / 2, 2);
    c.fillText(rule, x(l) + box / 2, 15);
  });
}

function drawPlane() {
  const canvas = document.getElementById("plane");
  const table = document.getElementById("predictions");
  canvas.hidden = isTable();
  table.hidden = !isTable();
  document.getElementById("output-title").textContent = isTable()
    ? "The output: the table's predictions" : "The output: the decision boundary";
  const output = grid[grid.length - 1][0];
  if (isTable()) {
    const columns = TABLES[settings.data].columns;
    const rows = [`<tr>${columns.map(name => `<th scope="col">${name}</th>`).join("")}<th scope="col">target</th><th scope="col">prediction</th><th scope="col">|error|</th></tr>`];
    data.rows.forEach((row, i) => {
      const [r, g, b] = color(2 * output[i] - 1);
      rows.push(`<tr>${row.map(v => `<td>${v}</td>`).join("")}<td>${data.targets[i][0]}</td>` +
                `<td style="background: rgb(${r}, ${g}, ${b})">${fmt(output[i], 6)}</td><td>${fmt(Math.abs(output[i] - data.targets[i][0]), 6)}</td></tr>`);
    });
    table.innerHTML = rows.join("");
    return;
  }
  const [c, width, height] = sized(canvas);
  const image = document.createElement("canvas");
  image.width = GRID; image.height = GRID;
  const ic = image.getContext("2d");
  const pixels = ic.createImageData(GRID, GRID);
  output.forEach((v, p) => pixels.data.set([...color(2 * v - 1).map(x => Math.round(x * 0.55 + 255 * 0.45)), 255], 4 * p));   // paler, for the points on it
  ic.putImageData(pixels, 0, 0);
  c.imageSmoothingEnabled = true;
  c.drawImage(image, 0, 0, width, height);
  const px = x => (x + PLANE) / (2 * PLANE) * width, py = y => (PLANE - y) / (2 * PLANE) * height;
  data.rows.forEach((row, i) => {
    const test = i >= data.nTrain;
    c.beginPath();
    c.arc(px(row[0]), py(row[1]), test ? 3.5 : 4, 0, 2 * Math.PI);
    c.fillStyle = data.targets[i][0] ? "#2557a7" : "#d35400";
    c.strokeStyle = test ? "#1d2433" : "white";
    c.lineWidth = test ? 1.5 : 1;
    c.fill();
    c.stroke();
  });
}

function drawErrors() {
  const last = history.steps[history.steps.length - 1];
  const top = Math.max(0.5, ...history.train.filter(Number.isFinite), ...history.test.filter(Number.isFinite));
  const plot = new Plot(document.getElementById("errors"), {x: [0, Math.max(10, last)], y: [0, top * 1.05],
    xLabel: "step", yLabel: "error (mean |output - target|)", wholeX: true});
  plot.start();
  const every = Math.max(1, Math.floor(history.steps.length / 400));   // at most ~400 points a curve
  const pick = values => history.steps.map((s, i) => [s, values[i]]).filter((_, i) => i % every === 0 || i === history.steps.length - 1);
  plot.line(pick(history.train), COLORS[0]);
  if (!isTable()) plot.line(pick(history.test), COLORS[1], {dash: [5, 3]});
}

function drawStatus() {
  const i = history.steps.length - 1;
  const batches = Math.ceil(data.nTrain / settings.batch);
  document.getElementById("status").innerHTML =
    `<strong>step ${net.steps}</strong> (${fmt(net.steps / batches, 4)} passes over the training rows)<br>` +
    `<span style="color: ${COLORS[0]}">train error ${fmt(history.train[i], 6)}</span>` +
    (isTable() ? " (a table: every row trains)" : `<br><span style="color: ${COLORS[1]}">test error ${fmt(history.test[i], 6)}</span> (dashed)`);
}

// The next step, traced: every kernel call with its arguments and answer, grouped by what it computes.
function traceNextStep() {
  const groups = [];
  const k = {};
  for (const [name, kernel] of Object.entries(KERNELS)) {
    k[name] = (...args) => {
      const out = kernel(...args);
      groups[groups.length - 1].calls.push({name, args, out});
      return out;
    };
  }
  const copy = new Playground(net.weights, net.activation, net.steps);
  copy.step(k, trainRows(), trainTargets(), settings.alpha, settings.batch,
            (kind, text) => groups.push({kind, text, calls: []}));
  return groups;
}

function drawPanel() {
  const groups = traceNextStep();
  const rowStarts = groups.map((g, i) => (g.kind === "row" ? i : -1)).filter(i => i >= 0);
  const rowsInBatch = rowStarts.length;
  const firstRowEnd = rowStarts.length > 1 ? rowStarts[1] : groups.findIndex(g => g.kind === "update");
  const callsPerRow = groups.slice(rowStarts[0], firstRowEnd).reduce((n, g) => n + g.calls.length, 0);
  const shown = groups.filter((g, i) => i < firstRowEnd || g.kind === "update");
  const html = [];
  shown.forEach(group => {
    const calls = group.calls.map(call => `<div class="pg-call"><code>${call.name}(${call.args.map(a => show(a)).join(", ")})` +
                                          ` = ${show(call.out)}</code></div>`).join("");
    html.push(`<li class="pg-${group.kind}"><span class="pg-what">${group.text}</span>${calls}</li>`);
    if (group === groups[firstRowEnd - 1] && rowsInBatch > 1) {
      html.push(`<li class="pg-row"><span class="pg-what">the other ${rowsInBatch - 1} rows of the batch: the same ` +
                `${callsPerRow} calls each, their outer_prods added to the same weight_deltas</span></li>`);
    }
  });
  document.getElementById("step-panel").innerHTML = `<ol>${html.join("")}</ol>`;
}

// The script that trains this network with grokking, to this step.
function pythonScript() {
  const table = isTable();
  const py = v => (Number.isInteger(v) ? String(v) : String(v));
  return [
    "# The playground's network, step for step, with the grokking package.",
    "import json",
    "",
    "import grokking",
    "from grokking.lab.playground import data_set",
    "from grokking.networks.playground import Playground",
    "",
    'k = grokking.backend("pure")   # "cython": the same bits; "numpy": the same to ~1e-15',
    table ? `data = data_set(${JSON.stringify(settings.data)})`
          : `data = data_set(${JSON.stringify(settings.data)}, noise=${py(settings.noise)}, ` +
            `train_percent=${settings.split}, seed=${settings.seed})`,
    `net = Playground.start([${sizes().join(", ")}], activation=${JSON.stringify(settings.activation)}, seed=${settings.seed})`,
    `for step in range(${net.steps}):`,
    `    net.step(k, data.train_rows, data.train_targets, alpha=${py(settings.alpha)}, batch_size=${settings.batch})`,
    'print("steps:", net.steps)',
    'print("train error:", net.error(k, data.train_rows, data.train_targets))',
    ...(table ? [] : ['print("test error:", net.error(k, data.test_rows, data.test_targets))']),
    'print("weights:", json.dumps(net.weights))',
  ].join("\n");
}

function drawAll(withPanel) {
  computeGrid();
  drawNetwork();
  drawPlane();
  drawErrors();
  drawStatus();
  document.getElementById("python").textContent = pythonScript();
  if (withPanel) {
    drawPanel();
    lastPanel = performance.now();
  }
}

// Playing: a frame of steps, then one drawing, then the next frame.
function frame() {
  if (!playing) return;
  advance(stepsPerFrame());
  const now = performance.now();
  drawAll(now - lastPanel > 1000);   // the step panel about once a second while playing
  requestAnimationFrame(frame);
}

// Play or pause; a pause draws the step panel again (redraw false: the caller draws).
function setPlaying(on, redraw = true) {
  const was = playing;
  playing = on;
  const button = document.getElementById("play");
  button.textContent = on ? "pause" : "play";
  button.setAttribute("aria-pressed", String(on));
  if (on && !was) requestAnimationFrame(frame);
  else if (!on && redraw) drawAll(true);
}

// The playground's own check: its first steps of the default network against Python's.
function agreement() {
  const check = LAB.check;
  const d = dataSet(DEFAULTS.data, DEFAULTS.noise, DEFAULTS.split, DEFAULTS.seed);
  const mine = Playground.start([3, ...Array(DEFAULTS.layers).fill(DEFAULTS.nodes), 1], DEFAULTS.activation, DEFAULTS.seed);
  for (let s = 0; s < check.steps; s++) {
    mine.step(KERNELS, d.rows.slice(0, d.nTrain), d.targets.slice(0, d.nTrain), DEFAULTS.alpha, DEFAULTS.batch);
  }
  let largest = 0;
  mine.weights.forEach((w, l) => w.forEach((row, i) => row.forEach((v, j) => {
    largest = Math.max(largest, Math.abs(v - check.weights[l][i][j]));
  })));
  document.getElementById("agreement").textContent =
    `Checked when this page opened: the default network's first ${check.steps} steps in your browser ` +
    `against the same steps computed by Python (the ${check.backend} backend) when the page was written: ` +
    `largest difference of a weight ${largest === 0 ? "0 (the same bits)" : largest.toExponential(2)}.`;
  return largest;
}

// ---- The controls: each change starts again from step 0.
const dataSelect = document.getElementById("data");
for (const name of [...PLANES, ...Object.keys(TABLES)]) {
  const option = document.createElement("option");
  option.value = option.textContent = name;
  dataSelect.append(option);
}
const sliders = {
  noise: slider("noise", NOISES, v => change("noise", v)),
  split: slider("split", SPLITS, v => change("split", v), v => `${v}%`),
  layers: slider("layers", [0, 1, 2, 3], v => change("layers", v), String),
  nodes: slider("nodes", [1, 2, 3, 4, 5, 6, 7, 8], v => change("nodes", v), String),
  alpha: slider("alpha", ALPHAS, v => change("alpha", v)),
  batch: slider("batch", BATCHES, v => change("batch", v), String),
};
let ready = false;
function change(name, value) {
  settings[name] = value;
  if (!ready) return;
  setPlaying(false, false);
  const table = isTable();
  sliders.noise.input.disabled = sliders.split.input.disabled = table;
  reset();
}
dataSelect.addEventListener("change", () => change("data", dataSelect.value));
const activationSelect = document.getElementById("activation");
activationSelect.addEventListener("change", () => change("activation", activationSelect.value));
const seedInput = document.getElementById("seed");
seedInput.addEventListener("input", () => {
  const seed = Number(seedInput.value);
  const fine = seedInput.value !== "" && Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32;
  seedInput.setCustomValidity(fine ? "" : "a whole number from 0 to 4294967295");
  if (fine) change("seed", seed);
});
document.getElementById("play").addEventListener("click", () => setPlaying(!playing));
document.getElementById("step").addEventListener("click", () => {
  setPlaying(false, false);
  advance(1);
  drawAll(true);
});
document.getElementById("reset").addEventListener("click", () => { setPlaying(false, false); reset(); });
document.getElementById("copy").addEventListener("click", () => {
  const text = pythonScript();
  const said = document.getElementById("copied");
  const done = () => { said.textContent = `copied (the script for step ${net.steps})`; };
  const select = () => {   // no clipboard (an old browser, or a page from file:// it does not trust)
    const range = document.createRange();
    range.selectNodeContents(document.getElementById("python"));
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    said.textContent = `selected below: press Ctrl+C (or Cmd+C) to copy the script for step ${net.steps}`;
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, select);
  else select();
});

dataSelect.value = settings.data;
activationSelect.value = settings.activation;
seedInput.value = settings.seed;
for (const name of Object.keys(sliders)) sliders[name].set(settings[name]);
ready = true;
sliders.noise.input.disabled = sliders.split.input.disabled = isTable();
reset();
agreement();
redrawOnResize(() => drawAll(false));
