// Small typed helpers over sql.js's untyped rows.
import type { Database, SqlValue, Statement } from 'sql.js';

export type Row = Record<string, SqlValue>;
export type Params = SqlValue[] | Record<string, SqlValue>;

/** Prepared statements kept per connection, most recently used last. */
const prepared = new WeakMap<Database, Map<string, Statement>>();
const PREPARED_PER_CONNECTION = 64;

/**
 * A prepared statement for `sql`, kept for the next call with the same text. Preparing is a good
 * part of a short query's cost in sql.js (5 µs for a primary-key lookup, 45 µs for recall's
 * ranking query, against 2 µs to run a lookup); a recall runs a few dozen. The least recently
 * used statement past 64 is freed; closing the connection frees the rest (sql.js keeps track).
 * The caller must reset() the statement when done with it (bind() resets it too), and must not
 * run the same text again while stepping through it.
 */
export function statement(db: Database, sql: string): Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (stmt) {
    cache.delete(sql);
  } else {
    stmt = db.prepare(sql);
    if (cache.size >= PREPARED_PER_CONNECTION) {
      const [oldest, old] = cache.entries().next().value as [string, Statement];
      cache.delete(oldest);
      old.free();
    }
  }
  cache.set(sql, stmt);
  return stmt;
}

/** All rows of a query, as objects keyed by column name. */
export function all(db: Database, sql: string, params: Params = []): Row[] {
  const stmt = statement(db, sql);
  try {
    stmt.bind(params);
    const rows: Row[] = [];
    // getAsObject() asks sql.js for the column names again on every row.
    let names: string[] | undefined;
    while (stmt.step()) {
      const values = stmt.get();
      names ??= stmt.getColumnNames();
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]!;
      rows.push(row);
    }
    return rows;
  } finally {
    stmt.reset();
  }
}

/** The first row of a query, or undefined. */
export function one(db: Database, sql: string, params: Params = []): Row | undefined {
  const stmt = statement(db, sql);
  try {
    stmt.bind(params);
    return stmt.step() ? stmt.getAsObject() : undefined;
  } finally {
    stmt.reset();
  }
}

/** The first column of the first row, as a number (0 when there is no row or it is NULL). */
export function scalar(db: Database, sql: string, params: Params = []): number {
  const row = one(db, sql, params);
  if (!row) return 0;
  const value = Object.values(row)[0];
  return typeof value === 'number' ? value : value == null ? 0 : Number(value);
}

export function str(value: SqlValue | undefined): string {
  return value == null ? '' : String(value);
}

export function num(value: SqlValue | undefined): number {
  return typeof value === 'number' ? value : value == null ? 0 : Number(value);
}

export function optStr(value: SqlValue | undefined): string | null {
  return value == null ? null : String(value);
}

/** Parses a JSON column, tolerating NULL and (never expected) malformed text. */
export function json<T>(value: SqlValue | undefined, fallback: T): T {
  if (typeof value !== 'string' || value === '') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}
