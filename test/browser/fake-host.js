// The fake VS Code host of the browser harness: `acquireVsCodeApi` with getState/setState, and a
// host that answers the protocol's messages (src/protocol.ts) with a generated session. Every
// envelope the webview posts is kept in `window.__posted` for the tests to read.
//
// Query parameters: theme=light|dark, turns=N (default 60), fat=N (extra tool events per turn, to
// push the mark count past the canvas threshold).
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || e.sample}`));
  const TURNS = Number(params.get('turns') || 60);
  const FAT = Number(params.get('fat') || 0);
  document.documentElement.dataset.theme = params.get('theme') === 'dark' ? 'dark' : 'light';
  const SESSION = 'fake-session-1';
  /** Hostile transcript text: shown as text, it must never run. */
  const HOSTILE = 'Look: <script>window.__pwned = "script"</script> and <img src=x onerror="window.__pwned = \'img\'"> done';

  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

  function makeTimeline() {
    const events = [];
    const turns = [];
    let id = 100;
    for (let t = 1; t <= TURNS; t++) {
      let turnTokens = 0;
      const push = (e) => {
        const ev = { id: id++, turn: t, toolName: null, isError: false, r1: e.r1 ?? e.r0, ...e };
        turnTokens += ev.tokens;
        events.push(ev);
        return ev;
      };
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
      if (t === 30) push({ lane: 'compaction', kind: 'system', tokens: 50, r0: 'the agent compacted its context here (auto, 150,000 tokens before)' });
      push({ lane: 'assistant', kind: 'assistant_text', tokens: 80 + Math.round(rand() * 600), r0: t === 5 ? HOSTILE : `Fixed: the migration in turn ${t} now runs before open().` });
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

  const timeline = makeTimeline();
  const state = {
    type: 'didChangeState',
    sessions: [{ id: SESSION, title: timeline.title, cwd: '/work/project', turns: TURNS, tokens: 123456, updatedAt: '2026-11-23T12:00:00Z', inWorkspace: true }],
    selected: {
      id: SESSION,
      title: timeline.title,
      contextTokens: 84000,
      contextWindow: 200000,
      byKind: [{ kind: 'tool_result', tokens: 90000 }, { kind: 'assistant_text', tokens: 20000 }, { kind: 'user_prompt', tokens: 5000 }],
      turns: timeline.turns.map((t) => ({ index: t.index, tokens: t.tokens, prompt: t.digest.slice(0, 80) })),
    },
    budget: 8000,
    busy: '',
    mode: 'panel',
  };

  window.__posted = [];
  let saved;
  let nextId = 1;
  const reply = (body, inReplyTo) => setTimeout(() => window.postMessage({ messageId: nextId++, inReplyTo, body }, '*'), 0);
  window.acquireVsCodeApi = () => ({
    postMessage(envelope) {
      window.__posted.push(envelope);
      const body = envelope && envelope.body;
      if (!body) return;
      if (body.type === 'ready') reply(state, envelope.messageId);
      if (body.type === 'requestTimeline' && body.sessionId === SESSION) reply({ type: 'didLoadTimeline', timeline }, envelope.messageId);
    },
    getState: () => saved,
    setState: (s) => {
      saved = s;
    },
  });
})();
