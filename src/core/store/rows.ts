// Small typed helpers over sql.js's untyped rows.
import type { Database, SqlValue } from 'sql.js';

export type Row = Record<string, SqlValue>;
export type Params = SqlValue[] | Record<string, SqlValue>;

/** All rows of a query, as objects keyed by column name. */
export function all(db: Database, sql: string, params: Params = []): Row[] {
  const stmt = db.prepare(sql);
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
    stmt.free();
  }
}

/** The first row of a query, or undefined. */
export function one(db: Database, sql: string, params: Params = []): Row | undefined {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    return stmt.step() ? stmt.getAsObject() : undefined;
  } finally {
    stmt.free();
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
