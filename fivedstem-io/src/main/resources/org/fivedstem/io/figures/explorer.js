// fivedstem explorer. Copyright 2026 The fivedstem authors. SPDX-License-Identifier: Apache-2.0
//
// Plain JavaScript, no library and no build step: the page must open from disk, offline, in any
// current browser, and stay readable for whoever wants to know how a number on it was drawn.
// The data come from the JSON block written by ExplorerPage.java (its analysisJson and seriesJson name the fields);
// large arrays are base64 little-endian typed arrays (maps float64, curves and profiles float32).
'use strict';

// An error on the page is shown on it, not only in a console nobody opens (and tests read it).
window.addEventListener('error', e => {
  document.body.dataset.error = e.message;
  document.body.prepend(Object.assign(document.createElement('p'), { className: 'note', textContent: 'Page error: ' + e.message }));
});

const DATA = JSON.parse(document.getElementById('fivedstem-data').textContent);
const SVG_NS = 'http://www.w3.org/2000/svg';
const STATUS_COLOURS = ['#2a9d3f', '#f4a261', '#7b2cbf', '#e63946', '#adb5bd', '#6c757d', '#b00020', '#dee2e6',
  '#90caf9', '#ffd166'];
const INVALID = [128, 128, 128];

// ---- decoding -------------------------------------------------------------------------------------

function bytes(base64) {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out.buffer;
}
const float64s = s => (s == null ? null : new Float64Array(bytes(s)));
const float32s = s => (s == null ? null : new Float32Array(bytes(s)));
const uint8s = s => (s == null ? null : new Uint8Array(bytes(s)));

const decoded = new Map();
/** The analysis at index i with its arrays decoded (once, on first use). */
function analysis(i) {
  if (!decoded.has(i)) {
    const a = DATA.analyses[i];
    const m = a.maps;
    const d = {
      ...a,
      n: a.scanY * a.scanX,
      tau: float64s(m.tau), tauErr: float64s(m.tauErr), tauLimit: float64s(m.tauLimit),
      beta: float64s(m.beta), betaErr: float64s(m.betaErr), gamma: float64s(m.gamma), gammaErr: float64s(m.gammaErr),
      v: float64s(m.v), status: uint8s(m.status),
      lags: float64s(a.curves && a.curves.lags), g: float32s(a.curves && a.curves.g), gErr: float32s(a.curves && a.curves.gErr),
      profile: float32s(a.profiles && a.profiles.v),
    };
    // The scan's mean V(Q) as the library computes it (SpeckleVariance.meanProfile), in float64.
    d.meanProfile = a.profiles ? a.profiles.meanV.map(v => (v == null ? NaN : v)) : null;
    decoded.set(i, d);
  }
  return decoded.get(i);
}

// ---- state ----------------------------------------------------------------------------------------

const state = { active: 0, y: 0, x: 0, shown: false, held: false, brush: null, scale: 'log', clip: 1 };

function select(y, x, hold) {
  const a = analysis(state.active);
  state.y = Math.max(0, Math.min(a.scanY - 1, y));
  state.x = Math.max(0, Math.min(a.scanX - 1, x));
  state.shown = true;
  if (hold !== undefined) state.held = hold;
  drawCursors();
  drawDetail();
}

function hover(y, x) {
  if (!state.held) select(y, x);
}

function click(y, x) {
  const same = state.shown && state.held && state.y === y && state.x === x;
  select(y, x, !same);
  remember();
}

/** A held position goes into the address (#t=…&y=…&x=…), so that a link or bookmark opens the page on it. */
function remember() {
  const hash = state.held ? `#t=${state.active}&y=${state.y}&x=${state.x}` : ' ';
  try { history.replaceState(null, '', hash); } catch (e) { /* some browsers refuse it for file: pages */ }
}

/** The position a link names (#t=…&y=…&x=…), held; false if it names none. */
function recall() {
  const p = new URLSearchParams(location.hash.slice(1));
  const t = Number(p.get('t') || 0);
  const y = Number(p.get('y'));
  const x = Number(p.get('x'));
  if (!p.has('y') || !p.has('x') || ![t, y, x].every(Number.isInteger) || t < 0 || t >= DATA.analyses.length) return false;
  activate(t);
  select(y, x, true);
  return true;
}

// ---- formatting -----------------------------------------------------------------------------------

function fmt(v, digits = 4) {
  if (v == null || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

function el(tag, attrs = {}, text) {
  const e = tag.startsWith('svg:') ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- colour scales --------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[i];
}

/** A continuous scale over the finite values of a map, optionally logarithmic, clipped at percentiles. */
function scaleOf(values, log) {
  const t = [];
  for (const v of values) if (Number.isFinite(v) && (!log || v > 0)) t.push(log ? Math.log10(v) : v);
  t.sort((p, q) => p - q);
  let lo = percentile(t, state.clip);
  let hi = percentile(t, 100 - state.clip);
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  return {
    log, lo, hi,
    fraction: v => (Number.isFinite(v) && (!log || v > 0) ? ((log ? Math.log10(v) : v) - lo) / (hi - lo) : NaN),
    value: f => { const u = lo + f * (hi - lo); return log ? 10 ** u : u; },
  };
}

function lutColour(f) {
  if (Number.isNaN(f)) return INVALID;
  const i = Math.round(Math.min(1, Math.max(0, f)) * (DATA.colormap.length - 1));
  return DATA.colormap[i];
}

function hexColour(h) {
  return [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16));
}

// ---- maps -----------------------------------------------------------------------------------------

let mapViews = [];

function mapSpecs(a) {
  const specs = [];
  if (a.tau) {
    specs.push({ key: 'tau', title: 'τ (s)', values: a.tau, log: () => state.scale === 'log', reliableOnly: true });
    specs.push({ key: 'beta', title: 'β', values: a.beta, log: () => false });
  }
  if (a.v) specs.push({ key: 'v', title: 'V', values: a.v, log: () => false });
  if (a.status) specs.push({ key: 'status', title: 'fit status', categorical: true });
  return specs;
}

function buildMaps() {
  const a = analysis(state.active);
  const host = document.getElementById('maps');
  host.replaceChildren();
  // Wide scans (the paper's 60 × 120) get the panel's whole width per map, so that a position stays big
  // enough to point at; others two maps a row.
  host.style.gridTemplateColumns = a.scanX >= 1.5 * a.scanY ? 'minmax(0, 1fr)' : 'repeat(2, minmax(0, 1fr))';
  mapViews = mapSpecs(a).map(spec => {
    const box = el('div', { class: 'map', 'data-map': spec.key });
    box.append(el('h3', {}, spec.title));
    const stack = el('div', { class: 'stack' });
    const image = el('canvas', { width: a.scanX, height: a.scanY, 'data-scan-y': a.scanY, 'data-scan-x': a.scanX,
      'aria-label': spec.title + ' map' });
    const overlay = el('canvas', { class: 'overlay' }); // sized to the screen's pixels when drawn
    stack.append(image, overlay);
    box.append(stack);
    const footer = el('div', { class: spec.categorical ? 'legend' : 'colorbar' });
    box.append(footer);
    host.append(box);
    const at = e => {
      const r = image.getBoundingClientRect();
      return [Math.floor(((e.clientY - r.top) / r.height) * a.scanY), Math.floor(((e.clientX - r.left) / r.width) * a.scanX)];
    };
    image.addEventListener('mousemove', e => hover(...at(e)));
    image.addEventListener('click', e => click(...at(e)));
    return { spec, image, overlay, footer };
  });
  paintMaps();
}

function paintMaps() {
  const a = analysis(state.active);
  for (const view of mapViews) {
    const { spec, image, footer } = view;
    const ctx = image.getContext('2d');
    const img = ctx.createImageData(a.scanX, a.scanY);
    let colour;
    if (spec.categorical) {
      colour = i => hexColour(STATUS_COLOURS[a.status[i]] || '#000000');
      footer.replaceChildren(...statusLegend(a));
    } else {
      // τ's scale comes from reliable positions only, so failed fits' wild values do not stretch it.
      const values = spec.reliableOnly ? a.tau.map((v, i) => (a.status[i] === 0 ? v : NaN)) : spec.values;
      const scale = scaleOf(values, spec.log());
      colour = i => lutColour(scale.fraction(values[i])); // unreliable τ: NaN, drawn grey as the legend says
      footer.replaceChildren(...colourBar(scale, spec.reliableOnly ? 'grey: not a reliable fit' : 'grey: invalid'));
    }
    for (let i = 0; i < a.n; i++) {
      const c = colour(i);
      img.data.set([c[0], c[1], c[2], 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
  }
  drawCursors();
}

function colourBar(scale, note) {
  const bar = el('canvas', { width: 256, height: 1 });
  const ctx = bar.getContext('2d');
  const img = ctx.createImageData(256, 1);
  for (let i = 0; i < 256; i++) img.data.set([...lutColour(i / 255), 255], 4 * i);
  ctx.putImageData(img, 0, 0);
  const low = el('span', {}, fmt(scale.value(0), 3));
  const high = el('span', {}, fmt(scale.value(1), 3) + (scale.log ? ' (log)' : ''));
  const row = el('div', { class: 'bar' });
  row.append(low, bar, high);
  return [row, el('div', { class: 'note' }, note)];
}

function statusLegend(a) {
  const counts = new Map();
  for (const s of a.status) counts.set(s, (counts.get(s) || 0) + 1);
  return [...counts.keys()].sort((p, q) => p - q).map(code => {
    const s = el('span', { style: '--swatch:' + (STATUS_COLOURS[code] || '#000') }, `${code} ${DATA.statusWords[code]} (${counts.get(code)})`);
    return s;
  });
}

function drawCursors() {
  const a = analysis(state.active);
  const dpr = window.devicePixelRatio || 1;
  for (const { image, overlay } of mapViews) {
    const w = Math.max(1, Math.round(image.clientWidth * dpr));
    const h = Math.max(1, Math.round(image.clientHeight * dpr));
    if (overlay.width !== w || overlay.height !== h) {
      overlay.width = w;
      overlay.height = h;
      overlay.style.width = image.clientWidth + 'px';
      overlay.style.height = image.clientHeight + 'px';
    }
    const k = w / a.scanX; // device pixels per scan position (the maps keep the scan's aspect)
    const ctx = overlay.getContext('2d');
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    if (state.brush) {
      ctx.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue('--brush').trim() || '#f0f';
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath();
      const inside = (y, x) => y >= 0 && x >= 0 && y < a.scanY && x < a.scanX && state.brush.has(y * a.scanX + x);
      for (const i of state.brush) {
        const y = Math.floor(i / a.scanX);
        const x = i % a.scanX;
        if (!inside(y - 1, x)) { ctx.moveTo(x * k, y * k); ctx.lineTo((x + 1) * k, y * k); }
        if (!inside(y + 1, x)) { ctx.moveTo(x * k, (y + 1) * k); ctx.lineTo((x + 1) * k, (y + 1) * k); }
        if (!inside(y, x - 1)) { ctx.moveTo(x * k, y * k); ctx.lineTo(x * k, (y + 1) * k); }
        if (!inside(y, x + 1)) { ctx.moveTo((x + 1) * k, y * k); ctx.lineTo((x + 1) * k, (y + 1) * k); }
      }
      ctx.stroke();
    }
    if (state.shown) {
      // A white ring inside a black one: visible on every colour of the map; a held cursor is drawn thicker.
      const d = Math.max(1.5 * dpr, 0.1 * k);
      ctx.lineWidth = (state.held ? 2.5 : 1.5) * dpr;
      ctx.strokeStyle = '#000000';
      ctx.strokeRect(state.x * k - d, state.y * k - d, k + 2 * d, k + 2 * d);
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(state.x * k, state.y * k, k, k);
    }
  }
  drawScatterOverlay();
}

// ---- the selected position ------------------------------------------------------------------------

function drawDetail() {
  const a = analysis(state.active);
  const i = state.y * a.scanX + state.x;
  const head = document.getElementById('position');
  head.dataset.y = state.y;
  head.dataset.x = state.x;
  head.textContent = `Position (${state.y}, ${state.x})` + (state.held ? ' — held' : '')
    + ` · ${fmt(state.y * a.scanStepNm[0], 3)} nm, ${fmt(state.x * a.scanStepNm[1], 3)} nm`
    + (DATA.analyses.length > 1 ? ` · ${a.label}` : '');
  const rows = [];
  const row = (name, key, value, error, unit = '') => {
    const tr = el('tr', { 'data-key': key });
    tr.append(el('th', {}, name));
    const td = el('td', { 'data-value': String(value) }, fmt(value) + (error === undefined ? '' : ' ± ' + fmt(error, 2)) + unit);
    if (error !== undefined) td.dataset.error = String(error);
    tr.append(td);
    rows.push(tr);
  };
  if (a.tau) {
    const code = a.status[i];
    const status = el('tr', { 'data-key': 'status' });
    status.append(el('th', {}, 'fit'), el('td', { 'data-value': String(code) }, `${DATA.statusWords[code]} (status ${code})`));
    rows.push(status);
    if (code === 2) row('τ exceeds', 'tauLimit', a.tauLimit[i], undefined, ' s');
    row('τ', 'tau', a.tau[i], a.tauErr[i], ' s');
    row('β', 'beta', a.beta[i], a.betaErr[i]);
    if (a.gammaErr[i] === 0) row('γ (fixed)', 'gamma', a.gamma[i]);
    else row('γ', 'gamma', a.gamma[i], a.gammaErr[i]);
  }
  if (a.v) row('V', 'v', a.v[i]);
  document.getElementById('fit-table').replaceChildren(...rows);
  drawCurve(a, i);
  drawProfile(a, i);
}

function niceLinearTicks(lo, hi, count = 5) {
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= step0) || step0;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Ticks of a log axis at 1-2-5 steps (only the decades when they are many), as the PNG figures do. */
function logTicks(lo, hi) {
  const ticks = [];
  for (const mantissas of [[1, 2, 5], [1]]) {
    ticks.length = 0;
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mantissas) {
        const t = m * 10 ** e;
        if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(Number(t.toPrecision(6)));
      }
    }
    if (ticks.length <= 8) break;
  }
  return ticks;
}

/** An SVG plot frame: axes, ticks and labels; returns the svg and the data-to-pixel maps. */
function plotFrame(width, height, xr, yr, xLog, yLog, xLabel, yLabel) {
  const m = { l: 58, r: 12, t: 10, b: 38 };
  const svg = el('svg:svg', { viewBox: `0 0 ${width} ${height}`, width: '100%' });
  const fx = v => (xLog ? Math.log10(v) : v);
  const fy = v => (yLog ? Math.log10(v) : v);
  const X = v => m.l + ((fx(v) - fx(xr[0])) / (fx(xr[1]) - fx(xr[0]))) * (width - m.l - m.r);
  const Y = v => height - m.b - ((fy(v) - fy(yr[0])) / (fy(yr[1]) - fy(yr[0]))) * (height - m.t - m.b);
  const axis = el('svg:g', { class: 'axis' });
  for (const t of xLog ? logTicks(...xr) : niceLinearTicks(...xr)) {
    axis.append(el('svg:line', { class: 'grid', x1: X(t), x2: X(t), y1: m.t, y2: height - m.b }));
    axis.append(el('svg:text', { x: X(t), y: height - m.b + 14, 'text-anchor': 'middle' }, fmt(t, 3)));
  }
  for (const t of yLog ? logTicks(...yr) : niceLinearTicks(...yr)) {
    axis.append(el('svg:line', { class: 'grid', x1: m.l, x2: width - m.r, y1: Y(t), y2: Y(t) }));
    axis.append(el('svg:text', { x: m.l - 5, y: Y(t) + 4, 'text-anchor': 'end' }, fmt(t, 3)));
  }
  axis.append(el('svg:path', { d: `M${m.l},${m.t}V${height - m.b}H${width - m.r}`, fill: 'none' }));
  axis.append(el('svg:text', { x: (m.l + width - m.r) / 2, y: height - 4, 'text-anchor': 'middle' }, xLabel));
  axis.append(el('svg:text', { x: 12, y: (m.t + height - m.b) / 2, 'text-anchor': 'middle',
    transform: `rotate(-90 12 ${(m.t + height - m.b) / 2})` }, yLabel));
  svg.append(axis);
  return { svg, X, Y, m };
}

function range(values, pad) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(hi > lo)) { lo = Number.isFinite(lo) ? lo - 0.5 : 0; hi = Number.isFinite(hi) ? hi + 0.5 : 1; }
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

function drawCurve(a, i) {
  const host = document.getElementById('curve');
  if (!a.g) {
    host.replaceChildren(el('p', { class: 'note' }, 'This results file holds no g(t) curves.'));
    return;
  }
  const L = a.lags.length;
  const pts = [];
  for (let l = 1; l < L; l++) { // lag 0 (with its shot-noise term) cannot sit on a log axis
    const g = a.g[i * L + l];
    if (Number.isFinite(g)) pts.push({ l, t: a.lags[l], g, e: a.gErr[i * L + l] });
  }
  if (!pts.length || !(a.lags[L - 1] > 0)) {
    host.replaceChildren(el('p', { class: 'note' }, 'No finite g(t) at this position.'));
    return;
  }
  const lo = pts.map(p => p.g - (Number.isFinite(p.e) ? p.e : 0));
  const hi = pts.map(p => p.g + (Number.isFinite(p.e) ? p.e : 0));
  const yr = range([...lo, ...hi, 1], 0.06);
  const xr = [a.lags[1] / 1.3, a.lags[L - 1] * 1.3];
  const { svg, X, Y, m } = plotFrame(480, 250, xr, yr, true, false, 'lag t (s)', 'g(t)');
  const [w0, w1] = a.curves.fitWindow;
  if (w1 >= w0 && w0 >= 0 && w1 < L) {
    const left = X(Math.max(xr[0], a.lags[Math.max(1, w0)] / 1.1));
    svg.insertBefore(el('svg:rect', { class: 'window', x: left, y: m.t, width: X(Math.min(xr[1], a.lags[w1] * 1.1)) - left,
      height: 250 - m.t - m.b }), svg.firstChild);
  }
  for (const p of pts) {
    if (Number.isFinite(p.e)) {
      svg.append(el('svg:line', { class: 'err', x1: X(p.t), x2: X(p.t), y1: Y(p.g - p.e), y2: Y(p.g + p.e) }));
    }
    svg.append(el('svg:circle', { class: 'data g-point', cx: X(p.t), cy: Y(p.g), r: 2.6,
      'data-lag': String(p.t), 'data-g': String(p.g), 'data-err': String(p.e) }));
  }
  const tau = a.tau[i];
  const beta = a.beta[i];
  const gamma = a.gamma[i];
  if (Number.isFinite(tau) && Number.isFinite(beta) && Number.isFinite(gamma) && tau > 0) {
    let d = '';
    for (let k = 0; k <= 160; k++) {
      const t = 10 ** (Math.log10(xr[0]) + (k / 160) * (Math.log10(xr[1]) - Math.log10(xr[0])));
      const g = 1 + beta * Math.exp(-2 * (t / tau) ** gamma);
      d += (k ? 'L' : 'M') + X(t).toFixed(2) + ',' + Y(Math.max(yr[0], Math.min(yr[1], g))).toFixed(2);
    }
    svg.append(el('svg:path', { class: 'fit', d }));
  }
  const note = el('p', { class: 'note' }, 'Points: g(t) ± its standard error; line: the KWW fit 1 + β·exp(−2(t/τ)^γ)'
    + (a.curves.baselineFitted ? ' (drawn without the fitted baseline c, which results files do not keep)' : '')
    + '; shaded: the fit window. Lag 0 is not shown.');
  host.replaceChildren(svg, note);
}

function drawProfile(a, i) {
  const host = document.getElementById('profile');
  if (!a.profile) {
    host.replaceChildren(el('p', { class: 'note' }, a.v ? 'This results file holds no V(Q) profiles.' : ''));
    return;
  }
  const q = a.profiles.qCenters;
  const b = q.length;
  const v = Array.from(a.profile.subarray(i * b, (i + 1) * b));
  const yr = range([...v, ...a.meanProfile], 0.08);
  const xr = b > 1 ? range(q, 0.05) : [q[0] - 0.5, q[0] + 0.5];
  const { svg, X, Y } = plotFrame(480, 220, xr, yr, false, false, 'Q (nm⁻¹)', 'V(Q)');
  const line = values => values.map((y, k) => (Number.isFinite(y) ? `${k ? 'L' : 'M'}${X(q[k])},${Y(y)}` : '')).join('');
  svg.append(el('svg:path', { d: line(a.meanProfile), stroke: '#999', 'stroke-dasharray': '4 3', fill: 'none' }));
  svg.append(el('svg:path', { d: line(v), class: 'fit' }));
  v.forEach((y, k) => {
    if (Number.isFinite(y)) {
      svg.append(el('svg:circle', { class: 'data v-point', cx: X(q[k]), cy: Y(y), r: 2.6, 'data-q': String(q[k]), 'data-v': String(y) }));
    }
  });
  host.replaceChildren(svg, el('p', { class: 'note' }, 'V(Q) at this position (solid) and averaged over the scan (dashed).'));
}

// ---- τ–V scatter ----------------------------------------------------------------------------------

const scatter = { W: 480, H: 340, points: [], X: null, Y: null, drag: null };

function buildScatter() {
  const a = analysis(state.active);
  const host = document.getElementById('scatter');
  const panel = document.getElementById('scatter-panel');
  panel.hidden = !(a.tau && a.v);
  document.getElementById('spearman').textContent = a.spearmanText || '';
  if (panel.hidden) return;
  scatter.points = [];
  for (let i = 0; i < a.n; i++) {
    if (a.status[i] === 0 && Number.isFinite(a.v[i]) && a.tau[i] > 0) scatter.points.push(i);
  }
  const dpr = window.devicePixelRatio || 1;
  const base = el('canvas', { width: scatter.W * dpr, height: scatter.H * dpr, 'aria-label': 'tau-V scatter' });
  const overlay = el('canvas', { class: 'overlay', width: scatter.W * dpr, height: scatter.H * dpr });
  host.replaceChildren(base, overlay);
  const m = { l: 58, r: 12, t: 10, b: 38 };
  const xr = range(scatter.points.map(i => a.v[i]), 0.05);
  const tauRange = range(scatter.points.map(i => a.tau[i]), 0); // a loop: Math.min(...xs) overflows the stack on big scans
  const yr = scatter.points.length ? [tauRange[0] / 1.15, tauRange[1] * 1.15] : [1, 10];
  scatter.X = v => m.l + ((v - xr[0]) / (xr[1] - xr[0])) * (scatter.W - m.l - m.r);
  scatter.Y = t => scatter.H - m.b - ((Math.log10(t) - Math.log10(yr[0])) / (Math.log10(yr[1]) - Math.log10(yr[0])))
    * (scatter.H - m.t - m.b);
  scatter.inverse = (px, py) => [xr[0] + ((px - m.l) / (scatter.W - m.l - m.r)) * (xr[1] - xr[0]),
    10 ** (Math.log10(yr[0]) + ((scatter.H - m.b - py) / (scatter.H - m.t - m.b)) * (Math.log10(yr[1]) - Math.log10(yr[0])))];
  const ctx = base.getContext('2d');
  ctx.scale(dpr, dpr);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#eee';
  ctx.fillStyle = '#1b1b1b';
  ctx.textAlign = 'center';
  for (const t of niceLinearTicks(...xr)) {
    ctx.beginPath(); ctx.moveTo(scatter.X(t), m.t); ctx.lineTo(scatter.X(t), scatter.H - m.b); ctx.stroke();
    ctx.fillText(fmt(t, 3), scatter.X(t), scatter.H - m.b + 14);
  }
  ctx.textAlign = 'right';
  for (const t of logTicks(...yr)) {
    ctx.beginPath(); ctx.moveTo(m.l, scatter.Y(t)); ctx.lineTo(scatter.W - m.r, scatter.Y(t)); ctx.stroke();
    ctx.fillText(fmt(t, 3), m.l - 5, scatter.Y(t) + 4);
  }
  ctx.strokeStyle = '#1b1b1b';
  ctx.beginPath(); ctx.moveTo(m.l, m.t); ctx.lineTo(m.l, scatter.H - m.b); ctx.lineTo(scatter.W - m.r, scatter.H - m.b); ctx.stroke();
  ctx.textAlign = 'center';
  ctx.fillText('speckle variance V', (m.l + scatter.W - m.r) / 2, scatter.H - 4);
  ctx.save(); ctx.translate(12, (m.t + scatter.H - m.b) / 2); ctx.rotate(-Math.PI / 2); ctx.fillText('τ (s)', 0, 0); ctx.restore();
  ctx.fillStyle = 'rgba(31, 78, 156, 0.45)';
  for (const i of scatter.points) {
    ctx.beginPath(); ctx.arc(scatter.X(a.v[i]), scatter.Y(a.tau[i]), 2.2, 0, 2 * Math.PI); ctx.fill();
  }
  const at = e => {
    const r = overlay.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * scatter.W, ((e.clientY - r.top) / r.height) * scatter.H];
  };
  const nearest = ([px, py]) => {
    let best = -1;
    let bestD = 64; // within 8 px
    for (const i of scatter.points) {
      const d = (scatter.X(a.v[i]) - px) ** 2 + (scatter.Y(a.tau[i]) - py) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  };
  overlay.addEventListener('mousedown', e => { scatter.drag = { from: at(e), to: at(e) }; e.preventDefault(); });
  overlay.addEventListener('mousemove', e => {
    if (scatter.drag) { scatter.drag.to = at(e); drawScatterOverlay(); return; }
    const i = nearest(at(e));
    if (i >= 0) hover(Math.floor(i / a.scanX), i % a.scanX);
  });
  scatter.onUp = e => {
    if (!scatter.drag) return;
    const { from } = scatter.drag;
    const to = at(e);
    scatter.drag = null;
    if (Math.hypot(to[0] - from[0], to[1] - from[1]) < 4) {
      const i = nearest(to);
      if (i >= 0) click(Math.floor(i / a.scanX), i % a.scanX);
      drawScatterOverlay();
      return;
    }
    const [v0, t0] = scatter.inverse(Math.min(from[0], to[0]), Math.max(from[1], to[1]));
    const [v1, t1] = scatter.inverse(Math.max(from[0], to[0]), Math.min(from[1], to[1]));
    setBrush(new Set(scatter.points.filter(i => a.v[i] >= v0 && a.v[i] <= v1 && a.tau[i] >= t0 && a.tau[i] <= t1)),
      { v0, v1, t0, t1 });
  };
  scatter.overlay = overlay;
  drawScatterOverlay();
}

function setBrush(positions, box) {
  state.brush = positions && positions.size ? positions : null;
  state.brushBox = state.brush ? box : null;
  const button = document.getElementById('clear-brush');
  button.disabled = !state.brush;
  button.textContent = state.brush ? `clear outline (${state.brush.size} positions)` : 'clear outline';
  drawCursors();
}

function drawScatterOverlay() {
  const overlay = scatter.overlay;
  if (!overlay || document.getElementById('scatter-panel').hidden) return;
  const a = analysis(state.active);
  if (!a.tau || !a.v) return;
  const dpr = overlay.width / scatter.W;
  const ctx = overlay.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, scatter.W, scatter.H);
  const brush = getComputedStyle(document.documentElement).getPropertyValue('--brush').trim() || '#f0f';
  const box = scatter.drag ? null : state.brushBox;
  if (box) {
    ctx.strokeStyle = brush;
    ctx.strokeRect(scatter.X(box.v0), scatter.Y(box.t1), scatter.X(box.v1) - scatter.X(box.v0), scatter.Y(box.t0) - scatter.Y(box.t1));
  }
  if (scatter.drag) {
    const [[x0, y0], [x1, y1]] = [scatter.drag.from, scatter.drag.to];
    ctx.strokeStyle = brush;
    ctx.setLineDash([4, 3]);
    ctx.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    ctx.setLineDash([]);
  }
  const i = state.y * a.scanX + state.x;
  if (state.shown && a.status[i] === 0 && Number.isFinite(a.v[i])) {
    ctx.strokeStyle = '#d6246e';
    ctx.lineWidth = 2.5;
    ctx.beginPath(); ctx.arc(scatter.X(a.v[i]), scatter.Y(a.tau[i]), 6, 0, 2 * Math.PI); ctx.stroke();
    ctx.lineWidth = 1;
  }
}

// ---- metadata and series --------------------------------------------------------------------------

function drawMetadata() {
  const a = analysis(state.active);
  const rows = a.metadata.map(([k, v]) => {
    const tr = el('tr');
    tr.append(el('td', {}, k), el('td', {}, v));
    return tr;
  });
  document.getElementById('metadata').replaceChildren(...rows);
}

function buildSeries() {
  const series = DATA.series;
  if (DATA.analyses.length < 2) return;
  const bar = document.getElementById('series-bar');
  bar.hidden = false;
  bar.replaceChildren(...DATA.analyses.map((a, k) => {
    const b = el('button', { type: 'button', 'data-index': k, 'aria-pressed': String(k === state.active) },
      Number.isFinite(a.temperatureK) ? `${fmt(a.temperatureK, 4)} K` : a.label);
    b.title = a.label;
    b.addEventListener('click', () => activate(k));
    return b;
  }));
  if (!series) return;
  document.getElementById('arrhenius-panel').hidden = false;
  const rows = series.rows;
  const inv = rows.map(r => 1000 / r.temperatureK);
  const taus = rows.flatMap(r => [r.tauS - (Number.isFinite(r.tauErrS) ? r.tauErrS : 0), r.tauS + (Number.isFinite(r.tauErrS) ? r.tauErrS : 0)])
    .filter(t => t > 0);
  const xr = range(inv, 0.08);
  const tauRange = range(taus, 0);
  const yr = taus.length ? [tauRange[0] / 1.3, tauRange[1] * 1.3] : [1, 10];
  const { svg, X, Y } = plotFrame(480, 280, xr, yr, false, true, '1000 / T (K⁻¹)', `${series.summary} τ (s)`);
  const fit = series.arrhenius;
  if (fit) {
    const R = DATA.gasConstant;
    // τ = τ∞ exp(E/RT) with x = 1000/T: ln τ = ln τ∞ + (E/R)·x/1000, a straight line on these axes,
    // drawn between the x where it enters and leaves the plotted τ range.
    const slope = (fit.energyKJPerMol * 1000) / (R * 1000);
    const xAt = tau => Math.log(tau / fit.tauInfS) / slope;
    const x0 = Math.max(xr[0], Math.min(xAt(yr[0]), xAt(yr[1])));
    const x1 = Math.min(xr[1], Math.max(xAt(yr[0]), xAt(yr[1])));
    const tauAt = x => fit.tauInfS * Math.exp(slope * x);
    if (x1 > x0) svg.append(el('svg:path', { class: 'fit', d: `M${X(x0)},${Y(tauAt(x0))}L${X(x1)},${Y(tauAt(x1))}` }));
    document.getElementById('arrhenius-fit').textContent = fit.text;
  }
  rows.forEach((r, k) => {
    if (!(r.tauS > 0)) return;
    if (Number.isFinite(r.tauErrS) && r.tauS - r.tauErrS > 0) {
      svg.append(el('svg:line', { class: 'err', x1: X(inv[k]), x2: X(inv[k]), y1: Y(r.tauS - r.tauErrS), y2: Y(r.tauS + r.tauErrS) }));
    }
    const c = el('svg:circle', { class: 'data arr-point', cx: X(inv[k]), cy: Y(r.tauS), r: 5, 'data-index': r.analysis,
      style: 'cursor:pointer' });
    c.append(el('svg:title', {}, `${fmt(r.temperatureK, 4)} K: τ = ${fmt(r.tauS)} ± ${fmt(r.tauErrS, 2)} s (n = ${r.n}); click to show`));
    c.addEventListener('click', () => activate(r.analysis));
    svg.append(c);
  });
  document.getElementById('arrhenius').replaceChildren(svg);
}

function activate(k) {
  state.active = k;
  document.querySelectorAll('#series-bar button').forEach(b => b.setAttribute('aria-pressed', String(Number(b.dataset.index) === k)));
  document.querySelectorAll('#arrhenius circle.arr-point').forEach(c => c.setAttribute('stroke', Number(c.dataset.index) === k ? '#d6246e' : 'none'));
  document.querySelectorAll('#arrhenius circle.arr-point').forEach(c => c.setAttribute('stroke-width', '2.5'));
  setBrush(null);
  buildMaps();
  buildScatter();
  drawMetadata();
  const a = analysis(k);
  if (state.shown) {
    select(Math.min(state.y, a.scanY - 1), Math.min(state.x, a.scanX - 1));
  } else {
    select(Math.floor(a.scanY / 2), Math.floor(a.scanX / 2)); // a first look: the scan's centre
  }
  document.body.dataset.active = String(k);
  if (state.held) remember();
}

// ---- start ----------------------------------------------------------------------------------------

document.getElementById('scale').addEventListener('change', e => { state.scale = e.target.value; paintMaps(); });
document.getElementById('clip').addEventListener('change', e => { state.clip = Number(e.target.value); paintMaps(); });
document.getElementById('clear-brush').addEventListener('click', () => setBrush(null));
window.addEventListener('mouseup', e => scatter.onUp && scatter.onUp(e)); // ends a drag begun on the scatter
document.addEventListener('keydown', e => {
  if (e.key === 'Escape') { state.held = false; drawCursors(); drawDetail(); remember(); return; }
  const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
  if (step && state.held) { select(state.y + step[0], state.x + step[1]); remember(); e.preventDefault(); }
});
window.addEventListener('resize', drawCursors);
buildSeries();
if (!recall()) activate(0);
document.body.dataset.ready = 'true';
