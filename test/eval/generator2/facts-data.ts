// The per-project material facts are planted with: what may be protected, preferred, decided,
// broken, left to do. Distractors are drawn from the same tables.
import type { DomainKey } from './domains';

export interface Preference {
  slot: 'test' | 'install' | 'lint';
  after: string;
  answer: string;
  why: string;
}
export interface Decision {
  topic: string;
  chosen: string;
  rejected: string;
  reason: string;
}
export interface EditSite {
  file: string;
  /** The line the edit inserts, `{v}` is the value. */
  line: string;
  subject: string;
}
export interface ErrorCase {
  context: string;
  signature: string;
  detail: string[];
  /** The fix: a line inserted in `file`. */
  file: string;
  fix: string;
}

export interface FactData {
  protectedPaths: string[];
  preferences: Preference[];
  portSubjects: string[];
  benchCmd: string;
  benchOps: string[];
  versions: Array<{ cmd: string; pkg: string; draw: (n: number) => string; render: (v: string, others: string[]) => string }>;
  countTool: 'duckdb' | 'psql' | 'grebe';
  tables: string[];
  editSites: EditSite[];
  decisions: Decision[];
  revised: { subject: string; unit: string; file: string; line: string };
  errors: ErrorCase[];
  todos: string[];
}

export const FACT_DATA: Record<DomainKey, FactData> = {
  py: {
    protectedPaths: ['tidewater/legacy/importer_v1.py', 'migrations/warehouse/0042_backfill.sql', 'vendor/schemas/events.avsc'],
    preferences: [
      { slot: 'install', after: 'uv sync --frozen', answer: 'uv sync --frozen', why: 'pip ignores the lockfile' },
      { slot: 'test', after: 'uv run pytest -q -n auto', answer: '-n auto', why: 'serial takes forever' },
      { slot: 'lint', after: 'ruff check --output-format=concise tidewater', answer: '--output-format=concise', why: 'the full output is unreadable' },
    ],
    portSubjects: ['metrics exporter', 'admin api', 'warehouse proxy', 'statsd sink', 'debug console', 'health endpoint'],
    benchCmd: 'python -m tidewater.bench --rows 200000 --repeat 5',
    benchOps: ['read_s3_batch', 'dedupe_window', 'enrich_join', 'parquet_flush', 'schema_coerce', 'watermark_advance'],
    versions: [
      { cmd: 'uv pip show polars', pkg: 'polars', draw: (n) => `0.20.${n % 30 + 2}`, render: (v, o) => `Name: polars\nVersion: ${v}\nSummary: Blazingly fast DataFrame library\nHome-page: https://www.pola.rs/\nAuthor: Ritchie Vink\nLicense: MIT\nLocation: /home/maks/src/tidewater/.venv/lib/python3.11/site-packages\nRequires: \nRequired-by: tidewater, pyarrow-hotfix ${o[0] ?? ''}` },
      { cmd: 'python -c "import duckdb, pyarrow; print(duckdb.__version__, pyarrow.__version__)"', pkg: 'duckdb', draw: (n) => `0.10.${n % 3 + 1}`, render: (v) => `${v} 16.1.0` },
    ],
    countTool: 'duckdb',
    tables: ['events_raw', 'events_clean', 'customers', 'sessions_daily', 'dead_letter', 'late_arrivals_stage', 'enrich_lookup'],
    editSites: [
      { file: 'tidewater/sinks/warehouse.py', line: 'self._client = httpx.Client(timeout=httpx.Timeout(connect=5.0, read={v} / 1000))', subject: 'read timeout (ms) of the warehouse HTTP client' },
      { file: 'tidewater/sinks/parquet_writer.py', line: 'writer = pq.ParquetWriter(path, schema, row_group_size={v})', subject: 'row group size of the parquet writer' },
      { file: 'tidewater/transform/dedupe.py', line: 'seen = LRUCache(maxsize={v})', subject: 'maximum size of the dedupe LRU cache' },
    ],
    decisions: [
      { topic: 'the partition key for events_clean', chosen: 'event_date', rejected: 'customer_id', reason: 'most queries filter by day, and customer_id would produce tens of thousands of tiny partitions' },
      { topic: 'how duplicate events are resolved', chosen: 'last-write-wins', rejected: 'first-seen', reason: 'replays resend corrected payloads, so the newest copy is the right one' },
      { topic: 'what to do with events that arrive after their partition closed', chosen: 'a late_arrivals side table', rejected: 'rewriting closed partitions', reason: 'a rewrite touches months of files for a handful of rows' },
    ],
    revised: { subject: 'batch size for warehouse inserts', unit: 'rows', file: 'tidewater/sinks/warehouse.py', line: 'for chunk in batched(rows, {v}):' },
    errors: [
      { context: 'running the dedupe tests', signature: "KeyError: 'late_flag'", detail: ['def test_dedupe_late(frame):', '>       flagged = row["late_flag"]'], file: 'tidewater/transform/dedupe.py', fix: 'row.setdefault("late_flag", False)' },
      { context: 'running the enrich step on the sample day', signature: 'polars.exceptions.ColumnNotFoundError: customer_ref', detail: ['    out = frame.join(lookup, on="customer_ref")', '  File "tidewater/transform/enrich.py", line 88, in enrich_frame'], file: 'tidewater/transform/enrich.py', fix: 'frame = frame.rename({"cust_ref": "customer_ref"})' },
      { context: 'running the reader tests', signature: "TypeError: can't compare offset-naive and offset-aware datetimes", detail: ['    if ts < self.watermark:', '  File "tidewater/ingest/reader.py", line 141, in advance'], file: 'tidewater/ingest/reader.py', fix: 'ts = ts.replace(tzinfo=timezone.utc)' },
    ],
    todos: ['backfill the 2023-11 partitions', 'drop the tmp_events_v2 table', 'wire late_arrivals into the nightly job'],
  },
  go: {
    protectedPaths: ['internal/legacyproto/decode.go', 'migrations/00031_dead_letters.sql', 'third_party/sigv4/'],
    preferences: [
      { slot: 'test', after: 'gotestsum --format pkgname -- ./...', answer: 'gotestsum', why: 'raw go test output is noise' },
      { slot: 'lint', after: 'golangci-lint run --fast ./...', answer: 'golangci-lint', why: 'vet alone misses the errcheck stuff' },
      { slot: 'install', after: 'go mod download && go mod verify', answer: 'go mod verify', why: 'we got bitten by a bad proxy cache once' },
    ],
    portSubjects: ['public webhook listener', 'admin listener', 'pprof endpoint', 'prometheus metrics', 'replay api', 'readiness probe'],
    benchCmd: 'go run ./cmd/loadgen -rate 400 -duration 30s -endpoints 50',
    benchOps: ['enqueue', 'lease', 'sign', 'deliver', 'ack', 'reap'],
    versions: [
      { cmd: 'go version', pkg: 'go', draw: (n) => `go1.22.${n % 6 + 1}`, render: (v) => `go version ${v} linux/amd64` },
      { cmd: 'go list -m github.com/jackc/pgx/v5 golang.org/x/net', pkg: 'pgx', draw: (n) => `v5.5.${n % 5 + 1}`, render: (v, o) => `github.com/jackc/pgx/v5 ${v}\ngolang.org/x/net ${o[0] ?? 'v0.26.0'}` },
    ],
    countTool: 'psql',
    tables: ['deliveries', 'attempts', 'endpoints', 'dead_letters', 'subscribers', 'signing_keys', 'replay_jobs'],
    editSites: [
      { file: 'cmd/relayd/main.go', line: 'srv := &http.Server{Addr: cfg.Listen, ReadHeaderTimeout: {v} * time.Millisecond}', subject: 'ReadHeaderTimeout of the HTTP server (ms)' },
      { file: 'internal/deliver/worker.go', line: 'ctx, cancel := context.WithTimeout(ctx, {v}*time.Millisecond)', subject: 'per-delivery timeout (ms)' },
      { file: 'internal/queue/queue.go', line: 'ready := make(chan *Delivery, {v})', subject: 'capacity of the ready channel' },
    ],
    decisions: [
      { topic: 'how attempts are written to Postgres', chosen: 'CopyFrom', rejected: 'batched INSERTs', reason: 'COPY is several times faster for the 5k-row flushes and we never need RETURNING' },
      { topic: 'the retry backoff policy', chosen: 'decorrelated jitter', rejected: 'plain exponential backoff', reason: 'synchronized retries after an outage were hammering the same endpoints' },
      { topic: 'the in-memory ready queue', chosen: 'a bounded channel', rejected: 'an unbounded slice', reason: 'memory grew without limit during last week’s replay' },
    ],
    revised: { subject: 'max concurrent deliveries per endpoint', unit: 'deliveries', file: 'internal/deliver/worker.go', line: 'const perEndpointLimit = {v}' },
    errors: [
      { context: 'running the worker tests', signature: 'panic: assignment to entry in nil map', detail: ['goroutine 23 [running]:', 'github.com/odile/relayd/internal/deliver.(*Worker).recordAttempt(...)', '\t/home/odile/code/relayd/internal/deliver/worker.go:212 +0x1c4'], file: 'internal/deliver/worker.go', fix: 'if w.inflight == nil { w.inflight = map[string]int{} }' },
      { context: 'replaying the dead letters locally', signature: 'ERROR: duplicate key value violates unique constraint "attempts_pkey" (SQLSTATE 23505)', detail: ['replay: insert attempt 7f3e…: failed', 'exit status 1'], file: 'internal/store/pg.go', fix: 'q += " ON CONFLICT (delivery_id, n) DO NOTHING"' },
      { context: 'running the reaper tests', signature: 'panic: runtime error: index out of range [4] with length 4', detail: ['goroutine 41 [running]:', 'github.com/odile/relayd/internal/queue.(*Reaper).sweep(...)'], file: 'internal/queue/queue.go', fix: 'if i >= len(batch) { break }' },
    ],
    todos: ['rotate the staging signing secret', 'add an index on attempts(next_at)', 'delete the v1 webhook route'],
  },
  rs: {
    protectedPaths: ['src/compat/v1_format.rs', 'fuzz/corpus/', 'vendor/simd-lite/'],
    preferences: [
      { slot: 'test', after: 'cargo nextest run', answer: 'cargo nextest', why: 'it runs the integration tests in parallel' },
      { slot: 'lint', after: 'cargo clippy --all-targets -- -D warnings', answer: '-D warnings', why: 'ci fails on warnings anyway' },
      { slot: 'install', after: 'cargo fetch --locked', answer: 'cargo fetch --locked', why: 'otherwise the lockfile drifts' },
    ],
    portSubjects: ['serve mode http port', 'grpc port', 'metrics port', 'tail websocket', 'admin socket', 'debug endpoint'],
    benchCmd: './target/release/grebe bench --queries bench/queries.txt --corpus bench/logs',
    benchOps: ['index_build', 'range_query', 'regex_filter', 'merge_3_files', 'tail_follow', 'json_output'],
    versions: [
      { cmd: 'rustc --version', pkg: 'rustc', draw: (n) => `1.7${n % 9 + 1}.0`, render: (v) => `rustc ${v} (${'129f3b996'} 2024-06-10)` },
      { cmd: 'cargo tree -i crc32fast', pkg: 'crc32fast', draw: (n) => `v1.4.${n % 3}`, render: (v, o) => `crc32fast ${v}\n└── grebe v0.4.1 (/home/lukas/work/grebe)\n    └── [dev-dependencies] criterion ${o[0] ?? 'v0.5.1'}` },
    ],
    countTool: 'grebe',
    tables: ['nginx-access.log', 'app-2024-06-01.log', 'app-2024-06-02.log', 'syslog.1', 'haproxy.log', 'audit.jsonl', 'kern.log'],
    editSites: [
      { file: 'src/index.rs', line: 'let mut reader = BufReader::with_capacity({v}, file);', subject: 'BufReader capacity in the indexer' },
      { file: 'src/cache.rs', line: 'let cache = BlockCache::new({v});', subject: 'number of entries in the block cache' },
      { file: 'src/query.rs', line: 'let deadline = Instant::now() + Duration::from_millis({v});', subject: 'query deadline (ms)' },
    ],
    decisions: [
      { topic: 'newline scanning in the indexer', chosen: 'memchr', rejected: 'a regex split', reason: 'it is SIMD-accelerated and we only ever look for one byte' },
      { topic: 'how large files are read', chosen: 'memmap2', rejected: 'chunked BufReader reads', reason: 'random seeks into the index dominate, and the page cache does the work for us' },
      { topic: 'parallelism for multi-file queries', chosen: 'rayon', rejected: 'hand-rolled threads', reason: 'work stealing evens out files of very different sizes' },
    ],
    revised: { subject: 'index block size', unit: 'bytes', file: 'src/index.rs', line: 'const BLOCK_BYTES: usize = {v};' },
    errors: [
      { context: 'building after the cache change', signature: 'error[E0502]: cannot borrow `self.blocks` as mutable because it is also borrowed as immutable', detail: ['   --> src/cache.rs:77:9', '    |', '74  |         let first = self.blocks.first();', '    |                     ----------- immutable borrow occurs here'], file: 'src/cache.rs', fix: 'let first = self.blocks.first().copied();' },
      { context: 'running the roundtrip tests', signature: 'attempt to subtract with overflow', detail: ["thread 'roundtrip_empty_file' panicked at src/index.rs:131:21:", 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace'], file: 'src/index.rs', fix: 'let len = end.saturating_sub(start);' },
      { context: 'compiling the query module', signature: 'error[E0599]: no method named `seek_span` found for reference `&Index`', detail: ['   --> src/query.rs:58:22', '    |', '58  |         let s = idx.seek_span(range)?;', '    |                     ^^^^^^^^^ method not found in `&Index`'], file: 'src/query.rs', fix: 'let s = idx.lookup_range(range)?;' },
    ],
    todos: ['bench on the 40 GB nginx log', 'handle CRLF line endings in the parser', 'publish 0.5.0 to crates.io'],
  },
};

/** Colleagues: fact names come first from a shuffled pool; the rest are distractors. */
export const PEOPLE: Array<[string, string]> = [
  ['Oksana', 'Hrytsenko'], ['Teodor', 'Vasile'], ['Sunniva', 'Berg'], ['Bilal', 'Haddad'], ['Chiara', 'Fontana'],
  ['Kwabena', 'Mensah'], ['Ingrid', 'Lund'], ['Rafferty', 'Doyle'], ['Yusuf', 'Demir'], ['Marisol', 'Vega'],
  ['Henrike', 'Ahrens'], ['Dagny', 'Solberg'], ['Emeka', 'Obi'], ['Linnea', 'Ek'], ['Zofia', 'Wrobel'], ['Anselm', 'Kraus'],
];
