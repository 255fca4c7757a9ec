// Messages from the webview are validated before the host acts on them (and the reverse).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_FAILURE_LENGTH, parseFromWebview, parseToWebview, RANGE_ACTIONS, WEBVIEW_ACTIONS } from '../../../src/protocol';

test('a well-formed message from the webview is accepted with exactly its known fields', () => {
  assert.deepEqual(parseFromWebview({ messageId: 1, body: { type: 'ready', extra: '<script>' } }), { messageId: 1, body: { type: 'ready' } });
  assert.deepEqual(parseFromWebview({ messageId: 2, body: { type: 'selectSession', sessionId: 'abc-123' } }), {
    messageId: 2,
    body: { type: 'selectSession', sessionId: 'abc-123' },
  });
  assert.deepEqual(parseFromWebview({ messageId: 3, body: { type: 'runAction', action: 'compact', sessionId: 's1', budget: 8000 } })?.body, {
    type: 'runAction',
    action: 'compact',
    sessionId: 's1',
    budget: 8000,
  });
});

test('unknown types, unknown actions and bad arguments are rejected', () => {
  const bad = [
    null,
    'ready',
    { body: { type: 'ready' } },
    { messageId: 'x', body: { type: 'ready' } },
    { messageId: 1, body: { type: 'runCommand', command: 'workbench.action.terminal.new' } },
    { messageId: 1, body: { type: 'runAction', action: 'workbench.action.terminal.new' } },
    { messageId: 1, body: { type: 'runAction', action: 'compact', budget: -5 } },
    { messageId: 1, body: { type: 'runAction', action: 'compact', budget: 1.5 } },
    { messageId: 1, body: { type: 'selectSession', sessionId: '../../etc/passwd' } },
    { messageId: 1, body: { type: 'selectSession', sessionId: 'x'.repeat(500) } },
    { messageId: 1, body: { type: 'selectSession' } },
  ];
  for (const message of bad) assert.equal(parseFromWebview(message), undefined, JSON.stringify(message));
});

test('every action the webview can send is accepted', () => {
  for (const action of WEBVIEW_ACTIONS) assert.ok(parseFromWebview({ messageId: 1, body: { type: 'runAction', action } }));
});

/** Every message type the webview may send (src/protocol.ts, FromWebviewMessage). */
const FROM_WEBVIEW = [
  'ready', 'selectSession', 'runAction', 'requestTimeline', 'runRangeAction', 'requestEventDetail', 'requestGraph',
  'requestCompactPreview', 'runCompact', 'requestRecall', 'openRecallHit', 'requestReadPlan', 'runProgressiveRead', 'cancelProgressiveRead',
];

test('arbitrary input never throws and only ever yields a known message type', () => {
  fc.assert(
    fc.property(fc.anything(), fc.string(), fc.anything(), (junk, type, field) => {
      for (const data of [junk, { messageId: 1, body: { type, sessionId: field, action: field, budget: field } }]) {
        const parsed = parseFromWebview(data);
        if (parsed) assert.ok(FROM_WEBVIEW.includes(parsed.body.type), parsed.body.type);
        parseToWebview(data);
      }
    }),
  );
});

test('the webview accepts a state snapshot and rejects a malformed one', () => {
  const state = { type: 'didChangeState', sessions: [], selected: null, budget: 8000, busy: '', mode: 'sidebar' };
  assert.ok(parseToWebview({ messageId: 1, body: state }));
  assert.equal(parseToWebview({ messageId: 1, body: { ...state, sessions: 'x' } }), undefined);
  assert.equal(parseToWebview({ messageId: 1, body: { ...state, mode: 'other' } }), undefined);
});

test('the host accepts a timeline request and a range action, and rejects malformed ones', () => {
  assert.deepEqual(parseFromWebview({ messageId: 4, body: { type: 'requestTimeline', sessionId: 's1', extra: 1 } })?.body, { type: 'requestTimeline', sessionId: 's1' });
  const range = { type: 'runRangeAction', action: 'compact', sessionId: 's1', fromTurn: 3, toTurn: 7 };
  assert.deepEqual(parseFromWebview({ messageId: 5, body: { ...range, extra: '<script>' } })?.body, range);
  for (const action of RANGE_ACTIONS) assert.ok(parseFromWebview({ messageId: 6, body: { ...range, action } }));
  const bad = [
    { type: 'requestTimeline' },
    { type: 'requestTimeline', sessionId: '../x' },
    { ...range, action: 'export' },
    { ...range, fromTurn: 8 },
    { ...range, fromTurn: -1 },
    { ...range, toTurn: 2.5 },
    { ...range, sessionId: undefined },
  ];
  for (const body of bad) assert.equal(parseFromWebview({ messageId: 7, body }), undefined, JSON.stringify(body));
});

test('the webview accepts a timeline (lean event columns, fill curve, compactions) and rejects a malformed one', () => {
  const events = { id: [1, 2], turn: [1, 1], lane: [3, 3], tokens: [10, 400], flags: [0, 2], label: ['Read a.ts', 'Read a.ts'] };
  const timeline = {
    sessionId: 's1',
    title: 't',
    outline: 'o',
    bands: [{ fromTurn: 1, toTurn: 1, summary: 's' }],
    turns: [{ index: 1, tokens: 10, digest: 'd', archived: false }],
    events,
    eventsOmitted: 0,
    contextFill: { estimated: false, eventIndex: [0, 1], tokens: [1000, 1400] },
    contextWindow: 200000,
    compactions: [{ eventIndex: 1, preTokens: null }],
  };
  const ok = (t: unknown) => parseToWebview({ messageId: 1, body: { type: 'didLoadTimeline', timeline: t } }) !== undefined;
  assert.ok(ok(timeline));
  assert.ok(!ok({ ...timeline, events: { ...events, lane: [3, 8] } }), 'a lane out of range');
  assert.ok(!ok({ ...timeline, events: { ...events, label: ['a'] } }), 'columns of different lengths');
  assert.ok(!ok({ ...timeline, events: { ...events, flags: [0, 9] } }), 'unknown flags');
  assert.ok(!ok({ ...timeline, events: { ...events, tokens: [1, -1] } }));
  assert.ok(!ok({ ...timeline, contextFill: { estimated: false, eventIndex: [0, 2], tokens: [1, 2] } }), 'a fill point past the events');
  assert.ok(!ok({ ...timeline, contextWindow: 0 }));
  assert.ok(!ok({ ...timeline, compactions: [{ eventIndex: 5, preTokens: null }] }));
  assert.ok(!ok({ ...timeline, turns: [{ index: 1, tokens: 10 }] }));
  assert.ok(!ok({ ...timeline, bands: 'x' }));
  assert.ok(!ok(undefined));
});

test('an event detail is asked for by id and its answer validated, its omitted output too', () => {
  const request = { type: 'requestEventDetail', sessionId: 's1', eventId: 42 };
  assert.deepEqual(parseFromWebview({ messageId: 1, body: { ...request, extra: 1 } })?.body, request);
  for (const eventId of [0, -1, 1.5, '42', undefined]) assert.equal(parseFromWebview({ messageId: 1, body: { ...request, eventId } }), undefined);
  const omitted = { placeholder: '[output omitted]', toolName: 'Read a.ts', lines: 3, isError: false, firstLines: ['a'], lastLines: [], handle: 'e42' };
  const detail = { id: 42, turn: 1, kind: 'tool_result', toolName: 'Read', tokens: 10, isError: false, r1: '[output omitted]', r0: 'x', omitted };
  const ok = (body: Record<string, unknown>) => parseToWebview({ messageId: 2, body: { type: 'didLoadEventDetail', sessionId: 's1', eventId: 42, ...body } }) !== undefined;
  assert.ok(ok({ detail }));
  assert.ok(ok({ detail: null }));
  assert.ok(!ok({ detail: { ...detail, id: 43 } }), 'the answer is for another event');
  assert.ok(!ok({ detail: { ...detail, r0: 5 } }));
  assert.ok(!ok({ detail: { ...detail, omitted: { ...omitted, firstLines: [1] } } }));
});

test('the webview accepts a load failure of the timeline or the graph, and rejects a malformed one', () => {
  const failure = { type: 'didFailLoad', what: 'graph', sessionId: 's1', message: 'Could not build the graph: disk I/O error' };
  assert.deepEqual(parseToWebview({ messageId: 1, body: failure })?.body, failure);
  assert.ok(parseToWebview({ messageId: 1, body: { ...failure, what: 'timeline' } }));
  for (const bad of [{ ...failure, what: 'actions' }, { ...failure, sessionId: 42 }, { ...failure, message: 7 }, { ...failure, message: 'x'.repeat(MAX_FAILURE_LENGTH + 1) }]) {
    assert.equal(parseToWebview({ messageId: 1, body: bad }), undefined, JSON.stringify(bad).slice(0, 80));
  }
});
