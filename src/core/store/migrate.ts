// Brings a database up to the code's schema by applying the migrations it has not seen yet.
// Every applied migration leaves a row in schema_version, so the history of a database file
// can be read back when something looks wrong.
import type { Database } from 'sql.js';
import { MIGRATIONS, PAGE_SIZE, type Migration } from './schema';

/** The database was written by a newer Loupe. Never downgraded: the user must update Loupe. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `the database has schema version ${found} but this version of Loupe only knows versions up to ${supported}; ` +
        'update Loupe (the database was left untouched)',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** The version recorded in schema_version, 0 for a database that has never been migrated. */
export function readSchemaVersion(db: Database): number {
  const table = db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (table.length === 0) return 0;
  const value = db.exec('SELECT MAX(version) FROM schema_version')[0]?.values[0]?.[0];
  return typeof value === 'number' ? value : 0;
}

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  assertContiguous(migrations);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  // Read before writing anything: a newer database must not be touched at all.
  const from = readSchemaVersion(db);
  if (from > latest) throw new SchemaTooNewError(from, latest);
  if (from === latest) return { from, to: from };
  if (from === 0) db.run(`PRAGMA page_size = ${PAGE_SIZE}`); // only takes effect before the first table

  db.run(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  for (const m of migrations) {
    if (m.version <= from) continue;
    // One transaction per migration, holding its version bump, so a failure leaves the database
    // at the last version that fully applied rather than half-way through one.
    db.run('BEGIN');
    try {
      m.up(db);
      db.run('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.description,
        new Date().toISOString(),
      ]);
      db.run('COMMIT');
    } catch (err) {
      rollbackQuietly(db);
      throw new Error(`migration ${m.version} (${m.description}) failed: ${messageOf(err)}`, { cause: err });
    }
  }
  return { from, to: latest };
}

/** Versions must run 1, 2, 3…: a gap or a reordering is a bug in schema.ts, caught before any change. */
function assertContiguous(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration list is broken: position ${i} holds version ${m.version}, expected ${i + 1}`);
    }
  });
}

function rollbackQuietly(db: Database): void {
  try {
    db.run('ROLLBACK');
  } catch {
    // Some errors end the transaction themselves; then there is nothing to roll back.
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
