// Lab 4: digits (chapters 9-11): training curves per recipe, and the best network's view of each test digit.

const names = LAB.curves.map(c => c.name);
const shown = toggles(document.getElementById("toggles"), names, COLORS, drawCurves);

function drawCurves() {
  const epochs = Math.max(...LAB.curves.map(c => c.test.length));
  const low = Math.min(...LAB.curves.flatMap(c => c.test.concat(c.train)));
  const plot = new Plot(document.getElementById("curves"), {x: [1, Math.max(2, epochs)], y: [Math.floor(low * 10) / 10, 1],
    xLabel: "epoch", yLabel: "accuracy (1 = every digit right)", wholeX: true});
  plot.start();
  LAB.curves.forEach((curve, i) => {
    if (!shown.has(curve.name)) return;
    plot.line(curve.test.map((a, e) => [e + 1, a]), COLORS[i % COLORS.length]);
    plot.line(curve.train.map((a, e) => [e + 1, a]), COLORS[i % COLORS.length], {width: 1.5, dash: [5, 4]});
  });
}

// An 8x8 digit on a canvas: ink 0..16, dark on light.
function paint(canvas, pixels, withNumbers = false) {
  const size = canvas.width = canvas.height = withNumbers ? 240 : 8;
  const c = canvas.getContext("2d");
  const cell = size / 8;
  pixels.forEach((p, i) => {
    const v = Math.round(255 - p * 255 / 16);
    c.fillStyle = `rgb(${v}, ${v}, ${v})`;
    c.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell, cell);
    if (withNumbers) {
      c.fillStyle = p > 8 ? "white" : "#1d2433";
      c.font = "bold 15px system-ui, sans-serif";
      c.textAlign = "center";
      c.textBaseline = "middle";
      c.fillText(String(p), (i % 8 + 0.5) * cell, (Math.floor(i / 8) + 0.5) * cell);
    }
  });
}

// Bars: one per value, the `mark`ed ones in color.
function bars(canvas, values, marks, xLabel, yLabel) {
  const low = Math.min(0, ...values), high = Math.max(...values, 1e-9);
  const plot = new Plot(canvas, {x: [-0.5, values.length - 0.5], y: [low, high * 1.05], xLabel, yLabel, wholeX: true});
  plot.margin.left = 48;
  const c = plot.start();
  const width = Math.max(1, (plot.tx(1) - plot.tx(0)) * 0.8);
  values.forEach((v, i) => {
    c.fillStyle = marks[i] || "#9aa3b5";
    const top = plot.ty(Math.max(v, 0)), bottom = plot.ty(Math.min(v, 0));
    c.fillRect(plot.tx(i) - width / 2, top, width, Math.max(1, bottom - top));
  });
}

let selected = 0;
function showDigit(n) {
  selected = n;
  const d = LAB.digits[n];
  document.querySelectorAll("#grid button").forEach(b => b.classList.toggle("selected", Number(b.dataset.n) === n));
  paint(document.getElementById("pixels"), d.pixels, true);
  const marks = {};
  marks[d.label] = "#1e7b4f";
  if (d.guess !== d.label) marks[d.guess] = "#c0392b";
  bars(document.getElementById("scores"), d.scores, marks, "digit", "score");
  bars(document.getElementById("hidden"), d.hidden, {}, `hidden node (${d.hidden.length})`, "activation");
  document.getElementById("detail-text").innerHTML = `Test digit ${n + 1} of ${LAB.digits.length}: a <strong>${d.label}</strong>. ` +
    `The best network ("${LAB.best}") guesses <strong class="${d.guess === d.label ? "good" : "warn"}">${d.guess}</strong>` +
    ` (score ${fmt(d.scores[d.guess], 4)}${d.guess === d.label ? "" : `; the ${d.label} scored ${fmt(d.scores[d.label], 4)}`}). ` +
    `${d.hidden.filter(h => h > 0).length} of its ${d.hidden.length} hidden nodes are on. ` +
    `Scores: green is the right digit${d.guess === d.label ? "" : ", red the wrong guess"}.`;
}

function fillGrid() {
  const grid = document.getElementById("grid");
  const onlyWrong = document.getElementById("only-wrong").checked;
  grid.innerHTML = "";
  LAB.digits.forEach((d, n) => {
    if (onlyWrong && d.guess === d.label) return;
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.n = n;
    const wrong = d.guess !== d.label;
    if (wrong) button.classList.add("wrong");
    button.title = `a ${d.label}, guessed ${d.guess}${wrong ? " (wrong)" : ""}`;
    button.setAttribute("aria-label", button.title);
    const canvas = document.createElement("canvas");
    paint(canvas, d.pixels);
    button.append(canvas);
    button.addEventListener("click", () => showDigit(n));
    grid.append(button);
  });
  const wrong = LAB.digits.filter(d => d.guess !== d.label).length;
  document.getElementById("grid-title").textContent = `Test digits: ${LAB.digits.length - wrong} right, ` +
    `${wrong} wrong (red border), by "${LAB.best}"`;
  showDigit(selected);
}
document.getElementById("only-wrong").addEventListener("change", fillGrid);

drawCurves();
fillGrid();
redrawOnResize(() => { drawCurves(); showDigit(selected); });
