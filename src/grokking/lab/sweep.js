// Lab 3: chapter 7's alpha sweep with 4 and 32 hidden nodes, and the direction changes per weight.

const shown = toggles(document.getElementById("toggles"), LAB.alphas, COLORS, draw, a => `alpha ${a}`);
const run = (hidden, alpha) => LAB.runs.find(r => r.hidden === hidden && r.alpha === alpha);
const iterationsAt = errors => errors.map((_, n) => n * LAB.record_every);

function draw() {
  for (const hidden of LAB.hidden) {
    const plot = new Plot(document.getElementById(`curves-${hidden}`), {x: [0, LAB.iterations], y: [1e-4, 1],
      logY: true, xLabel: "iteration", yLabel: "error, mean |y - layer_2|"});
    plot.start();
    LAB.alphas.forEach((alpha, i) => {
      if (!shown.has(alpha)) return;
      const errors = run(hidden, alpha).errors;
      const x = iterationsAt(errors);
      plot.line(errors.map((e, n) => [x[n], e]), COLORS[i % COLORS.length]);
    });
  }
}

// One cell per weight, darker the more often its update changed direction.
function cells(title, counts, most) {
  const rows = counts.map((row, i) => `<tr><th scope="row">${i}</th>${row.map(n => {
    const shade = Math.round(255 - 200 * (most ? n / most : 0));
    const ink = shade < 140 ? "white" : "#1d2433";
    return `<td style="background: rgb(${shade}, ${shade}, 255); color: ${ink}">${n}</td>`;
  }).join("")}</tr>`);
  return `<h3 style="font-size: 0.95rem; margin: 0.4rem 0 0.1rem">${title}</h3><table class="cells">${rows.join("")}</table>`;
}

const hiddenSelect = document.getElementById("hidden"), alphaSelect = document.getElementById("alpha");
LAB.hidden.forEach(h => hiddenSelect.add(new Option(String(h), String(h))));
LAB.alphas.forEach(a => alphaSelect.add(new Option(String(a), String(a))));
alphaSelect.value = "10";

function counts() {
  const r = run(Number(hiddenSelect.value), Number(alphaSelect.value));
  const all = [...r.synapse_0_direction_count.flat(), ...r.synapse_1_direction_count.flat()];
  const most = Math.max(...all);
  document.getElementById("readout").innerHTML = `${r.hidden} hidden nodes, alpha ${r.alpha}: ` +
    `<strong>${r.changes}</strong> direction changes over all ${all.length} weights in ${LAB.iterations} iterations ` +
    `(most for one weight: ${most}); final error ${fmt(r.errors[r.errors.length - 1], 4)}.`;
  document.getElementById("counts").innerHTML =
    cells("synapse_0_direction_count (rows: the 3 inputs; columns: the hidden nodes)", r.synapse_0_direction_count, most) +
    cells("synapse_1_direction_count, turned on its side (one per hidden node)", [r.synapse_1_direction_count.flat()], most);
}
hiddenSelect.addEventListener("change", counts);
alphaSelect.addEventListener("change", counts);

const head = `<tr><th>alpha</th>${LAB.hidden.map(h => `<th>${h} hidden: final error</th><th>${h} hidden: changes</th>`).join("")}</tr>`;
document.getElementById("summary").innerHTML = head + LAB.alphas.map(a =>
  `<tr><td>${a}</td>${LAB.hidden.map(h => { const r = run(h, a); return `<td>${fmt(r.errors[r.errors.length - 1], 4)}</td><td>${r.changes}</td>`; }).join("")}</tr>`).join("");

draw();
counts();
redrawOnResize(draw);
