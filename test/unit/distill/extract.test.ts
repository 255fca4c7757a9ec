import assert from 'node:assert/strict';
import { test } from 'node:test';
import { condense, decisions, errorKey, errorSignature, exactFacts, exitCode, sentences } from '../../../src/core/distill/extract';

test('sentences split prose but not paths, versions or code', () => {
  assert.deepEqual(sentences('I read src/db.ts and v1.2.3 works. Next, run `npm test`. Done!'), [
    'I read src/db.ts and v1.2.3 works.',
    'Next, run `npm test`.',
    'Done!',
  ]);
});

test('condense keeps the first sentences within the limit', () => {
  assert.equal(condense('First point. Second point. Third point.', 100), 'First point. Second point.');
  assert.ok(condense('x'.repeat(500), 50).length <= 50);
});

test('decisions are the sentences that decide, choose or reject', () => {
  const found = decisions(
    "I looked at the pool. We'll use argon2id instead of bcrypt for hashing. The tests pass. Let's not add a cache yet. Set the retry limit to 7.",
  );
  assert.deepEqual(found, ["We'll use argon2id instead of bcrypt for hashing.", "Let's not add a cache yet.", 'Set the retry limit to 7.']);
});

test('error signatures and the keys that collapse their repeats', () => {
  const out = 'running 12 tests\n  at foo (src/a.ts:12:5)\nTypeError: Cannot read properties of undefined (reading \'ledgerId\')\n    at bar (src/b.ts:40:11)';
  assert.equal(errorSignature(out), "TypeError: Cannot read properties of undefined (reading 'ledgerId')");
  assert.equal(errorSignature('all good\n12 passed'), null);
  assert.equal(errorKey('Error at src/a.ts:12:5 after 35ms'), errorKey('Error at src/a.ts:40:1 after 120ms'));
  assert.equal(exitCode('FAIL\nExit code 2'), 2);
});

test('exact facts are kept verbatim: code, paths, versions, numbers with units, URLs, settings', () => {
  const facts = exactFacts(
    'Bumped `pg` to v8.11.3 in package.json; the p95 went from 480 ms to 120 ms. Docs: https://example.com/x. Set timeout = 30s and port to 8443.',
  );
  for (const f of ['`pg`', 'v8.11.3', '480 ms', '120 ms', 'https://example.com/x', 'timeout = 30s', 'port to 8443']) {
    assert.ok(facts.includes(f), `${f} missing from ${JSON.stringify(facts)}`);
  }
});
