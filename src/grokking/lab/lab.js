// What every lab page shares: its numbers, sliders that show their value, and a small plot.
"use strict";

// The numbers Python computed when this page was written (see grokking/lab/numbers.py).
const LAB = JSON.parse(document.getElementById("lab-data").textContent);

// A number as the chapters print it: up to `digits` significant digits.
function fmt(x, digits = 6) {
  if (x === null || x === undefined) return "-";
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4)) return x.toExponential(digits - 2);
  return String(Number(x.toPrecision(digits)));
}

// A range input that picks one of `values` (keyboard: arrows, Home, End, Page Up/Down);
// its <output id="ID-value"> shows the value. Calls onChange(value) now and on every move.
function slider(id, values, onChange, show = fmt) {
  const input = document.getElementById(id);
  const output = document.getElementById(id + "-value");
  input.min = 0;
  input.max = values.length - 1;
  input.step = 1;
  const update = () => {
    const value = values[Number(input.value)];
    output.textContent = show(value);
    input.setAttribute("aria-valuetext", show(value));
    onChange(value);
  };
  input.addEventListener("input", update);
  return {
    input,
    set(value) {   // the nearest of `values`, without calling onChange twice
      let best = 0;
      values.forEach((v, i) => { if (Math.abs(v - value) < Math.abs(values[best] - value)) best = i; });
      input.value = best;
      update();
    },
    get value() { return values[Number(input.value)]; },
  };
}

// Numbers from `low` to `high` in steps of `step`, without the float drift of repeated adding.
function range(low, high, step) {
  const n = Math.round((high - low) / step);
  return Array.from({length: n + 1}, (_, i) => Number((low + i * step).toFixed(10)));
}

// Colors that stay apart for the eye: one per curve.
const COLORS = ["#2557a7", "#d35400", "#1e7b4f", "#8e44ad", "#c0392b", "#16a085", "#7f6000", "#555555"];

// A plot on a <canvas>: data coordinates in, sharp pixels out (at any screen density).
class Plot {
  constructor(canvas, {x, y, logY = false, xLabel = "", yLabel = "", wholeX = false}) {
    this.canvas = canvas;
    this.x = x;           // [low, high] of the data shown
    this.y = y;
    this.logY = logY;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.wholeX = wholeX;   // ticks only at whole numbers (epochs, digits)
    this.margin = {left: 58, right: 24, top: 10, bottom: 40};   // room for the last tick's label
  }
  // Size the canvas to its box, clear it, and draw the axes. Call before drawing anything.
  start() {
    const box = this.canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(box.width * ratio));
    this.canvas.height = Math.max(1, Math.round(box.height * ratio));
    this.width = box.width;
    this.height = box.height;
    const c = this.ctx = this.canvas.getContext("2d");
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.clearRect(0, 0, this.width, this.height);
    this.axes();
    return c;
  }
  tx(x) { const m = this.margin; return m.left + (x - this.x[0]) / (this.x[1] - this.x[0]) * (this.width - m.left - m.right); }
  ty(y) {
    const m = this.margin;
    const [low, high] = this.logY ? this.y.map(Math.log10) : this.y;
    const v = this.logY ? Math.log10(Math.max(y, 1e-300)) : y;
    return this.height - m.bottom - (v - low) / (high - low) * (this.height - m.top - m.bottom);
  }
  // Back from a pixel to data (for clicks).
  fromPixel(px, py) {
    const m = this.margin;
    const x = this.x[0] + (px - m.left) / (this.width - m.left - m.right) * (this.x[1] - this.x[0]);
    const y = this.y[0] + (this.height - m.bottom - py) / (this.height - m.top - m.bottom) * (this.y[1] - this.y[0]);
    return [x, y];
  }
  ticks(low, high, log) {
    if (log) {
      const out = [];
      for (let e = Math.ceil(Math.log10(low)); e <= Math.floor(Math.log10(high)); e++) out.push(10 ** e);
      return out;
    }
    const raw = (high - low) / 6;
    const step = [1, 2, 2.5, 5, 10].map(s => s * 10 ** Math.floor(Math.log10(raw))).find(s => s >= raw);
    const out = [];
    for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) out.push(Number(t.toFixed(10)));
    return out;
  }
  axes() {
    const c = this.ctx, m = this.margin;
    c.font = "12px system-ui, sans-serif";
    c.strokeStyle = "#d5d9e2";
    c.fillStyle = "#5b6476";
    c.lineWidth = 1;
    c.textAlign = "center";
    c.textBaseline = "top";
    for (const t of this.ticks(...this.x, false).filter(t => !this.wholeX || Number.isInteger(t))) {
      const px = this.tx(t);
      c.beginPath(); c.moveTo(px, m.top); c.lineTo(px, this.height - m.bottom); c.stroke();
      c.fillText(fmt(t, 4), px, this.height - m.bottom + 4);
    }
    c.textAlign = "right";
    c.textBaseline = "middle";
    for (const t of this.ticks(...this.y, this.logY)) {
      const py = this.ty(t);
      c.beginPath(); c.moveTo(m.left, py); c.lineTo(this.width - m.right, py); c.stroke();
      c.fillText(fmt(t, 4), m.left - 4, py);
    }
    c.textAlign = "center";
    c.textBaseline = "bottom";
    c.fillText(this.xLabel, (m.left + this.width - m.right) / 2, this.height - 2);
    c.save();
    c.translate(12, (m.top + this.height - m.bottom) / 2);
    c.rotate(-Math.PI / 2);
    c.textBaseline = "middle";
    c.fillText(this.yLabel, 0, 0);
    c.restore();
  }
  // Keep drawing inside the axes.
  clip() {
    const m = this.margin;
    this.ctx.save();
    this.ctx.beginPath();
    this.ctx.rect(m.left, m.top, this.width - m.left - m.right, this.height - m.top - m.bottom);
    this.ctx.clip();
  }
  line(points, color, {width = 2, dash = []} = {}) {
    const c = this.ctx;
    this.clip();
    c.strokeStyle = color;
    c.lineWidth = width;
    c.setLineDash(dash);
    c.beginPath();
    let drawing = false;
    for (const [x, y] of points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) { drawing = false; continue; }
      if (drawing) c.lineTo(this.tx(x), this.ty(y)); else c.moveTo(this.tx(x), this.ty(y));
      drawing = true;
    }
    c.stroke();
    c.setLineDash([]);
    this.ctx.restore();
  }
  dot(x, y, color, radius = 4, ring = false) {
    const c = this.ctx;
    this.clip();
    c.beginPath();
    c.arc(this.tx(x), this.ty(y), radius, 0, 2 * Math.PI);
    if (ring) { c.strokeStyle = color; c.lineWidth = 2; c.stroke(); } else { c.fillStyle = color; c.fill(); }
    this.ctx.restore();
  }
}

// Redraw when the window changes size (a phone turned, a window resized).
function redrawOnResize(draw) {
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(draw, 100);
  });
}

// A row of checkboxes, one per name, each with its color swatch; onChange(set of names shown).
function toggles(container, names, colors, onChange, label = String) {
  const shown = new Set(names);
  names.forEach((name, i) => {
    const box = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.checked = true;
    input.addEventListener("change", () => {
      if (input.checked) shown.add(name); else shown.delete(name);
      onChange(shown);
    });
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colors[i % colors.length];
    box.append(input, " ", swatch, label(name));
    container.append(box);
  });
  return shown;
}
