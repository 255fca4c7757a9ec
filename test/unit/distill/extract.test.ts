import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignments, condense, decisions, errorKey, errorSignature, exactFacts, exitCode, sentences } from '../../../src/core/distill/extract';

test('sentences split prose but not paths, versions or code', () => {
  assert.deepEqual(sentences('I read src/db.ts and v1.2.3 works. Next, run `npm test`. Done!'), [
    'I read src/db.ts and v1.2.3 works.',
    'Next, run `npm test`.',
    'Done!',
  ]);
});

test('a sentence does not carry its list marker', () => {
  assert.deepEqual(sentences('Plan:\n- prefer ruby for the script\n1. .env.example is copied first'), [
    'Plan:',
    'prefer ruby for the script',
    '.env.example is copied first',
  ]);
});

test('values set keep the whole value: URLs, paths and quoted strings', () => {
  const values = (text: string) => assignments(text).map((a) => a.text);
  assert.deepEqual(values('Use POLYGON_RPC_URL=https://rpc.ankr.com/polygon/KEY for the node.'), ['POLYGON_RPC_URL=https://rpc.ankr.com/polygon/KEY']);
  assert.deepEqual(values('const API_URL = "https://a.example/v1?x=1";'), ['API_URL = "https://a.example/v1?x=1"']);
  assert.deepEqual(values('(with DB_PATH=./data/app.db), then PAGE_SIZE = 250.'), ['DB_PATH=./data/app.db', 'PAGE_SIZE = 250']);
  assert.deepEqual(values("set FOO_BAR='a b' and RETRY_LIMIT: 7"), ["FOO_BAR='a b'", 'RETRY_LIMIT: 7']);
});

test('values set need a name that is an identifier and a value that is not a word of a sentence', () => {
  const values = (text: string) => assignments(text).map((a) => a.text);
  // Labels in prose: an all-caps word before a colon is a heading of what follows.
  assert.deepEqual(values('MANDATORY: READ the guide first. URL: https://example.com/x. NOTE: none'), []);
  // A constant's bare word counts when it ends its clause, not when a sentence goes on.
  assert.deepEqual(values('NODE_ENV: production\nMAX_RETRIES: we should raise it'), ['NODE_ENV: production']);
  assert.deepEqual(values('PAGE_SIZE: number; API_URL = process.env.API_URL ?? "x"; FOO_BAR = {'), []);
  // A name that could be a variable takes only a literal; a dotted key only with '='.
  assert.deepEqual(values('retry_limit: 7, node_env: production, pageSize = 250, server.port=8080, package.json: 3'), [
    'retry_limit: 7',
    'pageSize = 250',
    'server.port=8080',
  ]);
  // A plain all-caps name is the shell's `PORT=8080`, or `PORT = 8080` with a literal.
  assert.deepEqual(values('PORT=8080 npm start; HOST = localhost; LIMIT = 10'), ['PORT=8080', 'LIMIT = 10']);
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
