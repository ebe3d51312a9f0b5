/*
 * equipoise charts: small SVG charts for the report and the dashboard.
 *
 * Plain ES2017, no dependencies, no build step: load the file (or inline it)
 * and use the global `EquipoiseCharts`. Every label is written with
 * textContent / setAttribute, so text from news or data files is never parsed
 * as markup. Colours, fonts and strokes are SVG attributes rather than CSS, so
 * an exported chart looks like the one on the page. Colours are '#rrggbb'.
 *
 * EquipoiseCharts.lineChart(container, spec, options) -> <svg>
 *   spec.x        ["2020-01", "2020-02", ...]  category labels, in order
 *   spec.series   [{ name, color,
 *                    values: [number|null]       one per x; null leaves a gap
 *                    lo, hi: [number|null]       optional interval band
 *                    titles: [string]            optional tooltip of each point
 *                    data:   [any] }]            optional, handed to onPointClick
 *   spec.markers  [{ x, label, color, title }]  optional vertical markers
 *   spec.yLabel   axis title;  spec.label  accessible name of the chart
 *   spec.yDomain  [min, max] (default: fitted to values and bands)
 *   spec.zeroLine draw y = 0 (default true)
 *   options.width, options.height  drawing size in px (default: the
 *                            container's width x 320); the SVG then scales
 *   options.format(v)        number format of default tooltips (+0.00)
 *   options.markerPlacement  "on" (default), or "before": a marker at x sits
 *                            half a step before x, on the boundary where a
 *                            regime that starts at x begins
 *   options.onPointClick(d)  d = { series, x, index, value, lo, hi, data };
 *                            points are then focusable and open with Enter
 *   options.onBrush(a, b)    the first and last x of a span dragged across the
 *                            plot; (null, null) on a double click
 *
 * EquipoiseCharts.heatMap(container, spec, options) -> <svg>
 *   spec.rows, spec.columns  labels;  spec.values [[number|null]] rows x columns
 *   spec.labels    [[string]]  text of each cell (default: options.format(value))
 *   spec.titles    [[string]]  tooltip of each cell
 *   spec.domain    [min, max]  of the colour scale, which diverges around
 *                              spec.center (default 0); default: symmetric
 *                              around the centre, out to the largest |value|
 *   spec.colors    { neg, mid, pos }  the scale's ends and centre
 *   spec.legend    { neg, pos }       words beside the scale bar
 *   spec.rowColors [colour]           optional swatch before each row label
 *   spec.label     accessible name of the chart
 *   options.width, options.cellHeight, options.format(v),
 *   options.onCellClick(d)  d = { row, column, rowIndex, columnIndex, value, label }
 *
 * EquipoiseCharts.exportSVG(svg, filename)           download a standalone .svg
 * EquipoiseCharts.exportPNG(svg, filename, scale=2)  draw the SVG on a canvas and
 *   download a .png with a white background; returns a Promise of the Blob
 * EquipoiseCharts.svgText(svg)   the standalone SVG document, as a string
 * EquipoiseCharts.exportTable(columns, rows, filename, format)  download a table
 *   (rows: arrays of values in column order) as "csv" (a header line, then one
 *   line a row) or "json" (a list of objects keyed by column), from a Blob
 * EquipoiseCharts.csvText(columns, rows)  that CSV, as a string
 * EquipoiseCharts.download(blob, filename)  save a Blob through an object URL
 * EquipoiseCharts.niceTicks(lo, hi, n)  about n round tick values over [lo, hi]
 * EquipoiseCharts.palette        colour-blind-safe series colours (Okabe-Ito)
 */
(function (root) {
  'use strict';

  const NS = 'http://www.w3.org/2000/svg';
  const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  const INK = '#1f2933';
  const MUTED = '#616e7c';
  const GRID = '#e4e7eb';
  const AXIS = '#697586';
  const PALETTE = [
    '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7F3C8D', '#4D4D4D',
  ];
  let uid = 0;

  // ------------------------------------------------------------------ helpers

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const key of Object.keys(attrs || {})) {
      if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, attrs[key]);
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, attrs) {
    const node = el('text', Object.assign({ x: r(x), y: r(y), fill: INK }, attrs), parent);
    node.textContent = content == null ? '' : String(content);
    return node;
  }

  // A hover tooltip: an SVG <title>, as the element's first child.
  function tooltip(node, content) {
    if (!content) return;
    const title = document.createElementNS(NS, 'title');
    title.textContent = String(content);
    node.insertBefore(title, node.firstChild);
  }

  function r(v) { return Math.round(v * 100) / 100; }

  function finite(v) { return typeof v === 'number' && isFinite(v); }

  function signed(v) {
    if (!finite(v)) return '–';
    return Number(v.toFixed(2)) === 0 ? '0.00' : (v > 0 ? '+' : '-') + Math.abs(v).toFixed(2);
  }

  // Rough width of a label in px: enough for layout without measuring text.
  function textWidth(s, size) { return String(s).length * (size || 12) * 0.58; }

  /** About `target` round tick values covering [lo, hi]. */
  function niceTicks(lo, hi, target) {
    if (!(finite(lo) && finite(hi))) return [0];
    if (hi < lo) [lo, hi] = [hi, lo];
    if (hi === lo) {
      const pad = Math.abs(hi) * 0.5 || 1;
      lo -= pad;
      hi += pad;
    }
    const raw = (hi - lo) / Math.max((target || 5) - 1, 1);
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
    const ticks = [];
    for (let v = Math.floor(lo / step + 1e-9) * step; v < hi + step * 0.999; v += step) {
      ticks.push(Math.round(v / step) * step);
    }
    return ticks;
  }

  // Tick label with as many decimals as the step needs.
  function tickText(v, ticks) {
    const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
    let digits = 0;
    while (digits < 4 && Math.abs(Number(step.toFixed(digits)) - step) > 1e-9) digits += 1;
    const s = v.toFixed(digits);
    return Number(s) === 0 ? '0' : s;
  }

  // An empty chart: the <svg> with a white background, replacing the container's content.
  function svgRoot(container, width, height, label) {
    while (container.firstChild) container.removeChild(container.firstChild);
    const svg = el('svg', {
      xmlns: NS,
      viewBox: `0 0 ${width} ${height}`,
      width: '100%',
      role: 'img',
      'aria-label': label || 'Chart',
      'font-family': FONT,
      'font-size': 12,
    }, container);
    svg.style.maxWidth = width + 'px';
    svg.style.height = 'auto';
    svg.style.display = 'block';
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }, svg);
    tooltip(svg, label);
    return svg;
  }

  // Make a chart element call `callback(datum)` on click, Enter or Space.
  function clickable(node, callback, datum) {
    if (!callback) return;
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.style.cursor = 'pointer';
    node.addEventListener('click', () => callback(datum));
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        callback(datum);
      }
    });
  }

  // Lay out [{ text, color, band }] left to right, wrapping; returns the height used.
  function legend(svg, items, x0, y0, maxX) {
    let x = x0;
    let y = y0;
    for (const item of items) {
      const w = 26 + textWidth(item.text) + 18;
      if (x > x0 && x + w > maxX) {
        x = x0;
        y += 20;
      }
      const g = el('g', { class: 'legend-item' }, svg);
      if (item.band) {
        el('rect', {
          x, y: y - 4, width: 20, height: 12, fill: item.color, 'fill-opacity': 0.18,
        }, g);
      }
      el('line', {
        x1: x, y1: y + 2, x2: x + 20, y2: y + 2,
        stroke: item.color, 'stroke-width': 2.5, 'stroke-linecap': 'round',
      }, g);
      el('circle', {
        cx: x + 10, cy: y + 2, r: 3, fill: '#fff', stroke: item.color, 'stroke-width': 2,
      }, g);
      text(g, x + 26, y + 6, item.text);
      x += w;
    }
    return y - y0 + 20;
  }

  // Runs of consecutive indexes 0..n-1 for which ok(i) holds.
  function runs(n, ok) {
    const out = [];
    let run = [];
    for (let i = 0; i < n; i += 1) {
      if (ok(i)) {
        run.push(i);
      } else if (run.length) {
        out.push(run);
        run = [];
      }
    }
    if (run.length) out.push(run);
    return out;
  }

  // ------------------------------------------------------------------ line chart

  function lineChart(container, spec, options) {
    const opts = options || {};
    const xs = (spec.x || []).map(String);
    const series = (spec.series || []).map((s, i) => Object.assign({}, s, {
      color: s.color || PALETTE[i % PALETTE.length],
      values: xs.map((_, j) => (s.values && finite(s.values[j]) ? s.values[j] : null)),
      band: Boolean(s.lo && s.hi),
    }));
    const width = Math.max(opts.width || container.clientWidth || 960, 320);
    const height = opts.height || 320;
    const format = opts.format || signed;
    const svg = svgRoot(container, width, height, spec.label);
    const left = spec.yLabel ? 64 : 48;
    const right = Math.max(16, xs.length ? textWidth(xs[xs.length - 1]) / 2 + 6 : 0);
    const bottom = 36;
    const plotW = width - left - right;
    const sx = (i) => (xs.length <= 1 ? left + plotW / 2 : left + (plotW * i) / (xs.length - 1));

    // Legend on top, then one lane per row of marker labels, then the plot.
    const items = series.map((s) => ({ text: s.name, color: s.color, band: s.band }));
    let top = 12 + (items.length ? legend(svg, items, left, 12, width - right) : 0);
    const index = new Map(xs.map((x, i) => [x, i]));
    const shift = opts.markerPlacement === 'before' ? -0.5 : 0;
    const lanes = [];
    const markers = [];
    for (const m of spec.markers || []) {
      const i = index.get(String(m.x));
      if (i === undefined) continue;
      const marker = { m, cx: sx(i > 0 ? i + shift : i), w: textWidth(m.label || '', 11) + 8 };
      let lane = 0;
      const clash = (q) => Math.abs(q.cx - marker.cx) < (q.w + marker.w) / 2 + 4;
      while ((lanes[lane] || []).some(clash)) lane += 1;
      (lanes[lane] = lanes[lane] || []).push(marker);
      marker.lane = lane;
      markers.push(marker);
    }
    top += markers.length ? 6 : 4;
    const laneTop = top;
    const laneHeight = 16;
    top += lanes.length * laneHeight;
    const plotH = Math.max(height - top - bottom, 60);
    const axisY = top + plotH;

    // y domain: the values and bands, and 0 when the zero line is drawn.
    const all = [];
    for (const s of series) {
      for (const list of [s.values, s.lo || [], s.hi || []]) {
        for (const v of list) if (finite(v)) all.push(v);
      }
    }
    const zero = spec.zeroLine !== false;
    let lo = -1;
    let hi = 1;
    if (spec.yDomain) {
      [lo, hi] = spec.yDomain;
    } else if (all.length) {
      lo = Math.min(...all);
      hi = Math.max(...all);
      if (zero) {
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
      }
    }
    const ticks = niceTicks(lo, hi, Math.max(3, Math.min(9, Math.round(plotH / 32))));
    const yMin = spec.yDomain ? lo : Math.min(ticks[0], lo);
    let yMax = spec.yDomain ? hi : Math.max(ticks[ticks.length - 1], hi);
    if (yMax === yMin) yMax = yMin + 1;
    const sy = (v) => top + (plotH * (yMax - v)) / (yMax - yMin);
    const point = (i, v) => `${r(sx(i))} ${r(sy(v))}`;

    // Grid, y ticks, zero line and axis title.
    const grid = el('g', { class: 'grid' }, svg);
    for (const t of ticks) {
      if (t < yMin - 1e-9 || t > yMax + 1e-9) continue;
      const y = r(sy(t));
      el('line', { x1: left, x2: left + plotW, y1: y, y2: y, stroke: GRID }, grid);
      text(grid, left - 8, y + 4, tickText(t, ticks), { 'text-anchor': 'end', fill: MUTED });
    }
    if (zero && yMin <= 0 && yMax >= 0) {
      const y = r(sy(0));
      el('line', {
        x1: left, x2: left + plotW, y1: y, y2: y, stroke: '#52606d', 'stroke-width': 1.2,
      }, grid);
    }
    if (spec.yLabel) {
      text(grid, 0, 0, spec.yLabel, {
        transform: `translate(16 ${r(top + plotH / 2)}) rotate(-90)`,
        'text-anchor': 'middle',
        fill: MUTED,
      });
    }

    // x axis: labels thinned to fit, the last one always shown.
    el('line', { x1: left, x2: left + plotW, y1: axisY, y2: axisY, stroke: AXIS }, grid);
    const widest = Math.max(40, ...xs.map((x) => textWidth(x) + 14));
    const step = Math.max(1, Math.ceil(xs.length / Math.max(1, Math.floor(plotW / widest))));
    const shown = new Set();
    for (let i = 0; i < xs.length; i += step) shown.add(i);
    if (xs.length) {
      const last = xs.length - 1;
      const previous = Math.max(...shown);
      if (last !== previous && last - previous < step * 0.75) shown.delete(previous);
      shown.add(last);
    }
    for (const i of shown) {
      const x = r(sx(i));
      el('line', { x1: x, x2: x, y1: axisY, y2: axisY + 5, stroke: AXIS }, grid);
      text(grid, x, axisY + 19, xs[i], { 'text-anchor': 'middle', fill: MUTED });
    }

    // Markers: dashed lines over the plot, labels in their lanes above it.
    for (const marker of markers) {
      const color = marker.m.color || MUTED;
      const g = el('g', { class: 'marker' }, svg);
      el('line', {
        x1: r(marker.cx), x2: r(marker.cx), y1: top - 2, y2: axisY,
        stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '5 4',
      }, g);
      text(g, marker.cx, laneTop + marker.lane * laneHeight + 10, marker.m.label || '', {
        'text-anchor': 'middle', 'font-size': 11, 'font-weight': 600, fill: color,
      });
      tooltip(g, marker.m.title || marker.m.label);
    }

    // Bands (an error bar where an interval stands alone), then lines, then points.
    for (const s of series.filter((item) => item.band)) {
      const g = el('g', { class: 'band' }, svg);
      for (const run of runs(xs.length, (i) => finite(s.lo[i]) && finite(s.hi[i]))) {
        if (run.length === 1) {
          const x = r(sx(run[0]));
          el('line', {
            x1: x, x2: x, y1: r(sy(s.lo[run[0]])), y2: r(sy(s.hi[run[0]])),
            stroke: s.color, 'stroke-opacity': 0.4, 'stroke-width': 6, 'stroke-linecap': 'round',
          }, g);
          continue;
        }
        const upper = run.map((i) => point(i, s.hi[i]));
        const lower = run.slice().reverse().map((i) => point(i, s.lo[i]));
        el('path', {
          d: `M${upper.join(' L')} L${lower.join(' L')} Z`,
          fill: s.color, 'fill-opacity': 0.14, stroke: 'none',
        }, g);
      }
    }
    for (const s of series) {
      const d = runs(xs.length, (i) => s.values[i] !== null)
        .map((run) => 'M' + run.map((i) => point(i, s.values[i])).join(' L'))
        .join(' ');
      if (!d) continue;
      el('path', {
        class: 'line', d, fill: 'none', stroke: s.color, 'stroke-width': 2.2,
        'stroke-linejoin': 'round', 'stroke-linecap': 'round',
      }, svg);
    }
    if (opts.onBrush && xs.length > 1) brush(svg, { left, top, plotW, plotH, xs, sx }, opts.onBrush);
    const dense = xs.length > 60;
    for (const s of series) {
      const g = el('g', { class: 'points' }, svg);
      s.values.forEach((v, i) => {
        if (v === null) return;
        const low = s.band && finite(s.lo[i]) ? s.lo[i] : null;
        const high = s.band && finite(s.hi[i]) ? s.hi[i] : null;
        const node = el('g', { class: 'point' }, g);
        const at = { cx: r(sx(i)), cy: r(sy(v)) };
        el('circle', Object.assign({
          r: dense ? 2 : 3.5, fill: '#fff', stroke: s.color, 'stroke-width': dense ? 1.5 : 2,
        }, at), node);
        el('circle', Object.assign({ r: 9, fill: 'none', 'pointer-events': 'all' }, at), node);
        const band = low !== null && high !== null ? ` (${format(low)} to ${format(high)})` : '';
        tooltip(node, (s.titles && s.titles[i]) || `${s.name} · ${xs[i]}: ${format(v)}${band}`);
        clickable(node, opts.onPointClick, {
          series: s.name,
          x: xs[i],
          index: i,
          value: v,
          lo: low,
          hi: high,
          data: s.data ? s.data[i] : undefined,
        });
      });
    }
    if (!all.length) {
      text(svg, left + plotW / 2, top + plotH / 2, 'No data', {
        'text-anchor': 'middle', fill: MUTED,
      });
    }
    return svg;
  }

  // Drag across the plot to choose a span of periods (onBrush(first, last)); a double
  // click asks for the whole range again (onBrush(null, null)). The area lies under the
  // points, so a click on a point still opens its events.
  function brush(svg, plot, onBrush) {
    const { left, top, plotW, plotH, xs, sx } = plot;
    const area = el('rect', {
      class: 'brush-area', x: left, y: top, width: plotW, height: plotH,
      fill: 'transparent', style: 'cursor: crosshair',
    }, svg);
    const band = el('rect', {
      class: 'brush', x: left, y: top, width: 0, height: plotH,
      fill: '#3e7cb1', 'fill-opacity': 0.15, stroke: '#3e7cb1', 'stroke-opacity': 0.5,
      'pointer-events': 'none', visibility: 'hidden',
    }, svg);
    const at = (event) => {
      const box = svg.getBoundingClientRect();
      const scale = box.width ? svg.viewBox.baseVal.width / box.width : 1;
      return Math.min(left + plotW, Math.max(left, (event.clientX - box.left) * scale));
    };
    const nearest = (x) => {
      let best = 0;
      xs.forEach((_, i) => { if (Math.abs(sx(i) - x) < Math.abs(sx(best) - x)) best = i; });
      return best;
    };
    let from = null;
    area.addEventListener('pointerdown', (event) => {
      from = at(event);
      band.setAttribute('visibility', 'visible');
      band.setAttribute('x', r(from));
      band.setAttribute('width', 0);
      if (area.setPointerCapture) area.setPointerCapture(event.pointerId);
    });
    area.addEventListener('pointermove', (event) => {
      if (from === null) return;
      const x = at(event);
      band.setAttribute('x', r(Math.min(from, x)));
      band.setAttribute('width', r(Math.abs(x - from)));
    });
    area.addEventListener('pointerup', (event) => {
      if (from === null) return;
      const [a, b] = [nearest(from), nearest(at(event))].sort((p, q) => p - q);
      from = null;
      band.setAttribute('visibility', 'hidden');
      if (b > a) onBrush(xs[a], xs[b]);
    });
    area.addEventListener('dblclick', () => onBrush(null, null));
  }

  // ------------------------------------------------------------------ heat map

  function rgb(hex) {
    const h = String(hex).replace('#', '');
    const n = parseInt(h.length === 3 ? h.split('').map((c) => c + c).join('') : h, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  function mix(a, b, t) {
    const x = rgb(a);
    const y = rgb(b);
    return '#' + x.map((v, i) => Math.round(v + (y[i] - v) * t).toString(16).padStart(2, '0'))
      .join('');
  }

  // Relative luminance (WCAG), to pick dark or light text on a cell.
  function luminance(hex) {
    const [red, green, blue] = rgb(hex).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  }

  function heatMap(container, spec, options) {
    const opts = options || {};
    const rows = (spec.rows || []).map(String);
    const cols = (spec.columns || []).map(String);
    const values = spec.values || [];
    const colors = Object.assign({ neg: '#b2182b', mid: '#f7f7f7', pos: '#2166ac' }, spec.colors);
    const center = finite(spec.center) ? spec.center : 0;
    const format = opts.format || ((v) => (finite(v) ? String(Math.round(v * 100) / 100) : ''));
    let [dMin, dMax] = spec.domain || [NaN, NaN];
    if (!(finite(dMin) && finite(dMax))) {
      let reach = 0;
      for (const row of values) {
        for (const v of row || []) if (finite(v)) reach = Math.max(reach, Math.abs(v - center));
      }
      reach = reach || 1;
      dMin = center - reach;
      dMax = center + reach;
    }
    if (!(dMin < center)) dMin = center - 1;  // keep both halves of the scale non-empty
    if (!(dMax > center)) dMax = center + 1;
    const colour = (v) => {
      if (!finite(v)) return '#f1f3f5';
      const end = v >= center ? colors.pos : colors.neg;
      const reach = v >= center ? (v - center) / (dMax - center) : (center - v) / (center - dMin);
      return mix(colors.mid, end, Math.min(reach, 1));
    };

    const width = Math.max(opts.width || container.clientWidth || 960, 320);
    const swatch = spec.rowColors ? 16 : 0;
    const widest = Math.max(60, ...rows.map((s) => textWidth(s, 13)));
    const labelW = Math.min(widest + 16 + swatch, width * 0.4);
    const cellH = opts.cellHeight || 40;
    const cellW = (width - labelW - 16) / Math.max(cols.length, 1);
    // A column label wider than its cell goes on two lines, split at the middle space.
    const heads = cols.map((column) => {
      if (textWidth(column) <= cellW - 8 || column.indexOf(' ') < 0) return [column];
      const spaces = [];
      for (let k = 0; k < column.length; k += 1) if (column[k] === ' ') spaces.push(k);
      const cut = spaces.reduce((best, k) => (
        Math.abs(k - column.length / 2) < Math.abs(best - column.length / 2) ? k : best));
      return [column.slice(0, cut), column.slice(cut + 1)];
    });
    const top = heads.some((lines) => lines.length > 1) ? 48 : 34;
    const height = top + rows.length * cellH + 56;
    const svg = svgRoot(container, width, height, spec.label);

    heads.forEach((lines, j) => {
      lines.forEach((line, k) => {
        text(svg, labelW + cellW * (j + 0.5), top - 12 - 14 * (lines.length - 1 - k), line, {
          'text-anchor': 'middle', fill: MUTED, 'font-weight': 600,
        });
      });
    });
    rows.forEach((rowLabel, i) => {
      const y = top + i * cellH;
      if (spec.rowColors && spec.rowColors[i]) {
        el('rect', {
          x: 4, y: y + cellH / 2 - 5, width: 10, height: 10, rx: 5, fill: spec.rowColors[i],
        }, svg);
      }
      text(svg, 4 + swatch, y + cellH / 2 + 4, rowLabel, { 'font-size': 13 });
      cols.forEach((column, j) => {
        const v = (values[i] || [])[j];
        const fill = colour(v);
        const label = spec.labels && spec.labels[i] ? spec.labels[i][j] : format(v);
        const g = el('g', { class: 'cell' }, svg);
        el('rect', {
          x: r(labelW + cellW * j + 1), y: y + 1, width: r(cellW - 2), height: cellH - 2,
          rx: 3, fill,
        }, g);
        text(g, labelW + cellW * (j + 0.5), y + cellH / 2 + 4, label, {
          'text-anchor': 'middle', 'font-size': 13, fill: luminance(fill) < 0.33 ? '#fff' : INK,
        });
        const title = spec.titles && spec.titles[i] ? spec.titles[i][j] : null;
        tooltip(g, title || `${rowLabel} · ${column}: ${label}`);
        clickable(g, opts.onCellClick, {
          row: rowLabel,
          column,
          rowIndex: i,
          columnIndex: j,
          value: finite(v) ? v : null,
          label,
        });
      });
    });

    // The colour scale: a gradient bar, its ends and centre, and a word for each side.
    const id = `equipoise-scale-${++uid}`;
    const gradient = el('linearGradient', { id, x1: 0, x2: 1, y1: 0, y2: 0 }, el('defs', {}, svg));
    for (let k = 0; k <= 10; k += 1) {
      el('stop', {
        offset: `${k * 10}%`, 'stop-color': colour(dMin + ((dMax - dMin) * k) / 10),
      }, gradient);
    }
    const words = spec.legend ? `${spec.legend.neg || ''} ◀ ▶ ${spec.legend.pos || ''}` : '';
    // The bar leaves room for the words after it.
    const barW = Math.max(80, Math.min(320, width - labelW - 16 - (words ? textWidth(words, 11) + 12 : 0)));
    const barY = top + rows.length * cellH + 14;
    const small = { fill: MUTED, 'font-size': 11 };
    const middle = labelW + (barW * (center - dMin)) / ((dMax - dMin) || 1);
    el('rect', { x: labelW, y: barY, width: barW, height: 10, rx: 2, fill: `url(#${id})` }, svg);
    text(svg, labelW, barY + 24, format(dMin), small);
    text(svg, middle, barY + 24, format(center), Object.assign({ 'text-anchor': 'middle' }, small));
    const end = Object.assign({ 'text-anchor': 'end' }, small);
    text(svg, labelW + barW, barY + 24, format(dMax), end);
    if (words) text(svg, labelW + barW + 12, barY + 9, words, small);
    return svg;
  }

  // ------------------------------------------------------------------ export

  function size(svg) {
    const box = svg.viewBox && svg.viewBox.baseVal;
    if (box && box.width && box.height) return { width: box.width, height: box.height };
    const rect = svg.getBoundingClientRect();
    return { width: rect.width || 800, height: rect.height || 400 };
  }

  /** The chart as a standalone SVG document: fixed size, nothing interactive. */
  function svgText(svg) {
    const clone = svg.cloneNode(true);
    const { width, height } = size(svg);
    clone.setAttribute('xmlns', NS);
    clone.setAttribute('width', width);
    clone.setAttribute('height', height);
    clone.removeAttribute('style');
    for (const node of clone.querySelectorAll('[tabindex]')) {
      node.removeAttribute('tabindex');
      node.removeAttribute('role');
      node.removeAttribute('style');
    }
    const xml = new XMLSerializer().serializeToString(clone);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml;
  }

  function download(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function exportSVG(svg, filename) {
    const blob = new Blob([svgText(svg)], { type: 'image/svg+xml;charset=utf-8' });
    download(blob, filename || 'chart.svg');
  }

  function exportPNG(svg, filename, scale) {
    const factor = finite(scale) && scale > 0 ? scale : 2;
    const { width, height } = size(svg);
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => {
        const canvas = document.createElement('canvas');
        canvas.width = Math.round(width * factor);
        canvas.height = Math.round(height * factor);
        const context = canvas.getContext('2d');
        context.fillStyle = '#ffffff';
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob((blob) => {
          if (!blob) {
            reject(new Error('the browser could not encode the PNG'));
            return;
          }
          download(blob, filename || 'chart.png');
          resolve(blob);
        }, 'image/png');
      };
      image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      // A data: URL (not a blob: one) keeps the canvas untainted, so toBlob works.
      image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svgText(svg));
    });
  }

  // A cell as CSV writes it: empty for null, quoted when it holds a comma, quote or
  // line break; an object (a list in a cell) as its JSON.
  function csvCell(value) {
    if (value === null || value === undefined) return '';
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csvText(columns, rows) {
    return [columns].concat(rows).map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
  }

  function exportTable(columns, rows, filename, format) {
    if (format === 'json') {
      const records = rows.map((row) => {
        const record = {};
        columns.forEach((name, i) => { record[name] = row[i] === undefined ? null : row[i]; });
        return record;
      });
      const text = JSON.stringify(records, null, 2) + '\n';
      download(new Blob([text], { type: 'application/json;charset=utf-8' }), filename);
      return;
    }
    const blob = new Blob([csvText(columns, rows)], { type: 'text/csv;charset=utf-8' });
    download(blob, filename);
  }

  const api = {
    lineChart,
    heatMap,
    exportSVG,
    exportPNG,
    exportTable,
    csvText,
    download,
    svgText,
    niceTicks,
    palette: PALETTE.slice(),
  };
  root.EquipoiseCharts = api;
  if (typeof module === 'object' && module && module.exports) module.exports = api;
})(typeof window !== 'undefined' ? window : this);
