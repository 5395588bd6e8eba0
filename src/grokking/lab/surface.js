// Lab 2: the error surface of chapter 7's 2-weight network, and gradient descent across it.

// Viridis, in five stops: dark (low error) to yellow (high).
const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function color(t) {
  t = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t)), f = t - i;
  return STOPS[i].map((c, j) => Math.round(c + f * (STOPS[i + 1][j] - c)));
}

const values = LAB.values;            // the weights along each axis, -10 .. 10
const state = {alpha: String(LAB.alphas[2]), start: LAB.starts.length - 1, step: 0};

// The surface as a picture, made once: one pixel per grid point (second weight up).
const picture = document.createElement("canvas");
picture.width = picture.height = values.length;
{
  const image = picture.getContext("2d").createImageData(values.length, values.length);
  LAB.errors.forEach((row, i) => row.forEach((error, j) => {
    const at = 4 * ((values.length - 1 - i) * values.length + j);
    image.data.set([...color(error), 255], at);
  }));
  picture.getContext("2d").putImageData(image, 0, 0);
}

const path = () => LAB.paths[state.alpha][state.start];
let plot;

function draw() {
  plot = new Plot(document.getElementById("surface"), {x: [-10, 10], y: [-10, 10],
    xLabel: "first weight, synapse_0[0]", yLabel: "second weight, synapse_0[1]"});
  const c = plot.start();
  const half = (values[1] - values[0]) / 2;   // each grid point's square reaches half a step around it
  c.imageSmoothingEnabled = true;
  c.drawImage(picture, plot.tx(-10 - half), plot.ty(10 + half), plot.tx(10 + half) - plot.tx(-10 - half),
              plot.ty(-10 - half) - plot.ty(10 + half));
  plot.axes();
  const p = path(), now = p.slice(0, state.step + 1);
  plot.line(now.map(([a, b]) => [a, b]), "#ff4d4d", {width: 2});
  LAB.starts.forEach(([a, b]) => plot.dot(a, b, "rgba(255,255,255,0.45)", 2));
  plot.dot(p[0][0], p[0][1], "white", 7, true);
  const [a, b, error] = p[state.step];
  plot.dot(a, b, "#ff4d4d", 6);
  const last = p[p.length - 1];
  const outside = Math.abs(a) > 10 || Math.abs(b) > 10 ? " (off the map: the surface drawn ends at 10)" : "";
  document.getElementById("readout").innerHTML =
    `alpha ${state.alpha}, step ${LAB.steps[state.step]}: weights (${fmt(a, 5)}, ${fmt(b, 5)})${outside}, ` +
    `error <strong>${fmt(error, 5)}</strong>. After ${LAB.steps[LAB.steps.length - 1]} steps: error ${fmt(last[2], 5)}.`;
}

const select = document.getElementById("alpha");
for (const alpha of LAB.alphas) select.add(new Option(String(alpha), String(alpha)));
select.value = state.alpha;
select.addEventListener("change", () => { state.alpha = select.value; draw(); });

// The starts form a grid (plus the chapter's own start, last): a slider per weight.
const grid = [...new Set(LAB.starts.slice(0, -1).map(s => s[0]))];
function startAt(a, b) {
  let best = 0;
  LAB.starts.forEach(([x, y], i) => {
    const [bx, by] = LAB.starts[best];
    if ((x - a) ** 2 + (y - b) ** 2 < (bx - a) ** 2 + (by - b) ** 2) best = i;
  });
  return best;
}
const choice = {first: 0, second: 0};
const first = slider("first", grid, v => { choice.first = v; state.start = startAt(v, choice.second); draw(); });
const second = slider("second", grid, v => { choice.second = v; state.start = startAt(choice.first, v); draw(); });
const step = slider("step", LAB.steps.map((_, i) => i), i => { state.step = i; draw(); }, i => String(LAB.steps[i]));

function chooseStart(i) {
  const [a, b] = LAB.starts[i];
  first.set(a);
  second.set(b);
  state.start = i;   // the sliders snap to the grid; the chapter's own start is off it
  step.set(LAB.steps.length - 1);
}

document.getElementById("surface").addEventListener("click", event => {
  const box = event.currentTarget.getBoundingClientRect();
  const [a, b] = plot.fromPixel(event.clientX - box.left, event.clientY - box.top);
  chooseStart(startAt(a, b));
});
document.getElementById("seeded").addEventListener("click", () => chooseStart(LAB.starts.length - 1));

let playing = null;
document.getElementById("play").addEventListener("click", event => {
  if (playing) { clearInterval(playing); playing = null; event.target.textContent = "play"; return; }
  event.target.textContent = "stop";
  step.set(0);
  playing = setInterval(() => {
    if (state.step >= LAB.steps.length - 1) { clearInterval(playing); playing = null; event.target.textContent = "play"; return; }
    step.set(state.step + 1);
  }, 40);
});

chooseStart(LAB.starts.length - 1);
redrawOnResize(draw);
