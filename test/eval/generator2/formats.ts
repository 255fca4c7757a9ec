// Renderers for the values that live only in tool output: config files with ports, benchmark
// reports with latency percentiles, query results with row counts. Each has several shapes, and
// the same renderer makes the distractors (the same shapes with other values).
import type { Rng } from './rng';

export type PortFormat = 'toml' | 'yaml' | 'env' | 'compose' | 'systemd';
export const PORT_FORMATS: PortFormat[] = ['toml', 'yaml', 'env', 'compose', 'systemd'];

export function portFile(format: PortFormat, project: string): string {
  return { toml: `conf/${project}.toml`, yaml: `deploy/${project}.staging.yaml`, env: '.env.staging', compose: 'deploy/docker-compose.yml', systemd: `deploy/${project}.service` }[format];
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** A config file where each subject has a port; other settings around them. */
export function renderPorts(format: PortFormat, project: string, entries: Array<[string, string]>, rng: Rng): string {
  const level = rng.pick(['info', 'debug', 'warn']);
  const workers = rng.int(2, 16);
  switch (format) {
    case 'toml':
      return [`# ${project} runtime configuration (staging)`, '', '[runtime]', `workers = ${workers}`, `log_level = "${level}"`, '', ...entries.flatMap(([s, p]) => [`[${slug(s)}]`, `# ${s}`, `bind = "0.0.0.0:${p}"`, `enabled = ${rng.chance(0.8)}`, '']), '[limits]', `max_body_kb = ${rng.int(64, 2048)}`].join('\n');
    case 'yaml':
      return [`${project}:`, `  env: staging`, `  log_level: ${level}`, `  workers: ${workers}`, '  listeners:', ...entries.flatMap(([s, p]) => [`    - name: ${slug(s)}  # ${s}`, `      host: 0.0.0.0`, `      port: ${p}`, `      tls: ${rng.chance(0.5)}`])].join('\n');
    case 'env':
      return [`# staging env for ${project}`, `LOG_LEVEL=${level}`, `WORKERS=${workers}`, ...entries.map(([s, p]) => `${slug(s).toUpperCase()}_ADDR=:${p}   # ${s}`), `DATABASE_URL=postgres://${project}@db.internal/${project}`].join('\n');
    case 'compose':
      return ['services:', ...entries.flatMap(([s, p]) => [`  ${slug(s).replace(/_/g, '-')}:`, `    # ${s}`, `    image: ghcr.io/ferrow/${project}:${rng.pick(['latest', 'staging', 'edge'])}`, '    ports:', `      - "${p}:${p}"`, `    restart: unless-stopped`])].join('\n');
    case 'systemd':
      return ['[Unit]', `Description=${project} (staging)`, 'After=network-online.target', '', '[Service]', `ExecStart=/usr/local/bin/${project} serve \\`, ...entries.map(([s, p], i) => `    --${slug(s).replace(/_/g, '-')}=:${p}${i < entries.length - 1 ? ' \\' : ''}`), 'Restart=on-failure', `Environment=LOG_LEVEL=${level}`, '', '[Install]', 'WantedBy=multi-user.target'].join('\n');
  }
}

export type BenchFormat = 'table' | 'kv' | 'hist' | 'jsonl';
export const BENCH_FORMATS: BenchFormat[] = ['table', 'kv', 'hist', 'jsonl'];

/** A benchmark report; each op has p50/p90/p99 (ms, two decimals). */
export function renderBench(format: BenchFormat, rows: Array<{ op: string; p50: string; p90: string; p99: string; n: number }>, rng: Rng): string {
  const warm = `warming up (${rng.int(2, 5)} iterations)...`;
  switch (format) {
    case 'table':
      return [warm, '', `${'op'.padEnd(20)}${'n'.padStart(9)}${'p50 ms'.padStart(10)}${'p90 ms'.padStart(10)}${'p99 ms'.padStart(10)}`, '-'.repeat(59), ...rows.map((r) => `${r.op.padEnd(20)}${String(r.n).padStart(9)}${r.p50.padStart(10)}${r.p90.padStart(10)}${r.p99.padStart(10)}`), '', `total wall time ${rng.fixed(20, 90, 1)}s`].join('\n');
    case 'kv':
      return [warm, ...rows.map((r) => `bench op=${r.op} n=${r.n} p50=${r.p50}ms p90=${r.p90}ms p99=${r.p99}ms errors=0`)].join('\n');
    case 'hist':
      return rows.flatMap((r) => [`== ${r.op} (${r.n} samples)`, '  Latency distribution:', `    50% in ${r.p50} ms`, `    90% in ${r.p90} ms`, `    99% in ${r.p99} ms`, '']).join('\n');
    case 'jsonl':
      return rows.map((r) => JSON.stringify({ op: r.op, samples: r.n, latency_ms: { p50: Number(r.p50), p90: Number(r.p90), p99: Number(r.p99) } })).join('\n');
  }
}

export function benchRow(rng: Rng, op: string, p99: string): { op: string; p50: string; p90: string; p99: string; n: number } {
  const p50 = Number(rng.fixed(0.4, 15, 2)); // p90 stays under every p99 drawn (40 ms and up)
  const p90 = p50 * (1.4 + rng.next());
  return { op, p50: p50.toFixed(2), p90: p90.toFixed(2), p99, n: rng.int(2000, 60000) };
}

/** A query result with a row count per table, in the project's database tool. */
export function renderCounts(tool: 'duckdb' | 'psql' | 'grebe', rows: Array<[string, string]>, rng: Rng): { cmd: string; out: string } {
  const names = rows.map(([t]) => `'${t}'`).join(', ');
  // The terse shapes: CSV, unaligned psql, wc -l.
  if (rng.chance(0.4)) {
    if (tool === 'duckdb') return { cmd: `duckdb -csv data/warehouse.duckdb "select table_name, estimated_size from duckdb_tables() where table_name in (${names})"`, out: ['table_name,estimated_size', ...rows.map(([t, c]) => `${t},${c}`)].join('\n') };
    if (tool === 'psql') return { cmd: `psql "$RELAY_DB" -At -c "select relname, n_live_tup from pg_stat_user_tables where relname in (${names})"`, out: rows.map(([t, c]) => `${t}|${c}`).join('\n') };
    const total = rows.reduce((n, [, c]) => n + Number(c), 0);
    return { cmd: `wc -l ${rows.map(([t]) => `fixtures/${t}`).join(' ')}`, out: [...rows.map(([t, c]) => `${c.padStart(9)} fixtures/${t}`), `${String(total).padStart(9)} total`].join('\n') };
  }
  if (tool === 'duckdb') {
    const w = Math.max(10, ...rows.map(([t]) => t.length));
    const line = (a: string, b: string) => `│ ${a.padEnd(w)} │ ${b.padStart(12)} │`;
    return {
      cmd: `duckdb data/warehouse.duckdb -c "select table_name, estimated_size from duckdb_tables() where table_name in (${names})"`,
      out: [`┌${'─'.repeat(w + 2)}┬──────────────┐`, line('table_name', 'estimated_size'.slice(0, 12)), line('varchar', 'int64'), `├${'─'.repeat(w + 2)}┼──────────────┤`, ...rows.map(([t, c]) => line(t, c)), `└${'─'.repeat(w + 2)}┴──────────────┘`].join('\n'),
    };
  }
  if (tool === 'psql') {
    return {
      cmd: `psql "$RELAY_DB" -c "select relname, n_live_tup from pg_stat_user_tables where relname in (${names}) order by 1"`,
      out: ['    relname     | n_live_tup ', '----------------+------------', ...rows.map(([t, c]) => ` ${t.padEnd(15)}| ${c.padStart(10)}`), `(${rows.length} rows)`, ''].join('\n'),
    };
  }
  return {
    cmd: `./target/release/grebe stats ${rows.map(([t]) => `fixtures/${t}`).join(' ')}`,
    out: [`${'file'.padEnd(28)}${'lines'.padStart(12)}${'bytes'.padStart(14)}  took`, ...rows.map(([t, c]) => `${('fixtures/' + t).padEnd(28)}${c.padStart(12)}${String(Number(c) * rng.int(90, 240)).padStart(14)}  ${rng.int(3, 900)}ms`)].join('\n'),
  };
}
