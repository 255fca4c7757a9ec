// Migrations: every older database reaches exactly the schema a fresh one has, keeps its rows,
// and a database from a newer Loupe is refused without being touched.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Database, SqlValue } from 'sql.js';
import { DatabaseFile } from '../../../src/core/store/database';
import { migrate, readSchemaVersion, SchemaTooNewError } from '../../../src/core/store/migrate';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqlite';
import { scalar, schemaOf, tempDir } from './helpers';

interface Seed {
  table: string;
  values: Record<string, SqlValue>;
}

/**
 * Puts one row in every table of `db`, built from the table's declared columns, so the test keeps
 * working as the schema grows. Shadow tables of full-text indexes are filled by their index.
 */
function seedEveryTable(db: Database): Seed[] {
  const tables = db.exec("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_version'")[0]?.values ?? [];
  const virtual = tables.filter(([, sql]) => /^CREATE VIRTUAL TABLE/i.test(String(sql))).map(([name]) => String(name));
  const seeds: Seed[] = [];
  const externalContent: string[] = [];
  for (const [nameValue, sqlValue] of tables) {
    const table = String(nameValue);
    if (virtual.some((v) => table.startsWith(`${v}_`))) continue;
    // An external-content index (content=…) has no rows of its own: it is rebuilt from its content below.
    if (/^CREATE VIRTUAL TABLE[^(]*\([^)]*\bcontent\s*=/i.test(String(sqlValue))) {
      externalContent.push(table);
      continue;
    }
    const values: Record<string, SqlValue> = {};
    for (const [i, col] of columnsOf(db, table).entries()) {
      const type = col.type.toUpperCase();
      values[col.name] = type.includes('INT') ? 1000 + i : type.includes('BLOB') ? new Uint8Array([i, 7]) : type.includes('REAL') ? i + 0.5 : `seed ${table}.${col.name}`;
    }
    const names = Object.keys(values);
    db.run(`INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, Object.values(values));
    seeds.push({ table, values });
  }
  // quick_check verifies such an index against its content: index the seeded rows.
  for (const table of externalContent) db.run(`INSERT INTO "${table}" ("${table}") VALUES ('rebuild')`);
  return seeds;
}

function columnsOf(db: Database, table: string): { name: string; type: string }[] {
  return (db.exec(`PRAGMA table_info("${table}")`)[0]?.values ?? []).map((r) => ({ name: String(r[1]), type: String(r[2]) }));
}

/**
 * Columns a migration derives again from other columns (so their seeded value may change): the
 * recall index's identifier column, recomputed from the text by migration 7.
 */
const DERIVED = new Set(['recall_docs.parts']);

/**
 * Tables of derived data that migration 10 empties, to be built again from the events: the semantic
 * graph, whose file and symbol nodes gained their project (the old graph cannot be split by project).
 */
const REBUILT = new Set(['graph_nodes', 'graph_edges', 'graph_contrib', 'graph_stale', 'recall_latest_read', 'recall_superseded']);
const REBUILT_BY = 10;

/** The seeded row is still there, with the same value in every column that still exists. */
function assertSeedSurvived(db: Database, seed: Seed, context: string, from: number): void {
  if (REBUILT.has(seed.table) && from < REBUILT_BY) {
    assert.equal(scalar(db, `SELECT COUNT(*) FROM "${seed.table}"`), 0, `${context}: ${seed.table} is emptied for the rebuild`);
    return;
  }
  const columns = new Set(columnsOf(db, seed.table).map((c) => c.name));
  assert.ok(columns.size > 0, `${context}: table ${seed.table} disappeared`);
  const kept = Object.entries(seed.values).filter(([name]) => columns.has(name) && !DERIVED.has(`${seed.table}.${name}`));
  const where = kept.map(([name]) => `"${name}" IS ?`).join(' AND ');
  const found = scalar(db, `SELECT COUNT(*) FROM "${seed.table}" WHERE ${where}`, kept.map(([, v]) => v));
  assert.equal(found, 1, `${context}: the row seeded in ${seed.table} did not survive`);
}

async function databaseAt(version: number): Promise<{ db: Database; seeds: Seed[] }> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db, MIGRATIONS.slice(0, version));
  return { db, seeds: seedEveryTable(db) };
}

test('every older schema version migrates to exactly the fresh schema and keeps its rows', async () => {
  const fresh = await databaseAt(SCHEMA_VERSION);
  const expected = schemaOf(fresh.db);
  fresh.db.close();
  for (let v = 0; v < SCHEMA_VERSION; v++) {
    const { db, seeds } = await databaseAt(v);
    assert.equal(readSchemaVersion(db), v);
    if (v > 0) assert.ok(seeds.length > 0, `v${v} has tables to seed`);
    assert.deepEqual(migrate(db), { from: v, to: SCHEMA_VERSION }, `from v${v}`);
    assert.deepEqual(schemaOf(db), expected, `schema after migrating from v${v}`);
    for (const seed of seeds) assertSeedSurvived(db, seed, `v${v}→v${SCHEMA_VERSION}`, v);
    // Every session the old graph had recorded is queued to be graphed again.
    const recorded = seeds.find((s) => s.table === 'recall_progress');
    if (recorded && v < REBUILT_BY) {
      assert.equal(scalar(db, 'SELECT COUNT(*) FROM graph_rebuild WHERE session = ? AND next_event = 0', [recorded.values.session!]), 1, `v${v}: the rebuild is queued`);
    }
    const history = db.exec('SELECT version FROM schema_version ORDER BY version')[0]?.values.map((r) => r[0]);
    assert.deepEqual(history, MIGRATIONS.map((m) => m.version));
    db.close();
  }
});

test('migrating an up-to-date database does nothing', async () => {
  const { db } = await databaseAt(SCHEMA_VERSION);
  assert.deepEqual(migrate(db), { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
  db.close();
});

test('a database from a newer Loupe is refused and left untouched', async () => {
  const { db } = await databaseAt(SCHEMA_VERSION);
  db.run("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'from the future', '2099-01-01')", [
    SCHEMA_VERSION + 1,
  ]);
  const before = db.export();
  assert.throws(
    () => migrate(db),
    (err: unknown) =>
      err instanceof SchemaTooNewError &&
      err.found === SCHEMA_VERSION + 1 &&
      err.supported === SCHEMA_VERSION &&
      err.message.includes(`schema version ${SCHEMA_VERSION + 1}`) &&
      /update Loupe/.test(err.message),
  );
  assert.deepEqual(db.export(), before);
  db.close();
});

test('DatabaseFile.open refuses a newer database file without moving, migrating or saving it', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'loupe.db');
  const { db } = await databaseAt(SCHEMA_VERSION);
  db.run("INSERT INTO schema_version VALUES (?, 'from the future', '2099-01-01')", [SCHEMA_VERSION + 7]);
  writeFileSync(file, db.export());
  db.close();
  const bytes = readFileSync(file);
  const notices: string[] = [];
  await assert.rejects(DatabaseFile.open(file, { onNotice: (m) => notices.push(m) }), SchemaTooNewError);
  assert.deepEqual(readFileSync(file), bytes);
  assert.deepEqual(readdirSync(dir), ['loupe.db'], 'no .corrupt-, .bak, temp or lock file left');
  assert.deepEqual(notices, []);
});

test('DatabaseFile.open migrates an old file, saves it, and keeps the pre-migration copy as .bak', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'loupe.db');
  const old = await databaseAt(1);
  const oldBytes = old.db.export();
  writeFileSync(file, oldBytes);
  old.db.close();
  const opened = await DatabaseFile.open(file);
  assert.equal(opened.recovered, false);
  assert.equal(readSchemaVersion(opened.db), SCHEMA_VERSION);
  opened.close();
  const SQL = await loadSqlJs();
  const onDisk = new SQL.Database(readFileSync(file));
  assert.equal(readSchemaVersion(onDisk), SCHEMA_VERSION, 'the migration was saved');
  for (const seed of old.seeds) assertSeedSurvived(onDisk, seed, 'saved after migrating', 1);
  onDisk.close();
  assert.deepEqual(new Uint8Array(readFileSync(`${file}.bak`)), oldBytes);
});

test('a failing migration rolls back with its version, leaving the last complete version', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  const broken: Migration[] = [
    { version: 1, description: 'one table', up: (d) => d.run('CREATE TABLE a (x)') },
    {
      version: 2,
      description: 'half done then fails',
      up(d) {
        d.run('CREATE TABLE b (y)');
        d.run('INSERT INTO no_such_table VALUES (1)');
      },
    },
  ];
  assert.throws(() => migrate(db, broken), /migration 2 \(half done then fails\) failed: no such table/);
  assert.equal(readSchemaVersion(db), 1);
  assert.deepEqual(
    schemaOf(db).map((r) => r[1]),
    ['a', 'schema_version'],
  );
  db.close();
});

test('a migration list with a gap is rejected before anything runs', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  const gap: Migration[] = [
    { version: 1, description: 'a', up: (d) => d.run('CREATE TABLE a (x)') },
    { version: 3, description: 'c', up: (d) => d.run('CREATE TABLE c (x)') },
  ];
  assert.throws(() => migrate(db, gap), /position 1 holds version 3, expected 2/);
  assert.deepEqual(schemaOf(db), []);
  db.close();
});
