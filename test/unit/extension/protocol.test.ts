// Messages from the webview are validated before the host acts on them (and the reverse).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseFromWebview, parseToWebview, RANGE_ACTIONS, WEBVIEW_ACTIONS } from '../../../src/protocol';

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

test('arbitrary input never throws and only ever yields a known message type', () => {
  fc.assert(
    fc.property(fc.anything(), fc.string(), fc.anything(), (junk, type, field) => {
      for (const data of [junk, { messageId: 1, body: { type, sessionId: field, action: field, budget: field } }]) {
        const parsed = parseFromWebview(data);
        if (parsed) assert.ok(['ready', 'selectSession', 'runAction', 'requestTimeline', 'runRangeAction'].includes(parsed.body.type));
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

test('the webview accepts a timeline and rejects a malformed one', () => {
  const event = { id: 1, turn: 1, lane: 'tool', kind: 'tool_result', toolName: 'Read', tokens: 10, isError: false, r1: '[output omitted]', r0: 'x' };
  const omitted = { placeholder: '[output omitted]', toolName: 'Read a.ts', lines: 3, isError: false, firstLines: ['a'], lastLines: [], handle: 'e1' };
  const timeline = { sessionId: 's1', title: 't', outline: 'o', bands: [{ fromTurn: 1, toTurn: 1, summary: 's' }], turns: [{ index: 1, tokens: 10, digest: 'd', archived: false }], events: [{ ...event, omitted }], eventsOmitted: 0 };
  const ok = (t: unknown) => parseToWebview({ messageId: 1, body: { type: 'didLoadTimeline', timeline: t } }) !== undefined;
  assert.ok(ok(timeline));
  assert.ok(!ok({ ...timeline, events: [{ ...event, lane: 'nope' }] }));
  assert.ok(!ok({ ...timeline, events: [{ ...event, r0: 5 }] }));
  assert.ok(!ok({ ...timeline, events: [{ ...event, omitted: { ...omitted, firstLines: [1] } }] }));
  assert.ok(!ok({ ...timeline, turns: [{ index: 1, tokens: 10 }] }));
  assert.ok(!ok({ ...timeline, bands: 'x' }));
  assert.ok(!ok(undefined));
});
