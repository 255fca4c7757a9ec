// The actions panel's messages (src/protocol.ts): each is validated field by field on arrival,
// rebuilt from its known fields on the host side, and rejected when any field is malformed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseFromWebview, parseToWebview } from '../../../src/protocol';

const from = (body: unknown) => parseFromWebview({ messageId: 1, body })?.body;
const to = (body: unknown) => parseToWebview({ messageId: 1, body })?.body;

test('requestCompactPreview and runCompact: a session, a budget, an optional turn range', () => {
  const preview = { type: 'requestCompactPreview', sessionId: 's1', budget: 8000 };
  assert.deepEqual(from({ ...preview, extra: '<script>' }), preview);
  assert.deepEqual(from({ ...preview, fromTurn: 3, toTurn: 7 }), { ...preview, fromTurn: 3, toTurn: 7 });
  assert.deepEqual(from({ ...preview, fromTurn: 3 }), { ...preview, fromTurn: 3 });
  for (const target of ['open', 'clipboard']) assert.deepEqual(from({ ...preview, type: 'runCompact', target }), { ...preview, type: 'runCompact', target });
  const bad = [
    { ...preview, budget: 0 },
    { ...preview, budget: 1.5 },
    { ...preview, budget: '8000' },
    { ...preview, budget: 1e12 },
    { ...preview, sessionId: '../../x' },
    { ...preview, fromTurn: 8, toTurn: 7 },
    { ...preview, fromTurn: -1 },
    { ...preview, toTurn: 'end' },
    { ...preview, type: 'runCompact' },
    { ...preview, type: 'runCompact', target: 'file' },
  ];
  for (const body of bad) assert.equal(from(body), undefined, JSON.stringify(body));
});

test('requestRecall (also sent by the graph) and openRecallHit', () => {
  const r = { type: 'requestRecall', sessionId: 's1', query: 'cookie jar' };
  assert.deepEqual(from(r), r);
  assert.deepEqual(from({ ...r, fromTurn: 2, toTurn: 2 }), { ...r, fromTurn: 2, toTurn: 2 });
  assert.equal(from({ ...r, query: 5 }), undefined);
  assert.equal(from({ ...r, query: 'x'.repeat(1001) }), undefined);
  assert.ok(from({ ...r, query: 'a decision, as long as a graph label can be '.repeat(20) }));
  assert.equal(from({ ...r, sessionId: undefined }), undefined);
  assert.equal(from({ ...r, fromTurn: 3, toTurn: 1 }), undefined);
  assert.deepEqual(from({ type: 'openRecallHit', handle: 'e512' }), { type: 'openRecallHit', handle: 'e512' });
  assert.deepEqual(from({ type: 'openRecallHit', handle: 'u45' }), { type: 'openRecallHit', handle: 'u45' });
  for (const handle of ['512', 'e', 'x12', 'e12; rm -rf', 'e1'.padEnd(40, '1'), 12]) assert.equal(from({ type: 'openRecallHit', handle }), undefined, String(handle));
});

test('requestReadPlan, runProgressiveRead and cancelProgressiveRead', () => {
  const plan = { type: 'requestReadPlan', sessionId: 's1', window: 32000 };
  assert.deepEqual(from(plan), plan);
  assert.deepEqual(from({ ...plan, fromTurn: 12, question: 'why did the tests fail?' }), { ...plan, fromTurn: 12, question: 'why did the tests fail?' });
  assert.deepEqual(from({ ...plan, type: 'runProgressiveRead', toTurn: 3 }), { ...plan, type: 'runProgressiveRead' }, 'unknown fields dropped');
  assert.deepEqual(from({ type: 'cancelProgressiveRead', runId: 3 }), { type: 'cancelProgressiveRead' });
  for (const body of [{ ...plan, window: 0 }, { ...plan, window: undefined }, { ...plan, fromTurn: 1.5 }, { ...plan, question: {} }, { ...plan, sessionId: '' }]) {
    assert.equal(from(body), undefined, JSON.stringify(body));
  }
});

test('didCompactPreview: counts and levels checked', () => {
  const ok = { type: 'didCompactPreview', sessionId: 's1', budget: 8000, tokens: 7412, sessionTokens: 123456, header: 'R3', levels: { none: 40, R2: 8, R1: 2, R0: 0 } };
  assert.ok(to(ok));
  assert.ok(to({ ...ok, fromTurn: 3, toTurn: 9, error: 'too small' }));
  for (const body of [{ ...ok, tokens: -1 }, { ...ok, header: 'R2' }, { ...ok, levels: { none: 1, R2: 1, R1: 1 } }, { ...ok, error: 3 }, { ...ok, fromTurn: 9, toTurn: 3 }, { ...ok, sessionId: 7 }]) {
    assert.equal(to(body), undefined, JSON.stringify(body));
  }
});

test('didRecall: every hit checked', () => {
  const hit = { handle: 'e12', turn: 5, level: 'R0', snippet: '<img src=x onerror=alert(1)>', score: 0.93, archived: false };
  const ok = { type: 'didRecall', query: 'img', hits: [hit] };
  assert.ok(to(ok));
  assert.ok(to({ ...ok, hits: [], error: 'the index is being rebuilt' }));
  for (const bad of [{ ...hit, handle: 'x' }, { ...hit, level: 'R9' }, { ...hit, score: NaN }, { ...hit, turn: -2 }, { ...hit, archived: 'no' }]) {
    assert.equal(to({ ...ok, hits: [hit, bad] }), undefined, JSON.stringify(bad));
  }
  assert.equal(to({ ...ok, hits: 'none' }), undefined);
});

test('didPlanRead, didProgressPass, didFinishRead, didScopeAction', () => {
  const pass = { pass: 1, task: 'outline', level: 'R4+R3', fromTurn: 1, toTurn: 60, sliceTokens: 9000, promptTokens: 14000 };
  const plan = { window: 32000, fromTurn: 1, toTurn: 60, mode: 'progressive', passes: [pass], totalRead: 14000, progressiveRead: 14000, dense: { tokens: 123456, calls: 5 } };
  const ok = { type: 'didPlanRead', sessionId: 's1', plan, distiller: 'extractive', canRun: false, runHint: 'Running needs a model' };
  assert.ok(to(ok));
  assert.ok(to({ ...ok, plan: null, error: 'window too small' }));
  assert.equal(to({ ...ok, plan: { ...plan, passes: [{ ...pass, sliceTokens: -5 }] } }), undefined);
  assert.equal(to({ ...ok, plan: { ...plan, dense: null } }), undefined);
  assert.ok(to({ ...ok, plan: { ...plan, mode: 'dense' } }));
  assert.equal(to({ ...ok, plan: { ...plan, mode: 'sparse' } }), undefined);
  assert.equal(to({ ...ok, plan: { ...plan, progressiveRead: undefined } }), undefined);
  assert.equal(to({ ...ok, canRun: 'yes' }), undefined);

  assert.ok(to({ type: 'didProgressPass', pass: 2, of: 6, levels: [[1, 3], [2, 2]] }));
  for (const levels of [[[1, 5]], [[1]], [[-1, 2]], [['1', 2]], 'all']) assert.equal(to({ type: 'didProgressPass', pass: 2, of: 6, levels }), undefined, JSON.stringify(levels));

  assert.ok(to({ type: 'didFinishRead', status: 'cancelled', message: 'stopped' }));
  assert.equal(to({ type: 'didFinishRead', status: 'exploded', message: '' }), undefined);

  assert.ok(to({ type: 'didScopeAction', action: 'recall', sessionId: 's1', fromTurn: 10, toTurn: 14 }));
  assert.equal(to({ type: 'didScopeAction', action: 'export', sessionId: 's1', fromTurn: 10, toTurn: 14 }), undefined);
  assert.equal(to({ type: 'didScopeAction', action: 'recall', sessionId: 's1', fromTurn: 14, toTurn: 10 }), undefined);
});

test('arbitrary field values never throw and never pass as an actions message with a wrong field type', () => {
  const types = ['requestCompactPreview', 'runCompact', 'requestRecall', 'openRecallHit', 'requestReadPlan', 'runProgressiveRead', 'didCompactPreview', 'didRecall', 'didPlanRead', 'didProgressPass', 'didFinishRead', 'didScopeAction'];
  fc.assert(
    fc.property(fc.constantFrom(...types), fc.anything(), fc.anything(), (type, a, b) => {
      const body = { type, sessionId: a, budget: b, query: a, handle: a, window: b, fromTurn: b, levels: a, hits: a, plan: a, status: a };
      const parsed = parseFromWebview({ messageId: 1, body });
      if (parsed && 'sessionId' in parsed.body) assert.equal(typeof parsed.body.sessionId, 'string');
      if (parsed && 'budget' in parsed.body) assert.ok(Number.isSafeInteger(parsed.body.budget));
      parseToWebview({ messageId: 1, body });
    }),
  );
});
