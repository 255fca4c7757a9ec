// The fake VS Code host of the browser harness: `acquireVsCodeApi` with getState/setState, and a
// host that answers the protocol's messages (src/protocol.ts) with a generated session. Every
// envelope the webview posts is kept in `window.__posted` for the tests to read.
//
// Query parameters: theme=light|dark|hc, mode=sidebar, sessions=none, distiller=anthropic (the actions panel can run a read), passMs=N (its pace), turns=N (default 60), fat=N (extra tool events per turn, to
// push the mark count past the canvas threshold), graph=empty (a session with no graph yet).
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || e.sample}`));
  const TURNS = Number(params.get('turns') || 60);
  const FAT = Number(params.get('fat') || 0);
  const THEME = ['dark', 'hc'].includes(params.get('theme')) ? params.get('theme') : 'light';
  document.documentElement.dataset.theme = THEME;
  // What VS Code puts on a webview's body: the toolkit reads the theme kind from it.
  const THEME_KIND = { light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast' }[THEME];
  document.body.classList.add(THEME_KIND);
  document.body.dataset.vscodeThemeKind = THEME_KIND;
  const SESSION = 'fake-session-1';
  /** Hostile transcript text: shown as text, it must never run. */
  const HOSTILE = 'Look: <script>window.__pwned = "script"</script> and <img src=x onerror="window.__pwned = \'img\'"> done';

  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

  function makeTimeline() {
    const events = [];
    const turns = [];
    let id = 100;
    // The agent's context: it grows with every main-line event; past 150k the agent compacts it.
    let fill = 18000;
    for (let t = 1; t <= TURNS; t++) {
      let turnTokens = 0;
      const push = (e) => {
        const ev = { id: id++, turn: t, toolName: null, isError: false, r1: e.r1 ?? e.r0, ...e };
        turnTokens += ev.tokens;
        if (ev.lane !== 'subagent') fill += ev.tokens;
        events.push(ev);
        return ev;
      };
      if (fill > 150000) {
        push({ lane: 'compaction', kind: 'system', tokens: 50, r0: `the agent compacted its context here (auto, ${fill.toLocaleString('en-US')} tokens before)`, preTokens: fill });
        fill = 30000;
      }
      const prompt = t === 5 ? HOSTILE : `Turn ${t}: fix the failing test in src/store/db${t % 7}.ts`;
      push({ lane: 'prompt', kind: 'user_prompt', tokens: 40 + Math.round(rand() * 200), r0: prompt });
      push({ lane: 'thinking', kind: 'thinking', tokens: 100 + Math.round(rand() * 400), r0: 'Let me think about the schema…', r1: '' });
      const tools = 2 + Math.floor(rand() * 3) + FAT;
      for (let k = 0; k < tools; k++) {
        const path = `src/store/file${(t + k) % 9}.ts`;
        push({ lane: 'tool', kind: 'tool_call', toolName: 'Read', tokens: 20, r0: `Read ${path}` });
        const lines = 40 + Math.floor(rand() * 300);
        const tokens = 200 + Math.round(rand() * 4000);
        const r0 = t === 5 && k === 0 ? `${HOSTILE}\nline 2\nline 3` : `import { Database } from 'sql.js';\nexport function open${k}() {\n  …\n}\n// end of ${path}`;
        const handle = `e${id}`;
        const first = t === 5 && k === 0 ? [HOSTILE, 'line 2', 'line 3'] : [`import { Database } from 'sql.js';`, `export function open${k}() {`, '  const db = new Database();'];
        push({
          lane: 'tool',
          kind: 'tool_result',
          toolName: 'Read',
          tokens,
          r0,
          r1: `[output omitted — Read ${path}: ${lines} lines, errors: no — recall ${handle}]`,
          omitted: { placeholder: `[output omitted — Read ${path}: ${lines} lines, errors: no — recall ${handle}]`, toolName: `Read ${path}`, lines, isError: false, firstLines: first, lastLines: ['  return db;', '}', `// end of ${path}`], handle },
        });
      }
      if (t % 6 === 0) push({ lane: 'error', kind: 'tool_result', toolName: 'Bash', isError: true, tokens: 600, r0: 'FAIL test/db.test.ts\nExpected 3, received 2' });
      if (t === 20) push({ lane: 'subagent', kind: 'assistant_text', tokens: 1500, r0: 'Subagent: searched the codebase for callers of open()' });
      // The API's usage on the turn's answer: the context fill curve's real points.
      push({ lane: 'assistant', kind: 'assistant_text', tokens: 80 + Math.round(rand() * 600), r0: t === 5 ? HOSTILE : `Fixed: the migration in turn ${t} now runs before open().` }).fillAfter = fill;
      turns.push({
        index: t,
        tokens: turnTokens,
        digest: `**Turn ${t}** — ${t === 5 ? HOSTILE : `fix the failing test in src/store/db${t % 7}.ts`}\n- read: src/store/file${t % 9}.ts\n- outcome: tests pass`,
        archived: t <= TURNS - 8,
      });
    }
    const bands = [];
    for (let from = 1; from <= TURNS; from += 12) bands.push({ fromTurn: from, toTurn: Math.min(TURNS, from + 11), summary: `Turns ${from}–${Math.min(TURNS, from + 11)}: store migrations, ${from === 1 ? 'set up the schema' : 'fixed failing tests'}` });
    return {
      sessionId: SESSION,
      title: 'Fake session <img src=x onerror="window.__pwned=\'title\'">',
      outline: `# Fake session\nA store migration session, ${TURNS} turns; where it stands: tests pass.`,
      bands,
      turns,
      events,
      eventsOmitted: 0,
    };
  }

  /**
   * The session's graph, derived from the fake timeline so the two agree: files read and mentioned,
   * the functions a read file defines, the failing test's error and command, a few decisions (one
   * of them hostile HTML), and every turn. `graph=empty` answers an empty graph.
   */
  function makeGraph(tl) {
    const nodes = new Map();
    const edges = new Map();
    const node = (type, label) => {
      const key = `${type}:${label}`;
      if (!nodes.has(key)) nodes.set(key, { id: nodes.size + 1, type, label, weight: 0, turns: new Set() });
      return nodes.get(key);
    };
    const edge = (a, b, kind, w, turn) => {
      const key = `${a.id}>${b.id}:${kind}`;
      const e = edges.get(key) ?? { source: a.id, target: b.id, kind, weight: 0 };
      e.weight += w;
      edges.set(key, e);
      a.weight += w;
      b.weight += w;
      // What a turn reaches, or what an entity's text names, touches that turn.
      if (turn !== undefined) b.turns.add(turn);
    };
    const decisions = ['Run the migrations before open()', 'Keep one Database per store, never per request', 'Use WAL-free atomic saves: write, fsync, rename'];
    let lastRead = null;
    for (const ev of tl.events) {
      const turn = node('turn', `turn ${ev.turn}`);
      turn.turns.add(ev.turn);
      const path = /src\/store\/\w+\.ts/.exec(ev.r0)?.[0];
      if (ev.kind === 'user_prompt' && path) edge(turn, node('file', path), 'mentions', 1, ev.turn);
      if (ev.kind === 'tool_call' && ev.toolName === 'Read' && path) edge(turn, (lastRead = node('file', path)), 'read', 2, ev.turn);
      if (ev.kind === 'tool_result' && !ev.isError && lastRead) {
        const fn = /export function (\w+)/.exec(ev.r0)?.[1];
        if (fn) edge(lastRead, node('symbol', fn), 'defines', 1, ev.turn);
      }
      if (ev.isError) {
        const err = node('error', 'FAIL test/db.test.ts: Expected 3, received 2');
        const cmd = node('command', 'npm test');
        edge(turn, err, 'error', 2, ev.turn);
        edge(turn, cmd, 'ran', 1, ev.turn);
        edge(cmd, err, 'produced-error', 1);
        edge(err, node('file', 'test/db.test.ts'), 'mentions', 1, ev.turn);
      }
      if (ev.kind === 'assistant_text' && ev.lane === 'assistant') {
        if (ev.turn === 5) edge(turn, node('decision', HOSTILE_LABEL), 'decided', 1, ev.turn);
        else if (ev.turn % 4 === 3) edge(turn, node('decision', decisions[ev.turn % 3]), 'decided', 1, ev.turn);
      }
    }
    // The host's cut (src/core/recall/graph-view.ts): the 250 heaviest entities, then the 120 turns
    // joining the most weight among them.
    const all = [...nodes.values()];
    const entities = all.filter((n) => n.type !== 'turn').sort((a, b) => b.weight - a.weight).slice(0, 250);
    const kept = new Set(entities.map((n) => n.id));
    const joined = new Map();
    for (const e of edges.values()) if (kept.has(e.target) && all[e.source - 1].type === 'turn') joined.set(e.source, (joined.get(e.source) ?? 0) + e.weight);
    const turns = [...joined].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 120).map(([id]) => all[id - 1]);
    for (const n of turns) kept.add(n.id);
    const drawn = [...edges.values()].filter((e) => kept.has(e.source) && kept.has(e.target));
    const omitted = ['file', 'symbol', 'command', 'error', 'decision', 'turn']
      .map((type) => ({ type, count: all.filter((n) => n.type === type && !kept.has(n.id)).length }))
      .filter((o) => o.count > 0);
    return {
      sessionId: SESSION,
      nodes: [...entities, ...turns].map((n) => ({ ...n, turns: [...n.turns].sort((a, b) => a - b) })),
      edges: drawn,
      omitted,
      omittedEdges: edges.size - drawn.length,
    };
  }
  /** A graph node named by hostile transcript text: shown as text, it must never run. */
  const HOSTILE_LABEL = '<img src=x onerror="window.__pwned = \'graph\'">';

  // The real host builds its data in another process; here it blocks the page, so the benchmark
  // takes this time out of the webview's first paint (test/bench/webview.ts).
  const generating = performance.now();
  const timeline = makeTimeline();
  const graph = params.get('graph') === 'empty' ? { sessionId: SESSION, nodes: [], edges: [], omitted: [], omittedEdges: 0 } : makeGraph(timeline);
  window.__fakeHostMs = performance.now() - generating;
  // What the graph suite checks the drawing against.
  window.__fakeGraph = graph;
  // What the timeline suite checks the drawing against (every event with its text, before leanTimeline).
  window.__fakeTimeline = timeline;
  const state = {
    type: 'didChangeState',
    sessions: [{ id: SESSION, title: timeline.title, cwd: '/work/project', turns: TURNS, tokens: 123456, updatedAt: '2026-11-23T12:00:00Z', inWorkspace: true }],
    selected: {
      id: SESSION,
      title: timeline.title,
      contextTokens: 84000,
      contextSource: 'usage',
      contextWindow: 200000,
      byKind: [{ kind: 'tool_result', tokens: 90000 }, { kind: 'assistant_text', tokens: 20000 }, { kind: 'user_prompt', tokens: 5000 }],
      turns: timeline.turns.map((t) => ({ index: t.index, tokens: t.tokens, prompt: t.digest.slice(0, 80) })),
    },
    budget: 8000,
    busy: '',
    mode: 'panel',
  };

  /**
   * The actions panel's requests (webview/actions/), answered like the host would: a compaction
   * preview that fits below the budget (and does not fit under 2k), recall over the fake events'
   * text (the query `explode` fails), a read plan (runnable with `distiller=anthropic`) whose run
   * lands one pass every 60 ms (`passMs`) until cancelled, and range actions that scope the panel.
   */
  const DISTILLER = params.get('distiller') || 'extractive';
  const PASS_MS = Number(params.get('passMs') || 60);
  let readTimer;
  function answerAction(body, id) {
    const scope = {};
    if (body.fromTurn !== undefined) scope.fromTurn = body.fromTurn;
    if (body.toTurn !== undefined) scope.toTurn = body.toTurn;
    const from = body.fromTurn ?? 1;
    const to = body.toTurn ?? TURNS;
    const inScope = (turn) => turn >= from && turn <= to;
    if (body.type === 'requestCompactPreview') {
      const sessionTokens = timeline.turns.filter((t) => inScope(t.index)).reduce((n, t) => n + t.tokens, 0);
      if (body.budget < 2000) {
        reply({ type: 'didCompactPreview', sessionId: SESSION, budget: body.budget, tokens: 0, sessionTokens, header: '', levels: { none: 0, R2: 0, R1: 0, R0: 0 }, error: `a budget of ${body.budget} tokens is too small for this session: even its outline needs 1450 tokens. Move the slider right for a larger budget.`, ...scope }, id);
        return;
      }
      const turns = to - from + 1;
      const sharp = Math.min(turns, Math.floor(body.budget / 4000));
      const levels = { none: Math.max(0, turns - 8 - sharp), R2: Math.min(8, turns), R1: Math.min(sharp, turns), R0: body.budget >= 64000 ? 2 : 0 };
      reply({ type: 'didCompactPreview', sessionId: SESSION, budget: body.budget, tokens: Math.round(body.budget * 0.93) - 7, sessionTokens, header: body.budget < 4000 ? 'R4' : 'R3', levels, ...scope }, id);
    }
    if (body.type === 'requestRecall') {
      const q = body.query.toLowerCase();
      if (q === 'explode') {
        reply({ type: 'didRecall', query: body.query, hits: [], error: 'recall failed: the index is being rebuilt, try again in a moment', ...scope }, id);
        return;
      }
      const hits = timeline.events
        .filter((e) => inScope(e.turn) && e.r0.toLowerCase().includes(q))
        .slice(0, 20)
        .map((e, i) => ({ handle: `e${e.id}`, turn: e.turn, level: 'R0', snippet: e.r0.replace(/\s+/g, ' ').slice(0, 160), score: Math.round((1 - i / 25) * 1e4) / 1e4, archived: false }));
      reply({ type: 'didRecall', query: body.query, hits, ...scope }, id);
    }
    if (body.type === 'requestReadPlan' || body.type === 'runProgressiveRead') {
      const passes = [{ task: 'outline', level: 'R4+R3', fromTurn: from, toTurn: TURNS, sliceTokens: Math.round(body.window * 0.5) }];
      for (let a = from; a <= TURNS; a += 20) passes.push({ task: 'refine', level: 'R2', fromTurn: a, toTurn: Math.min(TURNS, a + 19), sliceTokens: Math.round(body.window * 0.6) });
      passes.push({ task: 'add detail', level: 'R1', fromTurn: Math.max(from, 12), toTurn: Math.max(from, 18), sliceTokens: Math.round(body.window * 0.55) });
      passes.push({ task: 'add detail', level: 'R0', fromTurn: TURNS - 1, toTurn: TURNS, sliceTokens: Math.round(body.window * 0.4) });
      const plan = {
        window: body.window,
        fromTurn: from,
        toTurn: TURNS,
        mode: 'progressive',
        passes: passes.map((p, i) => ({ ...p, pass: i + 1, promptTokens: p.sliceTokens + Math.round(body.window * 0.2) })),
        totalRead: 0,
        progressiveRead: 0,
        dense: { tokens: 123456, calls: Math.ceil(123456 / body.window) },
      };
      plan.totalRead = plan.progressiveRead = plan.passes.reduce((n, p) => n + p.promptTokens, 0);
      if (body.type === 'requestReadPlan') {
        const canRun = DISTILLER !== 'extractive';
        const runHint = canRun
          ? 'Runs with Anthropic; the API key comes from "Loupe: Set API Key" or ANTHROPIC_API_KEY.'
          : 'Running needs a model: the "extractive" distiller works offline and cannot read. Set loupe.distiller to "anthropic" (then "Loupe: Set API Key"), "openai-compatible" (with loupe.endpoint) or "vscode-lm" (your installed chat models).';
        reply({ type: 'didPlanRead', sessionId: SESSION, plan, distiller: DISTILLER, canRun, runHint }, id);
        return;
      }
      const levels = new Map();
      let k = 0;
      const next = () => {
        const p = plan.passes[k++];
        const level = { 'R4+R3': 3, R2: 2, R1: 1, R0: 0 }[p.level];
        for (let t = p.fromTurn; t <= p.toTurn; t++) if (level < (levels.get(t) ?? 4)) levels.set(t, level);
        reply({ type: 'didProgressPass', pass: k, of: plan.passes.length, levels: [...levels].sort((a, b) => a[0] - b[0]) }, id);
        if (k < plan.passes.length) readTimer = setTimeout(next, PASS_MS);
        else reply({ type: 'didFinishRead', status: 'done', message: `Read done: ${k} passes, 41,200 tokens in, 3,100 out` }, id);
      };
      readTimer = setTimeout(next, PASS_MS);
    }
    if (body.type === 'cancelProgressiveRead' && readTimer !== undefined) {
      clearTimeout(readTimer);
      readTimer = undefined;
      reply({ type: 'didFinishRead', status: 'cancelled', message: 'cancelled (read 3 stopped after 2 of 6 passes; continue it with --resume 3)' }, id);
    }
    if (body.type === 'runRangeAction') reply({ type: 'didScopeAction', action: body.action, sessionId: body.sessionId, fromTurn: body.fromTurn, toTurn: body.toTurn }, id);
  }

  // `sessions=none`: a host that has found no sessions yet (the empty state).
  if (params.get('sessions') === 'none') Object.assign(state, { sessions: [], selected: null });
  // `mode=sidebar`: the sidebar view (no timeline; the compact actions).
  if (params.get('mode') === 'sidebar') {
    state.mode = 'sidebar';
    document.body.className = document.body.className.replace('mode-panel', 'mode-sidebar');
  }

  window.__posted = [];
  // The debug handle: views register themselves here (only when it exists, i.e. only in the harness).
  window.__loupe = {};
  /**
   * What the timeline is sent (protocol TimelineData): the events lean, one array per field, their
   * text left for `requestEventDetail`; the fill curve at each answer; the agent's compactions.
   */
  function leanTimeline(tl) {
    const LANES = ['prompt', 'assistant', 'thinking', 'tool', 'error', 'subagent', 'compaction', 'system'];
    const events = { id: [], turn: [], lane: [], tokens: [], flags: [], label: [] };
    const contextFill = { estimated: false, eventIndex: [], tokens: [] };
    const compactions = [];
    tl.events.forEach((e, i) => {
      events.id.push(e.id);
      events.turn.push(e.turn);
      events.lane.push(LANES.indexOf(e.lane));
      events.tokens.push(e.tokens);
      events.flags.push((e.isError ? 1 : 0) | (e.omitted ? 2 : 0));
      events.label.push((e.omitted ? e.omitted.toolName : e.r0.replace(/\s+/g, ' ')).slice(0, 48));
      if (e.fillAfter !== undefined) {
        contextFill.eventIndex.push(i);
        contextFill.tokens.push(e.fillAfter);
      }
      if (e.preTokens !== undefined) compactions.push({ eventIndex: i, preTokens: e.preTokens });
    });
    const { sessionId, title, outline, bands, turns, eventsOmitted } = tl;
    return { sessionId, title, outline, bands, turns, events, eventsOmitted, contextFill, contextWindow: 200000, compactions };
  }

  /** One event's text, as the host's `eventDetail` answers it (ids run from 100 in order). */
  function eventDetail(eventId) {
    const e = timeline.events[eventId - 100];
    if (!e) return null;
    const detail = { id: e.id, turn: e.turn, kind: e.kind, toolName: e.toolName, tokens: e.tokens, isError: e.isError, r1: e.r1, r0: e.r0 };
    if (e.omitted) detail.omitted = e.omitted;
    return detail;
  }

  let saved;
  let nextId = 1;
  const reply = (body, inReplyTo) => setTimeout(() => window.postMessage({ messageId: nextId++, inReplyTo, body }, '*'), 0);
  window.acquireVsCodeApi = () => ({
    postMessage(envelope) {
      window.__posted.push(envelope);
      const body = envelope && envelope.body;
      if (!body) return;
      if (body.type === 'ready') reply(state, envelope.messageId);
      // ?fail=timeline,graph: the host cannot build them (a corrupt row, a bug) and says so.
      const failing = (params.get('fail') || '').split(',');
      const fail = (what) => reply({ type: 'didFailLoad', what, sessionId: SESSION, message: `Could not build the ${what}: <img src=x onerror="window.__pwned='fail'"> database disk image is malformed` }, envelope.messageId);
      if (body.type === 'requestTimeline' && body.sessionId === SESSION && failing.includes('timeline')) fail('timeline');
      else if (body.type === 'requestTimeline' && body.sessionId === SESSION) reply({ type: 'didLoadTimeline', timeline: leanTimeline(timeline) }, envelope.messageId);
      if (body.type === 'requestEventDetail' && body.sessionId === SESSION) reply({ type: 'didLoadEventDetail', sessionId: SESSION, eventId: body.eventId, detail: eventDetail(body.eventId) }, envelope.messageId);
      if (body.type === 'requestGraph' && body.sessionId === SESSION && failing.includes('graph')) fail('graph');
      else if (body.type === 'requestGraph' && body.sessionId === SESSION) reply({ type: 'didLoadGraph', graph }, envelope.messageId);
      answerAction(body, envelope.messageId);
    },
    getState: () => saved,
    setState: (s) => {
      saved = s;
    },
  });
})();
