// The three projects generator2 writes sessions about: a Python data pipeline, a Go webhook relay
// and a Rust log-slicing CLI. Only the skeleton lives here (files, commands, dependencies,
// identifiers); the values facts are planted with are in facts-data.ts.

export type DomainKey = 'py' | 'go' | 'rs';

export interface Domain {
  key: DomainKey;
  lang: 'python' | 'go' | 'rust';
  project: string;
  cwd: string;
  branch: string;
  /** Source files the filler reads and edits (relative to cwd). */
  srcFiles: string[];
  testFiles: string[];
  /** The large file that gets re-read. */
  bigFile: string;
  manifest: string;
  testCmd: string;
  buildCmd: string;
  lintCmd: string;
  installCmd: string;
  /** Dependencies the install output lists (never a fact's package). */
  deps: Array<[string, string]>;
  nouns: string[];
  verbs: string[];
  types: string[];
  /** Grep patterns a person would search for, repeated across turns. */
  greps: string[];
  /** Things to ask about in filler prompts. */
  topics: string[];
}

const PY: Domain = {
  key: 'py',
  lang: 'python',
  project: 'tidewater',
  cwd: '/home/maks/src/tidewater',
  branch: 'feat/late-events',
  srcFiles: [
    'tidewater/ingest/reader.py',
    'tidewater/ingest/schema.py',
    'tidewater/transform/dedupe.py',
    'tidewater/transform/enrich.py',
    'tidewater/sinks/warehouse.py',
    'tidewater/sinks/parquet_writer.py',
    'tidewater/cli.py',
    'tidewater/util/clock.py',
  ],
  testFiles: ['tests/test_dedupe.py', 'tests/test_reader.py', 'tests/test_enrich.py', 'tests/test_warehouse.py', 'tests/conftest.py'],
  bigFile: 'tidewater/transform/enrich.py',
  manifest: 'pyproject.toml',
  testCmd: 'python -m pytest -q',
  buildCmd: 'python -m compileall -q tidewater',
  lintCmd: 'ruff check tidewater tests',
  installCmd: 'pip install -e ".[dev]"',
  deps: [
    ['pyarrow', '16.1.0'], ['boto3', '1.34.131'], ['botocore', '1.34.131'], ['s3transfer', '0.10.2'], ['pydantic', '2.7.4'],
    ['pydantic-core', '2.18.4'], ['structlog', '24.2.0'], ['typer', '0.12.3'], ['rich', '13.7.1'], ['pytest', '8.2.2'],
    ['pytest-xdist', '3.6.1'], ['hypothesis', '6.103.2'], ['ruff', '0.4.10'], ['numpy', '1.26.4'], ['python-dateutil', '2.9.0.post0'],
    ['jmespath', '1.0.1'], ['urllib3', '2.2.2'], ['click', '8.1.7'], ['markdown-it-py', '3.0.0'], ['pygments', '2.18.0'],
    ['tenacity', '8.4.1'], ['fsspec', '2024.6.0'], ['s3fs', '2024.6.0'], ['aiobotocore', '2.13.0'], ['iniconfig', '2.0.0'],
  ],
  nouns: ['event', 'batch', 'partition', 'record', 'schema', 'manifest', 'watermark', 'frame', 'customer', 'session', 'offset', 'chunk'],
  verbs: ['load', 'normalize', 'dedupe', 'enrich', 'flush', 'coerce', 'split', 'merge', 'validate', 'window', 'emit', 'resolve'],
  types: ['pl.DataFrame', 'pa.Table', 'list[dict]', 'str', 'int', 'datetime', 'Path', 'Iterator[Batch]', 'RecordBatch'],
  greps: ['def dedupe', 'watermark', 'late_events', 'flush(', 'TODO', 'ingested_at', 'import polars'],
  topics: ['late events', 'the dedupe window', 'the enrich join', 'parquet flush', 'schema drift', 'the s3 reader', 'clock skew', 'watermarks'],
};

const GO: Domain = {
  key: 'go',
  lang: 'go',
  project: 'relayd',
  cwd: '/home/odile/code/relayd',
  branch: 'retry-budget',
  srcFiles: [
    'cmd/relayd/main.go',
    'internal/queue/queue.go',
    'internal/queue/backoff.go',
    'internal/httpapi/handlers.go',
    'internal/httpapi/middleware.go',
    'internal/store/pg.go',
    'internal/sign/hmac.go',
    'internal/deliver/worker.go',
  ],
  testFiles: ['internal/queue/queue_test.go', 'internal/deliver/worker_test.go', 'internal/httpapi/handlers_test.go', 'internal/store/pg_test.go'],
  bigFile: 'internal/deliver/worker.go',
  manifest: 'go.mod',
  testCmd: 'go test ./...',
  buildCmd: 'go build ./...',
  lintCmd: 'go vet ./...',
  installCmd: 'go mod download -x',
  deps: [
    ['github.com/go-chi/chi/v5', 'v5.0.12'], ['github.com/prometheus/client_golang', 'v1.19.1'], ['github.com/rs/zerolog', 'v1.33.0'],
    ['github.com/google/uuid', 'v1.6.0'], ['golang.org/x/sync', 'v0.7.0'], ['github.com/stretchr/testify', 'v1.9.0'],
    ['github.com/spf13/cobra', 'v1.8.1'], ['gopkg.in/yaml.v3', 'v3.0.1'], ['github.com/cespare/xxhash/v2', 'v2.3.0'],
    ['github.com/prometheus/common', 'v0.53.0'], ['github.com/beorn7/perks', 'v1.0.1'], ['google.golang.org/protobuf', 'v1.34.1'],
    ['golang.org/x/sys', 'v0.21.0'], ['github.com/davecgh/go-spew', 'v1.1.1'], ['github.com/pmezard/go-difflib', 'v1.0.0'],
    ['github.com/jackc/pgpassfile', 'v1.0.0'], ['github.com/jackc/puddle/v2', 'v2.2.1'], ['golang.org/x/text', 'v0.16.0'],
  ],
  nouns: ['Delivery', 'Endpoint', 'Attempt', 'Payload', 'Signature', 'Budget', 'Lease', 'Batch', 'Subscriber', 'Cursor', 'Backoff', 'Route'],
  verbs: ['Enqueue', 'Dispatch', 'Sign', 'Verify', 'Lease', 'Ack', 'Nack', 'Reap', 'Drain', 'Schedule', 'Record', 'Resolve'],
  types: ['*Delivery', '[]byte', 'string', 'int', 'time.Duration', 'context.Context', 'uuid.UUID', '*http.Request', 'Attempt'],
  greps: ['func (w *Worker)', 'Nack(', 'retryBudget', 'ErrLeaseLost', 'TODO', 'X-Relay-Signature', 'pgx.'],
  topics: ['the retry budget', 'lease expiry', 'signature checks', 'the reaper', 'dead letters', 'fan-out', 'graceful shutdown', 'backoff'],
};

const RS: Domain = {
  key: 'rs',
  lang: 'rust',
  project: 'grebe',
  cwd: '/home/lukas/work/grebe',
  branch: 'seek-index',
  srcFiles: ['src/main.rs', 'src/index.rs', 'src/parse/mod.rs', 'src/parse/timestamp.rs', 'src/query.rs', 'src/output.rs', 'src/config.rs', 'src/cache.rs'],
  testFiles: ['tests/cli.rs', 'tests/index_roundtrip.rs', 'tests/query_ranges.rs'],
  bigFile: 'src/index.rs',
  manifest: 'Cargo.toml',
  testCmd: 'cargo test',
  buildCmd: 'cargo build --release',
  lintCmd: 'cargo clippy',
  installCmd: 'cargo fetch',
  deps: [
    ['clap', 'v4.5.7'], ['anyhow', 'v1.0.86'], ['thiserror', 'v1.0.61'], ['serde', 'v1.0.203'], ['serde_json', 'v1.0.117'],
    ['regex', 'v1.10.5'], ['aho-corasick', 'v1.1.3'], ['chrono', 'v0.4.38'], ['crossbeam-channel', 'v0.5.13'], ['toml', 'v0.8.14'],
    ['indicatif', 'v0.17.8'], ['tempfile', 'v3.10.1'], ['assert_cmd', 'v2.0.14'], ['predicates', 'v3.1.0'], ['bstr', 'v1.9.1'],
    ['itoa', 'v1.0.11'], ['ryu', 'v1.0.18'], ['libc', 'v0.2.155'], ['unicode-width', 'v0.1.13'], ['once_cell', 'v1.19.0'],
  ],
  nouns: ['index', 'span', 'line', 'segment', 'query', 'range', 'offset', 'record', 'cursor', 'block', 'filter', 'sink'],
  verbs: ['build', 'scan', 'parse', 'seek', 'merge', 'emit', 'split', 'load', 'flush', 'lookup', 'compact', 'decode'],
  types: ['&[u8]', 'usize', 'u64', 'Span', 'Option<Span>', 'Vec<Record>', '&str', 'PathBuf', 'Range<u64>'],
  greps: ['fn seek', 'Span {', 'unwrap()', 'TODO', 'impl Index', 'parse_ts', 'BufReader'],
  topics: ['the index format', 'timestamp parsing', 'range queries', 'the output sink', 'the block cache', 'multi-file merge', 'utf-8 handling', 'the seek path'],
};

export const DOMAINS: Record<DomainKey, Domain> = { py: PY, go: GO, rs: RS };

export function pickDomain(key: string | undefined, fallback: () => DomainKey): Domain {
  if (key === undefined) return DOMAINS[fallback()];
  const d = DOMAINS[key as DomainKey];
  if (!d) throw new Error(`unknown generator2 domain ${key}`);
  return d;
}
