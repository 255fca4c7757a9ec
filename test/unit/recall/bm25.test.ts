// BM25 from FTS4's matchinfo: the registered function against scores computed by hand, and the
// query builder's identifier handling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bm25 } from '../../../src/core/recall/bm25';
import { buildMatch, camelParts, identifierParts, joinedSuffixes } from '../../../src/core/recall/terms';
import { openStore } from '../../../src/core/store/store';

async function scores(docs: string[], query: string): Promise<Map<number, number>> {
  const store = await openStore(':memory:');
  store.db.run('CREATE VIRTUAL TABLE t USING fts4(body, tokenize=unicode61)');
  docs.forEach((d, i) => store.db.run('INSERT INTO t (docid, body) VALUES (?, ?)', [i + 1, d]));
  const rows = store.db.exec("SELECT docid, loupe_bm25(matchinfo(t, 'pcnalx')) FROM t WHERE t MATCH ?", [query])[0]?.values ?? [];
  store.close();
  return new Map(rows.map((r) => [Number(r[0]), Number(r[1])]));
}

const DOCS = ['apple banana apple', 'banana cherry', 'cherry cherry cherry date'];

test('loupe_bm25 matches hand-computed Okapi BM25 (k1 = 1.2, b = 0.75, 3 docs, average length 3)', async () => {
  // "apple": df 1 → idf = ln(1 + 2.5/1.5); doc 1 has tf 2 and length 3 (= average) → 2·2.2/(2 + 1.2).
  const apple = await scores(DOCS, 'apple');
  assert.deepEqual([...apple.keys()], [1]);
  assert.ok(Math.abs(apple.get(1)! - Math.log(1 + 2.5 / 1.5) * ((2 * 2.2) / (2 + 1.2))) < 1e-9);
  assert.ok(Math.abs(apple.get(1)! - 1.348640) < 1e-6);
  // "cherry": df 2 → idf = ln(1.6). Doc 2: tf 1, length 2 → 2.2/(1 + 1.2·0.75). Doc 3: tf 3, length 4 → 6.6/(3 + 1.2·1.25).
  const cherry = await scores(DOCS, 'cherry');
  assert.ok(Math.abs(cherry.get(2)! - 0.544215) < 1e-6, String(cherry.get(2)));
  assert.ok(Math.abs(cherry.get(3)! - 0.689339) < 1e-6, String(cherry.get(3)));
  // Two words: the scores add up.
  const both = await scores(DOCS, 'apple OR banana');
  const banana = Math.log(1.6) * (2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 3 / 3)));
  assert.ok(Math.abs(both.get(1)! - (1.348640 + banana)) < 1e-5);
});

test('bm25 reads phrases, columns, rows, averages, lengths and hit triples out of the matchinfo blob', () => {
  const blob = (ints: number[]) => new Uint8Array(new Uint32Array(ints).buffer);
  // One phrase, one column: 3 rows of average length 3; this row has length 4 and 3 hits; 2 rows hit.
  assert.ok(Math.abs(bm25(blob([1, 1, 3, 3, 4, 3, 5, 2])) - 0.689339) < 1e-6);
  // Two phrases × two columns, averages [3, 10], lengths [4, 5]; phrase 0 hits column 0 three times
  // (df 2), phrase 1 hits column 1 once (df 1); the zero triples add nothing.
  const two = blob([2, 2, 3, 3, 10, 4, 5, 3, 5, 2, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  const term = (tf: number, df: number, len: number, avg: number, w = 1) =>
    (w * Math.log(1 + (3 - df + 0.5) / (df + 0.5)) * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * len) / avg));
  assert.ok(Math.abs(bm25(two) - (term(3, 2, 4, 3) + term(1, 1, 5, 10))) < 1e-12);
  // Column weights apply per column.
  assert.ok(Math.abs(bm25(two, [1, 0.5]) - (term(3, 2, 4, 3) + term(1, 1, 5, 10, 0.5))) < 1e-12);
  // A blob too short for its own header is an error, not a score read out of bounds.
  assert.throws(() => bm25(blob([2, 2, 3, 3, 10, 4, 5])), /too short/);
});

test('camelCase words are split into parts; snake_case, paths and dotted names become phrases', () => {
  assert.deepEqual(camelParts('HTTPServerError'), ['http', 'server', 'error']);
  assert.deepEqual(camelParts('getUserName'), ['get', 'user', 'name']);
  assert.equal(identifierParts('call getUserName and getUserName, then parseJSON'), 'get user name\nparse json');
  assert.equal(identifierParts('plain words only'), '');
  // Paths, dotted and snake_case names also as their joined suffixes: one rare token each.
  assert.equal(identifierParts('see lib/db/pool.ts and only_here'), 'libdbpoolts dbpoolts poolts onlyhere');
  // At most six pieces: a long path's head is not how people name it.
  assert.equal(identifierParts('a/b/c/d/e/f/g.h'), 'cdefgh defgh efgh fgh gh');
  assert.equal(identifierParts('getUserName in src/getUserName.ts'), 'get user name\nsrcgetusernamets getusernamets');
  assert.deepEqual(joinedSuffixes(['lib', 'db', 'pool', 'ts']), ['libdbpoolts', 'dbpoolts', 'poolts']);
  assert.equal(buildMatch('lib/db/pool.ts').terms[0]!.joined, 'parts:libdbpoolts');
  assert.equal(buildMatch('pool*').terms[0]!.joined, undefined);
  assert.equal(buildMatch('snake_case_value').match, '"snake case value"');
  assert.equal(buildMatch('lib/http/cookieJar.ts').match, '"lib http cookiejar ts" OR "cookie jar"');
  assert.equal(buildMatch('UserName').match, '"username" OR "user name"');
  assert.equal(buildMatch('retry*').match, '"retry*"');
  assert.equal(buildMatch('"NEAR" OR').match, '"near" OR "or"');
  assert.equal(buildMatch('  ,, ').match, '');
});
