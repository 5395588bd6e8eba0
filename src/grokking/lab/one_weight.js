// Lab 1: one weight, one input (chapter 2 of ours, book chapter 4).
// The twin of chapter 2's gradient_descent, written with the kernels of kernels.js.

// One Step per iteration, before each update: [weight, pred, error, delta, weight_delta].
function gradientDescent(weight, input, goalPred, alpha, iterations) {
  const steps = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const pred = w_sum([input], [weight]);
    const error = (pred - goalPred) ** 2;
    const delta = pred - goalPred;
    const weightDelta = delta * input;
    steps.push([weight, pred, error, delta, weightDelta]);
    weight = weight - ele_mul(alpha, [weightDelta])[0];
  }
  return steps;
}

const ALPHAS = [0.001, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.2, 1.5, 2];
const state = {input: 0.5, goal: 0.8, alpha: 1, start: 0.5, step: 0};
let steps = [];

// A run Python computed with these exact settings, if there is one.
function presetFor(s) {
  return LAB.runs.find(r => r.input === s.input && r.goal === s.goal && r.alpha === s.alpha && r.weight === s.start);
}

function recompute() {
  const preset = presetFor(state);
  steps = preset ? preset.steps : gradientDescent(state.start, state.input, state.goal, state.alpha, LAB.iterations);
  document.getElementById("computed-by").textContent = preset
    ? `These ${LAB.iterations} steps were computed by Python (chapter 2's gradient_descent) when the page was written: "${preset.name}".`
    : `These ${LAB.iterations} steps are computed in your browser, by the JavaScript twin of w_sum and ele_mul.`;
  document.querySelectorAll("#presets button").forEach(b => b.setAttribute("aria-pressed", String(b.dataset.name === (preset && preset.name))));
  // Each step multiplies the distance to the best weight by (1 - alpha * input**2).
  const factor = 1 - state.alpha * state.input * state.input;
  const verdict = document.getElementById("verdict");
  if (state.input === 0) {
    verdict.innerHTML = 'With input 0 the prediction is always 0: the weight has nothing to learn.';
    verdict.className = "readout";
  } else if (Math.abs(factor) > 1) {
    verdict.innerHTML = `<span class="warn">Diverging.</span> Each step multiplies the distance to the best weight by 1 - alpha * input<sup>2</sup> = ${fmt(factor, 4)}: the ball overshoots further every time. Make alpha smaller.`;
    verdict.className = "readout";
  } else {
    verdict.innerHTML = `<span class="good">Converging.</span> Each step multiplies the distance to the best weight by 1 - alpha * input<sup>2</sup> = ${fmt(factor, 4)}${factor < 0 ? " (the sign flips: it overshoots, less each time)" : ""}.`;
    verdict.className = "readout";
  }
  table();
  draw();
}

function table() {
  const rows = [`<tr><th scope="col">iteration</th>${LAB.fields.map(f => `<th scope="col">${f}</th>`).join("")}</tr>`];
  steps.forEach((s, i) => {
    rows.push(`<tr${i === state.step ? ' class="current"' : ""}><td>${i}</td>${s.map(v => `<td>${fmt(v, 8)}</td>`).join("")}</tr>`);
  });
  document.getElementById("steps").innerHTML = rows.join("");
}

function draw() {
  const best = state.goal / state.input;   // the weight with no error (for input != 0)
  const shown = steps.slice(0, state.step + 1).map(s => s[0]);
  const centre = state.input === 0 ? state.start : best;
  let span = Math.max(1, ...shown.map(w => Math.abs(w - centre)).filter(Number.isFinite)) * 1.15;
  span = Math.min(span, 50);
  const error = w => (state.input * w - state.goal) ** 2;
  const top = Math.max(error(centre - span), error(centre + span), 1e-3);
  const plot = new Plot(document.getElementById("parabola"), {x: [centre - span, centre + span], y: [0, top],
    xLabel: "weight", yLabel: "error = (input * weight - goal)^2"});
  plot.start();
  const curve = range(0, 200, 1).map(i => centre - span + i * span / 100).map(w => [w, error(w)]);
  plot.line(curve, "#1d2433");
  plot.line(shown.map(w => [w, error(w)]), "#d35400", {width: 1.5, dash: [4, 3]});
  shown.forEach((w, i) => plot.dot(w, error(w), "#d35400", i === shown.length - 1 ? 8 : 3));
  if (state.input !== 0) plot.dot(best, 0, "#1e7b4f", 6, true);
  const s = steps[state.step];
  document.getElementById("readout").innerHTML =
    `Step ${state.step}: weight ${fmt(s[0], 8)}, pred ${fmt(s[1], 8)}, error ${fmt(s[2], 8)}, ` +
    `<strong>delta ${fmt(s[3], 8)}</strong>, <strong>weight_delta ${fmt(s[4], 8)}</strong>; ` +
    `next weight = ${fmt(s[0], 8)} - ${fmt(state.alpha)} * ${fmt(s[4], 8)}` +
    (state.input !== 0 ? `. The green ring is the best weight, goal / input = ${fmt(best, 6)}.` : ".");
}

const sliders = {
  input: slider("input", range(-2.5, 2.5, 0.1), v => { state.input = v; recompute(); }),
  goal: slider("goal", range(-1, 2, 0.05), v => { state.goal = v; recompute(); }),
  alpha: slider("alpha", ALPHAS, v => { state.alpha = v; recompute(); }),
  start: slider("start", range(-2, 2, 0.05), v => { state.start = v; recompute(); }),
  step: slider("step", range(0, LAB.iterations - 1, 1), v => { state.step = v; table(); draw(); }, String),
};

function choose(run) {
  Object.assign(state, {input: run.input, goal: run.goal, alpha: run.alpha, start: run.weight});
  for (const name of ["input", "goal", "alpha", "start"]) sliders[name].set(state[name]);
}

for (const run of LAB.runs) {
  const button = document.createElement("button");
  button.textContent = run.name;
  button.dataset.name = run.name;
  button.addEventListener("click", () => choose(run));
  document.getElementById("presets").append(button);
}
choose(LAB.runs[0]);
sliders.step.set(5);
redrawOnResize(draw);
