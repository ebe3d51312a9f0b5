/*
 * equipoise dashboard: the page served by `equipoise serve`.
 *
 * Reads the JSON API of the same server (/api/actors, /api/align, /api/changepoints,
 * /api/events, /api/unvotes) and draws with EquipoiseCharts (charts.js). The charts are
 * drawn from the specs the API answers (equipoise.outputs.specs, the report's own), never
 * rebuilt here from the rows. Nothing is fetched from anywhere else.
 *
 * News text (sentences, titles, actor mentions, URLs) is untrusted: it is only ever
 * written with textContent or as an attribute value, never parsed as HTML. A document
 * link is made only for plain http(s) URLs.
 *
 * The question asked (focal, poles, window, frequency, options, a second focal to
 * compare) lives in the URL fragment, e.g. #focal=AZE&poles=TUR,RUS,IRN&freq=quarter,
 * so a view can be bookmarked or shared.
 *
 * A server started with `equipoise serve --annotate` puts a token in the page; the
 * event list then offers to exclude an event or mark it miscoded, sent to
 * /api/judgements with that token, and the view is computed again.
 */
(function () {
  'use strict';

  const Charts = window.EquipoiseCharts;
  const CODE = /^[A-Z][A-Z0-9]{1,9}$/;
  // Mirrors equipoise.reference.quads (QUAD_NAMES, QUAD_COLUMNS); events from
  // /api/events carry their quad_name from there.
  const QUADS = [
    { n: 1, key: 'verbal_coop', name: 'verbal cooperation' },
    { n: 2, key: 'material_coop', name: 'material cooperation' },
    { n: 3, key: 'verbal_conflict', name: 'verbal conflict' },
    { n: 4, key: 'material_conflict', name: 'material conflict' },
  ];
  const MEASURES = {
    tilt: {
      heading: 'Tilt toward each pole',
      note: 'Score with a pole minus the mean score with the other poles, per period. ' +
        'Above zero: the focal state treats that pole better than the rest.',
    },
    score: {
      heading: 'Score with each pole',
      note: 'Cooperation minus conflict per event, pulled toward the focal state\'s own level ' +
        'by the smoothing pseudo-events, under the chosen weight ' +
        'and direction. Shows whether a tilt comes from warmer ties with one pole or cooler ' +
        'ties with another.',
    },
    net_coop: {
      heading: 'Net cooperation with each pole',
      note: '(cooperative − conflictual events) per event, pulled toward the focal state\'s ' +
        'own level by the smoothing pseudo-events, both directions, ' +
        'whatever the weight and direction chosen.',
    },
  };
  const FALLBACK_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9',
    '#7F3C8D', '#4D4D4D'];
  const PALETTE = (Charts && Charts.palette) || FALLBACK_PALETTE;
  // The heat map's least width in px; a narrower box scrolls it sideways.
  const HEAT_MIN_WIDTH = 440;
  const FIELDS = ['focal', 'poles', 'start', 'end', 'freq', 'weight', 'direction', 'ci',
    'min_events', 'measure', 'compare'];
  const DEFAULTS = {
    focal: '', poles: [], start: '', end: '', freq: 'month', weight: 'count',
    direction: 'out', ci: '', min_events: '3', measure: 'tilt', compare: '',
  };

  const state = Object.assign({}, DEFAULTS, { poles: [] });
  const names = new Map(); // code -> name, from /api/actors
  let blocCodes = new Set();
  let colours = new Map(); // pole -> colour of the last drawn view
  let current = null; // { params, align, changepoints } of the view on screen
  let unvotes = null; // the last /api/unvotes answer on screen
  let updateSeq = 0;
  let eventsSeq = 0;
  let listed = null; // { selection, body } of the event list on screen
  const config = document.getElementById('config').dataset;
  const hasUnvotes = config.unvotes === 'true';
  const annotating = config.annotate === 'true' && Boolean(config.token);

  // ------------------------------------------------------------------ helpers

  const $ = (id) => document.getElementById(id);

  /** An element; string children become text nodes, never markup. */
  function h(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key === 'vars') {
        for (const [name, v] of Object.entries(value)) node.style.setProperty(name, v);
      } else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of [].concat(children === undefined ? [] : children)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function finite(v) { return typeof v === 'number' && isFinite(v); }

  function signed(v, digits) {
    if (!finite(v)) return '–';
    const d = digits === undefined ? 2 : digits;
    const s = Math.abs(v).toFixed(d);
    if (Number(s) === 0) return (0).toFixed(d);
    return (v > 0 ? '+' : '−') + s;
  }

  function plain(v, digits) { return finite(v) ? v.toFixed(digits === undefined ? 2 : digits) : '–'; }

  function plural(n, word) { return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`; }

  function joinAnd(items) {
    if (items.length <= 1) return items.join('');
    return items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1];
  }

  function safeLink(url) {
    if (typeof url !== 'string') return null;
    const trimmed = url.trim();
    return /^https?:\/\/[^\s]+$/i.test(trimmed) ? trimmed : null;
  }

  function label(code) {
    const name = names.get(code);
    return name ? `${code} (${name})` : code;
  }

  class ApiError extends Error {}

  async function getJSON(path, params) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== '' && value !== null && value !== undefined) query.set(key, String(value));
    }
    const url = query.toString() ? `${path}?${query}` : path;
    return callApi(url, { headers: { Accept: 'application/json' } });
  }

  // One request to the server: its JSON answer, or an ApiError with the server's own
  // detail (or the HTTP status) when it refuses, and a hint when it does not answer.
  async function callApi(url, init) {
    let response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      throw new ApiError('the dashboard server does not answer; is `equipoise serve` running?');
    }
    let body = null;
    try { body = await response.json(); } catch (err) { body = null; }
    if (!response.ok) {
      const detail = body && body.detail;
      throw new ApiError(typeof detail === 'string' ? detail : `${response.status} ${response.statusText}`);
    }
    return body;
  }

  function setStatus(message, isError) {
    const node = $('status');
    node.textContent = message || '';
    node.classList.toggle('error', !!isError);
  }

  function busy(on) {
    $('update').disabled = on;
    document.body.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  // ------------------------------------------------------------------ state <-> URL, form

  function readHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const found = {};
    for (const key of FIELDS) {
      if (!params.has(key)) continue;
      const value = params.get(key).trim();
      found[key] = key === 'poles' ? splitCodes(value) : value;
    }
    if (found.focal) found.focal = found.focal.toUpperCase();
    if (found.compare) found.compare = found.compare.toUpperCase();
    return found;
  }

  function writeHash() {
    const params = new URLSearchParams();
    for (const key of FIELDS) {
      const value = key === 'poles' ? state.poles.join(',') : state[key];
      if (value !== '' && value !== DEFAULTS[key]) params.set(key, value);
    }
    const hash = '#' + params.toString().replace(/%2C/gi, ',');
    if (hash !== location.hash) history.replaceState(null, '', hash);
  }

  function splitCodes(text) {
    return String(text || '').split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  }

  function writeForm() {
    $('focal').value = state.focal;
    $('compare').value = state.compare;
    for (const key of ['start', 'end', 'freq', 'weight', 'direction', 'ci', 'measure']) {
      $(key).value = state[key];
    }
    $('min-events').value = state.min_events;
    drawChips();
  }

  function readForm() {
    state.focal = $('focal').value.trim().toUpperCase();
    state.compare = $('compare').value.trim().toUpperCase();
    for (const key of ['start', 'end', 'freq', 'weight', 'direction', 'ci', 'measure']) {
      state[key] = $(key).value.trim();
    }
    state.min_events = $('min-events').value.trim() || '3';
  }

  /** A message for what is wrong with the question, or '' when it can be asked. */
  function problem() {
    if (!state.focal) return 'Choose a focal state (e.g. AZE).';
    if (!CODE.test(state.focal)) return `“${state.focal}” is not an actor code (e.g. AZE, NATO).`;
    const bad = state.poles.find((p) => !CODE.test(p));
    if (bad) return `“${bad}” is not an actor code.`;
    if (!state.poles.length) return 'Add at least one pole (e.g. TUR, RUS, NATO).';
    if (state.poles.includes(state.focal)) return `${state.focal} cannot be both focal and pole.`;
    if (state.compare && !CODE.test(state.compare)) return `“${state.compare}” is not an actor code.`;
    if (state.compare && state.poles.includes(state.compare)) {
      return `${state.compare} cannot be compared while it is a pole.`;
    }
    if (state.compare && state.compare === state.focal) {
      return 'Compare with another state than the focal one.';
    }
    if (state.start && state.end && state.start > state.end) return 'From is after To.';
    if (!/^\d+$/.test(state.min_events)) return 'Min. events must be a whole number.';
    return '';
  }

  // ------------------------------------------------------------------ poles as chips

  function poleColour(code, index) {
    return colours.get(code) || PALETTE[index % PALETTE.length];
  }

  /** Dark or white text, whichever reads better on `hex` (WCAG contrast). */
  function inkOn(hex) {
    const n = parseInt(String(hex).replace('#', ''), 16);
    const lin = (v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    const lum = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
    return (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? '#111820' : '#ffffff';
  }

  function drawChips() {
    const box = $('poles-box');
    const input = $('pole-input');
    for (const chip of Array.from(box.querySelectorAll('.chip'))) chip.remove();
    state.poles.forEach((code, i) => {
      const remove = h('button', {
        type: 'button', 'aria-label': `Remove ${code}`, title: `Remove ${code}`, text: '×',
        onclick: () => { removePole(code); input.focus(); },
      });
      const chip = h('span', {
        class: 'chip', title: label(code), 'data-code': code,
        vars: { '--chip': poleColour(code, i), '--chip-ink': inkOn(poleColour(code, i)) },
      }, [code, remove]);
      box.insertBefore(chip, input);
    });
  }

  function addPoles(text) {
    const codes = splitCodes(text);
    let changed = false;
    for (const code of codes) {
      if (!state.poles.includes(code)) { state.poles.push(code); changed = true; }
    }
    drawChips();
    return changed;
  }

  function removePole(code) {
    state.poles = state.poles.filter((p) => p !== code);
    drawChips();
    update();
  }

  function bindPoleInput() {
    const input = $('pole-input');
    const commit = () => {
      const text = input.value;
      input.value = '';
      if (text.trim() && addPoles(text)) update();
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ',' || event.key === 'Tab') {
        if (input.value.trim()) {
          event.preventDefault();
          commit();
        } else if (event.key === 'Enter') {
          event.preventDefault();
          update();
        }
      } else if (event.key === 'Backspace' && !input.value && state.poles.length) {
        removePole(state.poles[state.poles.length - 1]);
      }
    });
    // A pick from the datalist arrives as an input event carrying the whole code.
    input.addEventListener('input', (event) => {
      const value = input.value.trim().toUpperCase();
      const picked = event.inputType === 'insertReplacementText' || !event.inputType;
      if (picked && value && names.has(value)) commit();
      else if (/[,;\s]$/.test(input.value)) commit();
    });
    input.addEventListener('blur', () => { if (input.value.trim()) commit(); });
    $('poles-box').addEventListener('click', (event) => {
      if (event.target === $('poles-box')) input.focus();
    });
  }

  // ------------------------------------------------------------------ loading

  async function suggestPoles(focal) {
    try {
      const body = await getJSON('/api/actors', { focal });
      return body.partners.map((p) => p.code).filter((c) => c !== focal).slice(0, 3);
    } catch (err) {
      return [];
    }
  }

  function fillStoreMeta(store) {
    const meta = clear($('store-meta'));
    const item = (name, value) => h('li', {}, [name + ' ', h('b', { text: value })]);
    meta.append(item('Store', store.file));
    meta.append(item('Documents', Number(store.documents).toLocaleString()));
    meta.append(item('Events', Number(store.events).toLocaleString()));
    if (store.first_event && store.last_event) {
      meta.append(item('Dates', `${store.first_event} to ${store.last_event}`));
    }
  }

  function fillDatalists(body) {
    const actors = clear($('actor-codes'));
    const poles = clear($('pole-codes'));
    for (const a of body.actors) {
      names.set(a.code, a.name || '');
      const text = `${a.name ? a.name + ' · ' : ''}${plural(a.events, 'event')}`;
      actors.append(h('option', { value: a.code, label: text }));
      poles.append(h('option', { value: a.code, label: text }));
    }
    blocCodes = new Set(body.blocs.map((b) => b.code));
    for (const b of body.blocs) {
      if (!names.has(b.code)) names.set(b.code, b.name || '');
      if (body.actors.some((a) => a.code === b.code)) continue;
      poles.append(h('option', { value: b.code, label: `${b.name || b.code} · bloc` }));
    }
  }

  async function init() {
    if (!Charts) {
      setStatus('The chart library (/static/charts.js) did not load.', true);
      return;
    }
    bindForm();
    bindPoleInput();
    let actors;
    try {
      actors = await getJSON('/api/actors');
    } catch (err) {
      setStatus(err.message, true);
      return;
    }
    fillStoreMeta(actors.store);
    fillDatalists(actors);
    Object.assign(state, readHash());
    if (!state.focal && actors.actors.length) state.focal = actors.actors[0].code;
    if (!state.poles.length && state.focal) state.poles = await suggestPoles(state.focal);
    const asked = readHash();
    if (!asked.start && !asked.end && state.focal && state.poles.length) {
      // No window in the address: open on where the events are, at a frequency that suits.
      try {
        const span = await getJSON('/api/span', { focal: state.focal, poles: state.poles.join(',') });
        if (span.start) {
          state.start = span.start;
          state.end = span.end;
          if (!asked.freq) state.freq = span.freq;
        }
      } catch (err) { /* the full range is shown instead */ }
    }
    writeForm();
    if (!actors.actors.length) {
      setStatus('The store has no events yet: run `equipoise code` on it first.');
      return;
    }
    update();
  }

  function bindForm() {
    $('controls').addEventListener('submit', (event) => {
      event.preventDefault();
      const pending = $('pole-input').value;
      if (pending.trim()) { $('pole-input').value = ''; addPoles(pending); }
      update();
    });
    $('focal').addEventListener('change', async () => {
      const focal = $('focal').value.trim().toUpperCase();
      $('focal').value = focal;
      if (!CODE.test(focal)) { update(); return; }
      if (state.poles.includes(focal)) state.poles = state.poles.filter((p) => p !== focal);
      if (!state.poles.length) {
        state.poles = await suggestPoles(focal);
        drawChips();
      }
      update();
    });
    for (const id of ['start', 'end', 'freq', 'weight', 'direction', 'ci', 'min-events', 'compare']) {
      $(id).addEventListener('change', () => update());
    }
    for (const id of ['ev-q', 'ev-quad', 'ev-sort']) {
      $(id).addEventListener('input', drawEventList);
      $(id).addEventListener('change', drawEventList);
    }
    $('event-filters').addEventListener('submit', (event) => event.preventDefault());
    $('measure').addEventListener('change', () => {
      state.measure = $('measure').value;
      writeHash();
      if (current) drawTrend(current);
    });
    // Charts are drawn to their container's width: draw them again when it changes.
    let drawnWidth = window.innerWidth;
    let resizeTimer = 0;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (!current || Math.abs(window.innerWidth - drawnWidth) < 40) return;
        drawnWidth = window.innerWidth;
        drawTrend(current);
        drawEquidistance(current);
        drawHeatMap(current);
        if (unvotes) drawUnvotesChart(unvotes);
      }, 200);
    });
    window.addEventListener('hashchange', () => {
      const found = readHash();
      if (!found.focal) return;
      Object.assign(state, DEFAULTS, { poles: [] }, found);
      writeForm();
      update();
    });
  }

  /** Compute the view again; `keep` lists the same events again afterwards. */
  async function update(keep) {
    readForm();
    const wrong = problem();
    if (wrong) { setStatus(wrong, true); return; }
    writeHash();
    const seq = ++updateSeq;
    const params = {
      focal: state.focal, poles: state.poles.join(','), start: state.start, end: state.end,
      freq: state.freq, weight: state.weight, direction: state.direction,
      min_events: state.min_events,
    };
    busy(true);
    setStatus(`Computing ${state.focal} between ${joinAnd(state.poles)}…`);
    try {
      const [aligned, points, compared] = await Promise.all([
        getJSON('/api/align', Object.assign({ ci: state.ci }, params)),
        getJSON('/api/changepoints', params).catch((err) => ({ error: err.message })),
        // The second focal state, against the same poles, window and options.
        state.compare
          ? getJSON('/api/align', Object.assign({ ci: state.ci }, params, { focal: state.compare }))
            .catch((err) => ({ error: err.message, focal: state.compare }))
          : Promise.resolve(null),
      ]);
      if (seq !== updateSeq) return;
      current = { params, align: aligned, changepoints: points, compare: compared };
      const again = keep === true && listed ? listed.selection : null;
      render(current);
      if (again) showEvents(again, { scroll: false });
      if (hasUnvotes) drawUnvotes(params);
      drawPlaces(params);
    } catch (err) {
      if (seq === updateSeq) setStatus(err.message, true);
    } finally {
      if (seq === updateSeq) busy(false);
    }
  }

  // ------------------------------------------------------------------ rendering

  function periodsOf(records) {
    const seen = [];
    const known = new Set();
    for (const row of records) {
      if (!known.has(row.period)) { known.add(row.period); seen.push(row.period); }
    }
    return seen;
  }

  function render(view) {
    const a = view.align;
    // The API gives each pole its colour, the same as the report's.
    colours = new Map(a.poles.map((p, i) => [p, (a.colours && a.colours[p]) || PALETTE[i % PALETTE.length]]));
    drawChips();
    const other = view.compare;
    const title = other ? `${a.focal} and ${other.focal} between ${joinAnd(a.poles)}`
      : `${a.focal} between ${joinAnd(a.poles)}`;
    $('title').textContent = title;
    document.title = `${title} · equipoise`;
    $('verdict').textContent = a.verdict;
    $('verdict-2').hidden = !other;
    $('verdict-2').textContent = !other ? ''
      : other.error ? `${other.focal}: ${other.error}` : other.verdict;
    $('verdict-card').hidden = false;
    const periods = periodsOf(a.records);
    const events = a.summary.reduce((n, row) => n + row.n_events, 0);
    const span = periods.length ? ` · ${periods[0]} to ${periods[periods.length - 1]}` : '';
    setStatus(`${plural(periods.length, a.options.freq || 'period')}${span} · ` +
      `${plural(events, 'event')} with the poles · weight ${a.options.weight}, ` +
      `direction ${a.options.direction}` + (a.options.ci ? ` · ${Math.round(a.options.ci * 100)}% intervals` : ''));
    drawTrend(view);
    drawEquidistance(view);
    drawHeatMap(view);
    drawChangepoints(view);
    resetEvents();
  }

  /** The address of an API table as CSV, for a download link. */
  function csvLink(path, params) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== '' && value !== null && value !== undefined) query.set(key, String(value));
    }
    query.set('format', 'csv');
    return `${path}?${query}`;
  }

  function exportButtons(container, name, focal, table) {
    const svg = container.querySelector('svg');
    if (!svg) return;
    const base = `equipoise-${focal || current.align.focal}-${name}`;
    const bar = h('div', { class: 'export' }, [
      table ? h('a', { class: 'download', href: table, download: true, text: 'CSV',
        title: 'The table behind this chart, as CSV' }) : null,
      h('button', { type: 'button', text: 'SVG', title: 'Download this chart as SVG',
        onclick: () => Charts.exportSVG(svg, `${base}.svg`) }),
      h('button', { type: 'button', text: 'PNG', title: 'Download this chart as PNG',
        onclick: () => Charts.exportPNG(svg, `${base}.png`).catch((err) => setStatus(err.message, true)) }),
    ]);
    container.append(bar);
  }

  function empty(container, message) {
    clear(container).append(h('p', { class: 'empty', text: message }));
  }

  function drawTrend(view) {
    const a = view.align;
    const measure = MEASURES[state.measure] ? state.measure : 'tilt';
    const info = MEASURES[measure];
    $('tilt-heading').textContent = info.heading;
    $('tilt-note').textContent = info.note + ' Shaded bands are bootstrap intervals (choose a level ' +
      'under Intervals); dashed lines mark change points in the tilt. Click a point for the events behind it; drag across ' +
      'the chart to zoom in on a span, double-click it to see the whole window again.' +
      (view.compare ? ' Both charts share their axes and pole colours.' : '');
    // A second focal state is drawn beside the first, on the same periods and y axis.
    const other = view.compare && !view.compare.error ? view.compare : null;
    const panels = [{ align: a, node: $('tilt-chart'), markers: changeMarkers(view, measure) }];
    if (other) panels.push({ align: other, node: $('tilt-chart-2'), markers: [] });
    const two = Boolean(view.compare);
    $('tilt-grid').classList.toggle('two', two);
    $('compare-panel').hidden = !two;
    $('tilt-title').hidden = !two;
    $('tilt-title').textContent = label(a.focal);
    if (two) $('tilt-title-2').textContent = label(view.compare.focal);
    if (view.compare && view.compare.error) empty($('tilt-chart-2'), view.compare.error);
    // The specs come from the API as they are; two panels are only put on one x axis.
    const specs = panels.map((p) => (p.align.charts || {})[measure]);
    const periods = Array.from(new Set(specs.flatMap((spec) => (spec ? spec.x : [])))).sort();
    const yDomain = two ? sharedDomain(specs) : undefined;
    panels.forEach((panel, i) => {
      const container = panel.node;
      const b = panel.align;
      const spec = specs[i];
      if (!spec || !spec.x.length) {
        empty(container, `No events between ${b.focal} and these poles in this window.`);
        return;
      }
      Charts.lineChart(container, Object.assign({}, two ? onAxis(spec, periods) : spec, {
        markers: panel.markers,
        yDomain,
      }), {
        height: two ? 300 : 340,
        markerPlacement: 'before',
        onPointClick: (d) => showEvents({ pole: d.data.pole, period: d.data.period, focal: b.focal }),
        onBrush: zoomTo,
      });
      exportButtons(container, measure, b.focal, csvLink('/api/align', Object.assign(
        {}, current.params, { focal: b.focal, ci: state.ci })));
    });
  }

  /** A line chart spec over the labels `xs`: each series' lists follow them, with a gap
   *  (null) where the spec has no such label. */
  function onAxis(spec, xs) {
    const at = new Map(spec.x.map((x, i) => [x, i]));
    const pick = (list, gap) => (list ? xs.map((x) => (at.has(x) ? list[at.get(x)] : gap)) : undefined);
    return Object.assign({}, spec, {
      x: xs,
      series: spec.series.map((s) => Object.assign({}, s, {
        values: pick(s.values, null),
        lo: pick(s.lo, null),
        hi: pick(s.hi, null),
        titles: pick(s.titles, ''),
        data: pick(s.data, null),
      })),
    });
  }

  // Zoom: a span dragged across the chart becomes the window, from the first day of
  // its first period to the last day of its last; a double click clears the window.
  function periodBounds(period) {
    const pad = (n) => String(n).padStart(2, '0');
    const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
    let match = /^(\d{4})-(\d{2})$/.exec(period);
    if (match) {
      const [y, m] = [Number(match[1]), Number(match[2])];
      return [`${y}-${pad(m)}-01`, `${y}-${pad(m)}-${pad(lastDay(y, m))}`];
    }
    match = /^(\d{4})Q([1-4])$/.exec(period);
    if (match) {
      const [y, q] = [Number(match[1]), Number(match[2])];
      return [`${y}-${pad(3 * q - 2)}-01`, `${y}-${pad(3 * q)}-${pad(lastDay(y, 3 * q))}`];
    }
    match = /^(\d{4})$/.exec(period);
    return match ? [`${match[1]}-01-01`, `${match[1]}-12-31`] : [null, null];
  }

  function zoomTo(first, last) {
    $('start').value = first === null ? '' : periodBounds(first)[0] || '';
    $('end').value = last === null ? '' : periodBounds(last)[1] || '';
    update();
  }

  /** The change point markers /api/changepoints serves, on the tilt chart only. */
  function changeMarkers(view, measure) {
    const cps = view.changepoints;
    return measure === 'tilt' && cps && cps.markers ? cps.markers : [];
  }

  /** One y range for several line chart specs: their values and bands, and zero. */
  function sharedDomain(specs) {
    let lo = 0;
    let hi = 0;
    for (const spec of specs) {
      for (const s of (spec && spec.series) || []) {
        for (const v of [].concat(s.values || [], s.lo || [], s.hi || [])) {
          if (finite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
      }
    }
    if (lo === hi) return undefined;
    const ticks = Charts.niceTicks(lo, hi, 6);
    return [Math.min(ticks[0], lo), Math.max(ticks[ticks.length - 1], hi)];
  }

  function drawEquidistance(view) {
    const a = view.align;
    const container = $('equi-chart');
    const spec = (a.charts || {}).equidistance;
    if (a.poles.length < 2) { empty(container, 'Equidistance compares two or more poles.'); return; }
    if (!spec) {
      empty(container, 'No period has two poles with enough events.');
      return;
    }
    Charts.lineChart(container, spec, {
      width: Math.min(560, container.clientWidth || 560), height: 280, format: (v) => plain(v),
    });
    exportButtons(container, 'equidistance');
  }

  function drawHeatMap(view) {
    const a = view.align;
    const container = $('heat-chart');
    const spec = (a.charts || {}).heat;
    if (!spec) {
      empty(container, 'No events between these actors in this window.');
      return;
    }
    const svg = Charts.heatMap(container, spec, {
      width: Math.max(container.clientWidth || 640, HEAT_MIN_WIDTH),
      cellHeight: 34,
      format: (v) => (finite(v) ? `${Math.round(Math.abs(v) * 100)}%` : ''),
      onCellClick: (d) => {
        const row = spec.rowData[d.rowIndex];
        showEvents({ pole: row.pole, direction: row.direction, quad: QUADS[d.columnIndex].n });
      },
    });
    // Never narrower than its labels need: a narrow screen scrolls it inside its box.
    svg.style.minWidth = HEAT_MIN_WIDTH + 'px';
    exportButtons(container, 'dyads-by-quad');
  }

  function drawChangepoints(view) {
    const container = clear($('cp-list'));
    const cps = view.changepoints;
    if (!cps || cps.error) {
      container.append(h('p', { class: 'empty', text: `Change points could not be computed: ${cps ? cps.error : ''}` }));
      return;
    }
    if (!cps.points.length) {
      const text = cps.status === 'too short to test'
        ? 'Too short to test: change points need at least 12 periods with data; choose a finer frequency or a longer window.'
        : 'No change point: the tilts toward the poles stay level within their noise and drift.';
      container.append(h('p', { class: 'empty', text }));
      return;
    }
    const list = h('ol', { class: 'points' });
    for (const cp of cps.points) {
      const drivers = cps.drivers.filter((d) => d.pole === cp.pole && d.period === cp.period);
      const docs = new Map();
      for (const d of drivers) {
        // A driver is a story group (its reports may come from several articles).
        const key = d.rank ?? d.doc_id;
        if (!docs.has(key)) docs.set(key, { first: d, events: [] });
        docs.get(key).events.push(d);
      }
      const head = h('div', { class: 'point-head' }, [
        h('b', { text: `${cp.pole} from ${cp.period}` }),
        h('span', { class: `shift ${cp.shift > 0 ? 'pos' : 'neg'}`, text: `${signed(cp.before)} → ${signed(cp.after)}` }),
        h('span', { class: 'note', text: `shift ${signed(cp.shift)} · ${cp.window_start} to ${cp.window_end}`
          + (cp.stability == null ? '' : ` · found in ${Math.round(100 * cp.stability)}% of resamples`) }),
        h('button', { type: 'button', class: 'link', text: `Events in ${cp.period}`,
          onclick: () => showEvents({ pole: cp.pole, period: cp.period }) }),
      ]);
      const items = [];
      for (const { first, events } of docs.values()) {
        const link = safeLink(first.doc_link || first.doc_url);
        const title = first.doc_title || link || first.doc_id;
        const name = link
          ? h('a', { href: link, rel: 'noopener noreferrer nofollow', target: '_blank', text: title })
          : h('span', { text: title });
        const sentences = h('ul', {}, events.slice(0, 3).map((e) => h('li', {}, [
          h('span', { class: 'code', text: `${e.event_date || ''} ${e.source}→${e.target}` }), ' ', e.sentence || ''])));
        if (events.length > 3) sentences.append(h('li', { class: 'note', text: `and ${events.length - 3} more` }));
        items.push(h('li', { class: 'driver' }, [
          name, ` · influence ${plain(first.influence)} · ${plural(events.length, 'event')}`, sentences,
        ]));
      }
      const body = items.length
        ? h('details', {}, [h('summary', { text: `Driving documents (${items.length})` }), h('ol', { class: 'drivers' }, items)])
        : h('p', { class: 'note', text: 'No single document drives this break.' });
      list.append(h('li', { vars: { '--pole': colours.get(cp.pole) || '#616e7c' } }, [head, body]));
    }
    container.append(list);
  }

  // ------------------------------------------------------------------ events behind a point

  function resetEvents() {
    $('events-heading').textContent = 'Events behind a point';
    $('events-count').textContent = '';
    $('events-note').hidden = false;
    $('event-filters').hidden = true;
    $('events-csv').hidden = true;
    listed = null;
    clear($('events-list'));
  }

  async function showEvents(selection, how) {
    if (!current) return;
    const p = current.params;
    const focal = selection.focal || p.focal;
    const params = {
      focal, pole: selection.pole, freq: p.freq, start: p.start, end: p.end,
      direction: selection.direction || p.direction, limit: 200,
    };
    if (selection.period) params.period = selection.period;
    if (selection.quad) params.quad = selection.quad;
    const seq = ++eventsSeq;
    const arrow = params.direction === 'out' ? '→' : params.direction === 'in' ? '←' : '–';
    let heading = `${focal} ${arrow} ${selection.pole}`;
    heading += selection.period ? `, ${selection.period}` : ', whole window';
    if (selection.quad) heading += `, ${QUADS[selection.quad - 1].name}`;
    $('events-heading').textContent = `Events: ${heading}`;
    $('events-count').textContent = 'Loading…';
    $('events-note').hidden = true;
    const list = $('events-list');
    let body;
    try {
      body = await getJSON('/api/events', params);
    } catch (err) {
      if (seq !== eventsSeq) return;
      $('events-count').textContent = '';
      clear(list).append(h('p', { class: 'status error', text: err.message }));
      return;
    }
    if (seq !== eventsSeq) return;
    listed = { selection, body };
    const csv = $('events-csv');
    csv.hidden = !body.events.length;
    csv.href = csvLink('/api/events', Object.assign({}, params, { limit: 1000 }));
    $('event-filters').hidden = !body.events.length;
    drawEventList();
    if (!how || how.scroll !== false) {
      $('events-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  }

  /** The listed events that pass the list's filters, in the order asked. */
  function filteredEvents() {
    const words = $('ev-q').value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const quad = $('ev-quad').value;
    const order = $('ev-sort').value;
    const shown = listed.body.events.filter((e) => {
      if (quad && String(e.quad) !== quad) return false;
      if (!words.length) return true;
      const hay = [e.sentence, e.source, e.target, e.source_text, e.target_text, e.cameo,
        e.quad_name, e.doc_title, e.dataset].join(' ').toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    if (order === '-date') shown.reverse();
    if (order === 'strength') {
      shown.sort((x, y) => Math.abs(y.goldstein || 0) - Math.abs(x.goldstein || 0));
    }
    return shown;
  }

  function drawEventList() {
    if (!listed) return;
    const body = listed.body;
    const list = clear($('events-list'));
    const shown = filteredEvents();
    let count = body.total > body.events.length
      ? `${body.events.length} of ${plural(body.total, 'event')}`
      : plural(body.total, 'event');
    if (shown.length !== body.events.length) count = `${shown.length} shown · ${count}`;
    $('events-count').textContent = count;
    if (!body.events.length) {
      list.append(h('p', { class: 'empty', text: 'No events in this cell.' }));
    } else if (!shown.length) {
      list.append(h('p', { class: 'empty', text: 'No listed event matches these filters.' }));
    } else {
      list.append(eventsTable(shown));
    }
  }

  function actorCell(e) {
    const side = (code, sector) => (sector && sector !== code ? `${code} ${sector}` : code);
    const arrow = e.direction === 'both' ? ' ↔ ' : ' → ';
    const cell = h('td', { class: 'nowrap' }, [side(e.source, e.source_sector) + arrow + side(e.target, e.target_sector)]);
    const mentions = [e.source_text, e.target_text].filter((t) => t);
    if (mentions.length) {
      cell.append(h('span', { class: 'mention', text: `“${e.source_text || '…'}” → “${e.target_text || '…'}”` }));
    }
    return cell;
  }

  /** The sentence with its actors and trigger marked, as the report marks them. */
  function evidenceCell(e) {
    const cell = h('td', { class: 'sentence' });
    const text = e.sentence || '';
    let at = 0;
    for (const [start, end, kind] of e.marks || []) {
      if (start < at || end > text.length) continue;
      cell.append(text.slice(at, start));
      const names = { s: ['actor src', `source: ${e.source}`], t: ['actor tgt', `target: ${e.target}`],
        v: ['trigger', `trigger of ${e.cameo || 'the event'}`] };
      const [cls, title] = names[kind] || names.v;
      cell.append(h('mark', { class: cls, title, text: text.slice(start, end) }));
      at = end;
    }
    cell.append(text.slice(at));
    if (e.reported) cell.append(h('span', { class: 'flag', text: ' (reported)' }));
    return cell;
  }

  function eventKey(e) {
    return { doc_id: e.doc_id, sent_start: e.sent_start, source: e.source, target: e.target, root: e.root };
  }

  function judgeCell(e) {
    const cell = h('td', { class: 'judge-cell' });
    const j = e.judgement;
    if (j) {
      const what = j.verdict === 'miscoded' ? `Marked miscoded${j.cameo ? ` (should be ${j.cameo})` : ''}`
        : 'Excluded';
      cell.append(h('span', { class: 'judged', text: `${what}: ${j.reason}${j.who ? ` — ${j.who}` : ''}` }));
    }
    if (!annotating) return cell;
    const buttons = h('div', { class: 'judge-buttons' });
    if (j) {
      buttons.append(h('button', { type: 'button', class: 'link', text: 'Withdraw',
        onclick: () => withdraw(e) }));
    }
    buttons.append(
      h('button', { type: 'button', class: 'link', text: 'Exclude…', 'data-judge': 'exclude',
        onclick: () => judgeForm(cell, e, 'exclude') }),
      h('button', { type: 'button', class: 'link', text: 'Miscoded…', 'data-judge': 'miscoded',
        onclick: () => judgeForm(cell, e, 'miscoded') }));
    cell.append(buttons);
    return cell;
  }

  function judgeForm(cell, e, verdict) {
    const open = cell.querySelector('form');
    if (open) open.remove();
    const reason = h('input', { type: 'text', name: 'reason', maxlength: 1000, 'aria-required': 'true',
      placeholder: verdict === 'exclude' ? 'why it should not count' : 'what is wrong with the coding',
      'aria-label': 'Reason' });
    const cameo = verdict === 'miscoded'
      ? h('input', { type: 'text', name: 'cameo', maxlength: 4, inputmode: 'numeric',
        placeholder: 'right CAMEO code, e.g. 138', 'aria-label': 'Right CAMEO code' })
      : null;
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'judge-form', novalidate: true }, [
      reason, cameo,
      h('div', { class: 'row' }, [
        h('button', { type: 'submit', class: 'primary', text: verdict === 'exclude' ? 'Exclude' : 'Mark miscoded' }),
        h('button', { type: 'button', class: 'link', text: 'Cancel', onclick: () => form.remove() }),
      ]),
      error,
    ]);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!reason.value.trim()) { error.textContent = 'Give a reason: it is kept with the judgement.'; return; }
      const body = Object.assign(eventKey(e), { verdict, reason: reason.value.trim() });
      if (cameo) body.cameo = cameo.value.trim();
      try {
        await sendJudgement('POST', body);
      } catch (err) {
        error.textContent = err.message;
        return;
      }
      const which = `${e.source}→${e.target} ${e.cameo || ''} of ${formatDate(e.event_date, e.date_precision)}`;
      if (verdict === 'exclude') {
        judgeNotice(`Excluded: ${which}. The figures above are computed again without it.`, e);
      } else {
        judgeNotice(`Marked miscoded: ${which}. It still counts as coded; ` +
          '`equipoise judgements --format gold` lists it as a correction.');
      }
      update(true);
    });
    cell.append(form);
    reason.focus();
  }

  async function withdraw(e) {
    try {
      await sendJudgement('DELETE', eventKey(e));
    } catch (err) {
      judgeNotice(err.message);
      return;
    }
    judgeNotice(`Judgement withdrawn: ${e.source}→${e.target} ${e.cameo || ''} counts as coded.`);
    update(true);
  }

  function judgeNotice(message, undoable) {
    const node = clear($('judge-notice'));
    node.hidden = !message;
    node.append(message);
    if (undoable) {
      node.append(h('button', { type: 'button', class: 'link', text: 'Undo', onclick: () => withdraw(undoable) }));
    }
  }

  function sendJudgement(method, body) {
    return callApi('/api/judgements', {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json',
        'X-Equipoise-Token': config.token },
      body: JSON.stringify(body),
    });
  }

  function eventsTable(events) {
    const names = ['Date', 'Actors', 'Event', 'Goldstein', 'Evidence', 'Document'];
    const judging = annotating || events.some((e) => e.judgement);
    if (judging) names.push('Judgement');
    const head = h('thead', {}, h('tr', {}, names
      .map((name, i) => h('th', { class: i === 3 ? 'num' : null, text: name }))));
    const rows = events.map((e) => {
      const g = e.goldstein;
      const link = safeLink(e.doc_link);
      const title = (e.doc_title || '').trim() || link || e.doc_id || '';
      const doc = h('td', { class: 'doc' }, [
        link ? h('a', { href: link, rel: 'noopener noreferrer nofollow', target: '_blank', text: title }) : title,
        (e.published || e.dataset) ? h('span', { class: 'sub', text: [e.published, e.dataset].filter(Boolean).join(' · ') }) : null,
      ]);
      return h('tr', {}, [
        h('td', { class: 'nowrap', text: formatDate(e.event_date, e.date_precision) }),
        actorCell(e),
        h('td', {}, [h('span', { class: 'code', text: e.cameo || '' }), h('br'),
          h('span', { class: `badge q${e.quad}`, text: e.quad_name || '' })]),
        h('td', { class: `num ${g > 0 ? 'pos' : g < 0 ? 'neg' : 'zero'}`, text: signed(g, 1) }),
        evidenceCell(e),
        doc,
        judging ? judgeCell(e) : null,
      ]);
    });
    return h('table', { class: 'events' }, [head, h('tbody', {}, rows)]);
  }

  function formatDate(value, precision) {
    if (!value) return '';
    if (precision === 'year') return value.slice(0, 4);
    if (precision === 'month') return value.slice(0, 7);
    return value.slice(0, 10);
  }

  // ------------------------------------------------------------------ UN votes

  async function drawUnvotes(params) {
    const container = $('un-chart');
    unvotes = null;
    const states = params.poles.split(',').filter((p) => !blocCodes.has(p));
    if (blocCodes.has(params.focal) || !states.length) {
      empty(container, 'UN votes compare states: choose a state as focal and at least one state pole.');
      return;
    }
    const seq = updateSeq;
    let body;
    try {
      // Every pole is sent, blocs too (the server leaves them out, as they cast no votes),
      // so that each state keeps the colour it has in the other charts.
      body = await getJSON('/api/unvotes', { focal: params.focal, poles: params.poles, by: 'session' });
    } catch (err) {
      if (seq === updateSeq) empty(container, err.message);
      return;
    }
    if (seq !== updateSeq) return;
    unvotes = body;
    drawUnvotesChart(body);
  }

  function drawUnvotesChart(body) {
    const container = $('un-chart');
    const spec = (body.charts || {})['un-s-score'];
    if (!spec || !spec.x.length) { empty(container, 'No common roll calls.'); return; }
    Charts.lineChart(container, spec, { height: 280, format: (v) => plain(v) });
    exportButtons(container, 'un-votes');
  }

  // ------------------------------------------------------------------ map of places

  const SVG_NS = 'http://www.w3.org/2000/svg';
  // Mirrors equipoise.outputs.maps (QUAD_COLOURS, radii); /api/places sends the colours too.
  const PLACE_RADIUS = { max: 60, min: 9 };
  let outlines = null; // /api/outlines, fetched once

  function svgNode(name, attrs, parent) {
    const node = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (parent) parent.append(node);
    return node;
  }

  function placeTitle(p) {
    const counts = QUADS.filter((q) => p[q.key]).map((q) => `${p[q.key]} ${q.name}`);
    const name = p.place || `${p.latitude.toFixed(2)}, ${p.longitude.toFixed(2)}`;
    return `${name}: ${plural(p.n_events, 'event')}` + (counts.length ? ` (${counts.join(', ')})` : '');
  }

  /** The map of /api/places: shown only when some event of the view has coordinates. */
  async function drawPlaces(params) {
    const card = $('places-card');
    const seq = updateSeq;
    let body;
    try {
      const ask = { focal: params.focal, poles: params.poles, start: params.start, end: params.end };
      [body, outlines] = await Promise.all([
        getJSON('/api/places', ask), outlines || getJSON('/api/outlines'),
      ]);
    } catch (err) {
      if (seq === updateSeq) card.hidden = true;
      return;
    }
    if (seq !== updateSeq) return;
    card.hidden = !body.places.length;
    if (!body.places.length) return;
    $('places-note').textContent = `${body.located.toLocaleString()} of ${plural(body.events, 'event')} ` +
      `have a place from their dataset, at ${plural(body.places.length, 'place')}. A circle's area ` +
      'follows its number of events; its colour is the quad class most of them have.';
    const container = clear($('places-map'));
    const [x0, y0, w, hgt] = outlines.view_box.split(' ').map(Number);
    const svg = svgNode('svg', { viewBox: outlines.view_box, role: 'img',
      'aria-label': `Where the events between ${body.focal} and ${joinAnd(body.poles)} took place` }, container);
    svgNode('rect', { x: x0, y: y0, width: w, height: hgt, fill: '#f5f8fb' }, svg);
    const land = svgNode('g', { fill: '#e4e7eb', stroke: '#9aa5b1', 'stroke-width': 0.6,
      'vector-effect': 'non-scaling-stroke' }, svg);
    for (const shape of outlines.outlines) svgNode('path', { d: shape.d }, land);
    const dots = svgNode('g', { stroke: '#ffffff', 'stroke-width': 1, 'fill-opacity': 0.8 }, svg);
    const most = Math.max(...body.places.map((p) => p.n_events));
    for (const p of body.places.slice().sort((a, b) => b.n_events - a.n_events)) {
      const r = Math.max(PLACE_RADIUS.min, PLACE_RADIUS.max * Math.sqrt(p.n_events / most));
      const dot = svgNode('circle', { cx: p.longitude * 10, cy: -p.latitude * 10, r: r.toFixed(1),
        fill: body.colours[String(p.quad)] || '#9aa5b1', 'vector-effect': 'non-scaling-stroke' }, dots);
      svgNode('title', {}, dot).textContent = placeTitle(p);
    }
    container.append(h('ul', { class: 'place-legend' }, QUADS.map((q) => h('li', {}, [
      h('i', { style: `background: ${body.colours[String(q.n)]}` }), q.name[0].toUpperCase() + q.name.slice(1),
    ]))));
    exportButtons(container, 'places');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
