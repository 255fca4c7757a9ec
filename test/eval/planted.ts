// Planted-fact sessions for `npm run eval`: the generator's realistic sessions (test/fixtures/generate:
// the ledger story with its rejected plan, repeated TypeError, rewind and compactions, padded with
// everyday filler turns) with facts planted at known turns, so that a compaction can be checked for
// what it kept. Deterministic: the same options give the same bytes and the same facts.
//
// Planting rides on the story rather than beside it: a Session subclass runs the due planted
// episodes just before the story writes its next prompt, i.e. between two complete turns, never on
// the rewound branch (whose prompts skip the auto-compaction check, which is how they are told apart).
// Facts are not added to `Session.decisions` or its errors, so Claude Code's own compaction summaries
// do not repeat them: each fact lives where it was planted (and wherever the session itself repeats it).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GeneratedFile } from '../fixtures/generate';
import { type CommandOutput, nodeCrash, tscErrors, vitestRun } from '../fixtures/generate/logs';
import type { Rng } from '../fixtures/generate/prng';
import { Session, type SessionOptions } from '../fixtures/generate/session';
import { runStory } from '../fixtures/generate/story';
import type { ToolCall } from '../fixtures/generate/tools';

export type FactKind = 'decision' | 'final-value' | 'error-message' | 'current-state' | 'revised';

export interface PlantedFact {
  id: string;
  kind: FactKind;
  question: string;
  /** The exact string that must appear in the compacted output. */
  answer: string;
  /** Revised facts: the superseded value, which must not be presented as current. */
  stale?: string;
  /** Main-line turn (1-based, numbered as the store numbers them) where the answer first appears. */
  turn: number;
  /** Revised facts: the turn where the stale value was set. */
  staleTurn?: number;
}

export interface PlantedSession {
  label: string;
  sessionId: string;
  /** Main-line turns in the session. */
  turns: number;
  files: GeneratedFile[];
  facts: PlantedFact[];
}

/** The eval's sessions: different seeds, lengths, file sizes and stories. */
export const EVAL_SESSIONS: readonly SessionOptions[] = [
  { seed: 101, turns: 180, startTime: '2026-03-02T09:14:05.120Z' },
  { seed: 202, turns: 260, startTime: '2026-03-04T08:02:40.000Z', outputScale: 1.5 },
  { seed: 303, turns: 340, startTime: '2026-03-09T13:30:00.000Z' },
  { seed: 404, turns: 220, startTime: '2026-03-11T07:45:12.500Z', outputScale: 2, story: 'maintenance', subagentLayout: 'legacy' },
];

// ── what gets planted ────────────────────────────────────────────────────────

/** [topic, chosen (with article), answer (inside chosen), rejected, why]. */
const DECISIONS: readonly (readonly [string, string, string, string, string])[] = [
  ['password hashing', 'argon2id', 'argon2id', 'bcrypt', 'bcrypt silently truncates passwords longer than 72 bytes and argon2id is memory-hard'],
  ['paginating statement exports', 'keyset pagination on (posted_at, id)', 'keyset pagination on (posted_at, id)', 'OFFSET and LIMIT', 'OFFSET rescans every skipped row and skips entries inserted during an export'],
  ['primary keys of new tables', 'ULIDs', 'ULIDs', 'random UUIDv4 keys', 'ULIDs sort by creation time, so inserts stay at the end of the index'],
  ['logging', 'pino', 'pino', 'winston', "the log shipper already parses pino's JSON lines and it is several times faster"],
  ['publishing ledger events', 'a transactional outbox table', 'transactional outbox table', 'publishing to Redis streams directly', 'the outbox commits with the entry, so an event is never lost or sent twice'],
  ['time zone handling', 'date-fns-tz', 'date-fns-tz', 'moment-timezone', 'moment is in maintenance mode and ships 300 KB of zone data'],
  ['request validation', 'zod schemas at the HTTP edge', 'zod schemas', 'hand-written validators', 'the schemas give us the TypeScript types for free'],
  ['rounding FX conversions', "banker's rounding (half-even)", "banker's rounding", 'half-up rounding', 'half-up biases a large batch of conversions upward'],
  ['concurrent postings to one account', 'per-account advisory locks', 'per-account advisory locks', 'a table-level lock', 'a table lock queues every account behind the busiest one'],
  ['the CSV exporter', 'a streaming pipeline with node:stream', 'streaming pipeline with node:stream', 'building the whole file in memory', "the largest tenant's export is 2 GB"],
  ['the payout gateway client', 'undici', 'undici', 'axios', "undici is what Node's fetch is built on, so it is one dependency less"],
  ['integration tests', 'testcontainers with a real Postgres', 'testcontainers', 'an in-memory SQLite stand-in', 'SQLite does not enforce our NUMERIC and advisory-lock semantics'],
];

/** [constant, what it is, possible values]. */
const FINAL_VALUES: readonly (readonly [string, string, readonly string[]])[] = [
  ['MAX_RETRIES', 'retry limit for payout gateway calls', ['5', '6', '7', '9']],
  ['STATEMENT_PAGE_SIZE', 'page size of statement exports', ['200', '250', '400']],
  ['PG_POOL_MAX', 'maximum number of Postgres connections', ['12', '16', '24']],
  ['IDEMPOTENCY_TTL_HOURS', 'idempotency key lifetime in hours', ['36', '48', '72']],
  ['RATE_LIMIT_PER_MINUTE', 'per-tenant rate limit', ['90', '120', '180']],
  ['LOCK_TIMEOUT_MS', 'advisory lock timeout', ['2500', '4500', '7000']],
  ['EXPORT_BATCH_SIZE', 'batch size of the exporter', ['2000', '5000', '8000']],
  ['FX_STALE_AFTER_MINUTES', 'age after which an FX rate counts as stale', ['20', '30', '45']],
  ['WEBHOOK_TIMEOUT_MS', 'webhook delivery timeout', ['2500', '4000', '6000']],
  ['MAX_ENTRIES_PER_STATEMENT', 'cap on entries per statement', ['20000', '50000']],
  ['RECONCILE_CRON', 'schedule of the nightly reconcile job', ["'15 3 * * *'", "'40 2 * * *'"]],
  ['DEFAULT_CURRENCY', 'currency used when a tenant sets none', ["'CHF'", "'SEK'"]],
];

/** [constant, what it is, first value, later value, why it changed]. */
const REVISED: readonly (readonly [string, string, string, string, string])[] = [
  ['LEDGER_PORT', 'port the ledger API listens on', '3000', '8443', '3000 clashes with the dashboard dev server'],
  ['SESSION_TTL_MINUTES', 'session lifetime in minutes', '15', '45', 'support keeps getting logged out in the middle of a reconciliation'],
  ['WORKER_CONCURRENCY', 'number of statement workers', '4', '16', 'the nightly run no longer finishes before 6am'],
  ['LOG_LEVEL', 'production log level', "'debug'", "'warn'", 'debug logs cost us 40 GB a day'],
  ['STATEMENT_TIMEOUT_MS', 'Postgres statement timeout', '30000', '8000', 'slow queries should fail fast and be retried'],
  ['CACHE_DRIVER', 'FX rate cache', "'memory'", "'redis'", 'we run three replicas now'],
  ['SETTLEMENT_CUTOFF', 'daily settlement cutoff', "'17:00'", "'15:30'", 'the bank moved its cutoff'],
  ['MAX_UPLOAD_MB', 'upload limit for bank statement files', '10', '25', 'some banks send 20 MB CAMT files'],
];

type How = 'crash' | 'test' | 'tsc';
/** [key, signature, command, file, how it shows, the user's report, what the real fix is]. */
const ERRORS: readonly (readonly [string, (r: Rng) => string, string, string, How, string, string])[] = [
  ['undefined-prop', (r) => `TypeError: Cannot read properties of undefined (reading '${r.pick(['ledgerId', 'tenantId', 'payoutId'])}')`, 'npx tsx scripts/import-camt.ts fixtures/camt053-march.xml', 'src/ledger/entries.ts', 'crash', 'The CAMT import crashes on the March file. Run it and find out why.', 'entries without a booking date are skipped before mapping'],
  ['invalid-time', () => 'RangeError: Invalid time value', 'npx tsx scripts/statements.ts --month 2026-02', 'src/util/dates.ts', 'crash', 'Generating the February statements blows up, can you look?', 'the end of month is computed from the first day of the next month'],
  ['econnrefused', (r) => `Error: connect ECONNREFUSED 127.0.0.1:${r.pick(['5432', '6432'])}`, 'npm run migrate', 'src/db/pool.ts', 'crash', 'Migrations fail on my machine since this morning.', 'the pool reads PGHOST and PGPORT instead of a hard-coded address'],
  ['html-json', () => `SyntaxError: Unexpected token '<', "<!DOCTYPE "... is not valid JSON`, 'npx tsx scripts/sync-rates.ts', 'src/http/routes.ts', 'crash', 'The FX rate sync stopped working, please check.', 'the rates endpoint moved to /v2 and the old one serves the login page'],
  ['dup-key', () => 'error: duplicate key value violates unique constraint "postings_reference_key"', 'npm run seed', 'src/db/migrations.ts', 'crash', 'npm run seed fails on a fresh database.', 'the seed reuses references; it now derives them from the entry id'],
  ['flatmap', () => 'TypeError: entries.flatMap is not a function', 'npx tsx scripts/rebuild-journal.ts', 'src/ledger/entries.ts', 'crash', 'Rebuilding the journal fails, can you take a look?', 'the loader returns a Map, so the entries are taken from its values'],
  ['deadlock', () => 'error: deadlock detected', 'npx vitest run test/postings.concurrent.test.ts', 'src/ledger/entries.ts', 'test', 'The concurrent postings test is red on CI.', 'both transfers now lock the two accounts in id order'],
  ['ts2345', () => "error TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.", 'npx tsc --noEmit', 'src/http/routes.ts', 'tsc', 'CI says the typecheck fails after the last merge.', 'the route rejects a missing tenant header before calling the ledger'],
  ['abort', () => 'AbortError: This operation was aborted', 'npx tsx scripts/deliver-webhooks.ts --dry-run', 'src/http/routes.ts', 'crash', 'Webhook delivery dies in the dry run, look into it?', 'the timeout signal is created per attempt, not once per batch'],
  ['enospc', () => 'Error: ENOSPC: no space left on device, write', 'npx tsx scripts/export-all.ts --tenant acme', 'src/ledger/statements.ts', 'crash', "The full export for acme dies halfway. What's going on?", 'the exporter streams to the bucket instead of /tmp'],
];

/** The open problem the session ends on: [file, test file, test name, failing assertion, the user's report]. */
const ENDINGS: readonly (readonly [string, string, string, string, string])[] = [
  ['src/ledger/rollover.ts', 'test/rollover.test.ts', 'rolls over at local midnight in Asia/Tokyo', "AssertionError: expected '2026-03-31' to be '2026-04-01'", 'statements for accounts in Tokyo roll over a day early'],
  ['src/ledger/refunds.ts', 'test/refunds.test.ts', 'rejects a refund larger than the original payout', "AssertionError: expected 'accepted' to be 'rejected'", 'a tenant refunded more than the payout it was refunding'],
  ['src/export/csv.ts', 'test/csv.test.ts', 'quotes memo fields that contain the delimiter', `AssertionError: expected 'rent;march' to be '"rent;march"'`, 'exports break in Excel when a memo contains a semicolon'],
];

const CONFIG = 'src/config.ts';

// ── the session ──────────────────────────────────────────────────────────────

interface Episode {
  /** The prompt number at or after which the episode runs. */
  at: number;
  run: (s: PlantingSession) => void;
}

class PlantingSession extends Session {
  readonly facts: PlantedFact[] = [];
  queue: Episode[] = [];
  /** The last line of src/config.ts (undefined until it is created): edits insert after it. */
  configLast: string | undefined;
  private planting = false;

  override prompt(text: string, autoCompact = true): string {
    while (!this.planting && autoCompact && this.queue.length > 0 && (this.queue[0]?.at ?? Infinity) <= this.prompts + 1) {
      const episode = this.queue.shift()!;
      this.planting = true;
      try {
        episode.run(this);
      } finally {
        this.planting = false;
      }
    }
    return super.prompt(text, autoCompact);
  }

  /** The main-line turn of the latest prompt (each rewind leaves one prompt on an abandoned branch). */
  get turn(): number {
    return this.prompts - this.forks.length;
  }

  fact(kind: FactKind, key: string, question: string, answer: string, extra: Partial<PlantedFact> = {}): void {
    this.facts.push({ id: `${this.opts.seed}:${kind}:${key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, kind, question, answer, turn: this.turn, ...extra });
  }

  /** Adds a constant to src/config.ts (creating the file the first time). */
  setConstant(line: string): ToolCall {
    const t = this.main.tools;
    const last = this.configLast;
    this.configLast = line;
    return last === undefined
      ? t.write(CONFIG, `// Runtime settings of the ledger service, read once at startup.\n\n${line}\n`)
      : t.edit(CONFIG, last, `${last}\n${line}`);
  }

  replaceConstant(oldLine: string, newLine: string): ToolCall {
    if (this.configLast === oldLine) this.configLast = newLine;
    return this.main.tools.edit(CONFIG, oldLine, newLine);
  }

  /** Sometimes re-reads the config first, as agents do (a stale read, once the file changes again). */
  maybeReadConfig(): void {
    if (this.configLast !== undefined && this.rng.chance(0.25)) this.main.step({ text: 'Checking the current settings.', tools: [this.main.tools.read(CONFIG)] });
  }
}

function decision(s: PlantingSession, [topic, chosen, answer, rejected, why]: (typeof DECISIONS)[number]): void {
  const a = s.main;
  const t = a.tools;
  const sentence = `We'll use ${chosen} instead of ${rejected} because ${why}.`;
  const question = `What did we decide to use for ${topic}?`;
  const variant = s.rng.int(0, 2);
  if (variant === 0) {
    s.prompt(`What should we use for ${topic}? I have used ${rejected} before.`);
    s.fact('decision', answer, question, answer);
    a.step({ text: 'Checking what the code does today.', tools: [t.grep(topic.split(' ').pop() ?? topic, 'files_with_matches')] });
    a.say(`${sentence} I'll apply it when we get to that part.`);
  } else if (variant === 1) {
    s.prompt(`For ${topic}, use ${chosen} instead of ${rejected}: ${why}.`);
    s.fact('decision', answer, question, answer);
    a.say("Understood, I'll follow that when we touch it.");
  } else {
    s.prompt(`Plan how we handle ${topic}. No edits yet.`);
    const plan = `## Plan: ${topic}\n\n1. Use ${rejected}.\n2. Wrap it in one module so callers do not depend on it.\n3. Add tests.`;
    s.fact('decision', answer, question, answer);
    a.step({ text: 'A first plan:', tools: [t.exitPlanMode(plan, `No, not ${rejected}. Use ${chosen}: ${why}.`)] });
    a.say(`${sentence} I'll redo the plan on that basis when we start.`);
  }
  s.endTurn();
}

// Values are always written `NAME = value`, whoever states them (prompt, answer, config file), so
// that a fact kept in any of its mentions matches: the scorer measures retention, not paraphrase.

function finalValue(s: PlantingSession, [name, what, values]: (typeof FINAL_VALUES)[number]): void {
  const a = s.main;
  const value = s.rng.pick(values);
  const answer = `${name} = ${value}`;
  const question = `What is the ${what} set to?`;
  const variant = s.rng.int(0, 2);
  if (variant === 2) {
    // The assistant picks the value: the user's prompt does not hold it.
    s.prompt(`We need a ${what}. Pick something sensible and add it to ${CONFIG}.`);
    s.fact('final-value', name, question, answer);
    s.maybeReadConfig();
    a.step({ text: `I'll set \`${answer}\`; it is in line with what the other settings assume.`, tools: [s.setConstant(`export const ${name} = ${value};`)] });
    a.say(`Added \`${answer}\` to ${CONFIG}.`);
  } else {
    s.prompt(variant === 0 ? `Set ${answer} (the ${what}).` : `The ${what} should be ${value}: add ${answer} to ${CONFIG}.`);
    s.fact('final-value', name, question, answer);
    s.maybeReadConfig();
    a.step({ text: `Adding it to ${CONFIG}.`, tools: [s.setConstant(`export const ${name} = ${value};`)] });
    a.say(s.rng.chance(0.5) ? 'Done.' : `Set \`${answer}\` in ${CONFIG}.`);
  }
  s.endTurn();
}

function revisedFirst(s: PlantingSession, [name, what, first]: (typeof REVISED)[number]): number {
  const stale = `${name} = ${first}`;
  if (s.rng.chance(0.5)) s.prompt(`Set ${stale} for now (the ${what}).`);
  else s.prompt(`What should the ${what} be? Pick a default for now.`);
  s.maybeReadConfig();
  s.main.step({ text: `Adding \`${stale}\` to ${CONFIG}.`, tools: [s.setConstant(`export const ${name} = ${first};`)] });
  s.main.say(`Added \`${stale}\`.`);
  s.endTurn();
  return s.turn;
}

function revisedSecond(s: PlantingSession, [name, what, first, later, why]: (typeof REVISED)[number], staleTurn: number): void {
  const a = s.main;
  const answer = `${name} = ${later}`;
  s.prompt(`Set ${answer} instead: ${why}.`);
  s.fact('revised', name, `What is the ${what} now?`, answer, { stale: `${name} = ${first}`, staleTurn });
  s.maybeReadConfig();
  a.step({ text: 'Updating the setting.', tools: [s.replaceConstant(`export const ${name} = ${first};`, `export const ${name} = ${later};`)] });
  a.say(s.rng.chance(0.5) ? `\`${answer}\` now; it was ${first}.` : 'Done.');
  s.endTurn();
}

function failingOutput(s: PlantingSession, how: How, sig: string, file: string): () => CommandOutput {
  const lines = s.project.read(file).split('\n');
  const line = s.rng.int(2, Math.max(2, lines.length - 1));
  const testPath = 'test/postings.concurrent.test.ts';
  if (how === 'tsc') return () => tscErrors([{ file, line, col: 27, code: 2345, message: sig.replace(/^error TS2345: /, '') }]);
  if (how === 'test') {
    const failure = { test: 'postings > two transfers between the same accounts commit', error: sig, frames: [`${file}:${line}:11`, `${testPath}:31:5`] };
    return () => vitestRun(s.project.name, s.cwd, [{ path: testPath, tests: 4, failures: [failure] }], new Date(s.clock.ms).toISOString().slice(11, 19), 900 + s.rng.int(0, 900));
  }
  const frames = [`${file.split('/').pop()?.replace(/\.ts$/, '')} (${s.cwd}/${file}:${line}:18)`, `main (${s.cwd}/scripts/run.ts:14:3)`];
  return () => nodeCrash(s.cwd, file, line, lines[line - 1] ?? '', 18, sig, frames);
}

function passingOutput(s: PlantingSession, how: How): () => CommandOutput {
  if (how === 'tsc') return () => tscErrors([]);
  if (how === 'test') return () => vitestRun(s.project.name, s.cwd, [{ path: 'test/postings.concurrent.test.ts', tests: 4, failures: [] }], new Date(s.clock.ms).toISOString().slice(11, 19), 700);
  return () => ({ stdout: `done: ${s.rng.int(40, 4000)} records in ${s.rng.int(2, 30)}.${s.rng.int(0, 9)}s\n`, stderr: '', exitCode: 0 });
}

/** Two turns: the error, a wrong fix and the same error again, then the real fix. */
function errorEpisode(s: PlantingSession, [key, signature, command, file, how, report, fix]: (typeof ERRORS)[number]): void {
  const a = s.main;
  const t = a.tools;
  const sig = signature(s.rng);
  const quote = s.rng.chance(0.5);
  const header = s.project.read(file).split('\n')[0] ?? '';
  s.prompt(report);
  s.fact('error-message', key, `What exact error did \`${command}\` fail with?`, sig);
  a.step({ text: `Reproducing with \`${command}\`.`, tools: [t.bash(command, 'Reproduce the failure', failingOutput(s, how, sig, file))] });
  a.step({ text: quote ? `It fails with \`${sig}\`. Reading ${file}.` : `It fails inside ${file}. Reading it.`, tools: [t.read(file)] });
  const attempt = `// ${key}: retry once before giving up`;
  a.step({ text: 'Trying the obvious guard first.', tools: [t.edit(file, header, `${header}\n${attempt}`)] });
  a.step({ tools: [t.bash(command, 'Check the guard', failingOutput(s, how, sig, file))] });
  a.say(quote ? `Still \`${sig}\`; the guard was not it.` : 'Same failure; the guard was not it.');
  s.endTurn();
  s.prompt('Same error twice now. Think about the cause before patching.');
  a.step({ text: `The real cause: ${fix}.`, tools: [t.edit(file, attempt, `// ${key}: ${fix}`)] });
  a.step({ tools: [t.bash(command, 'Run it again', passingOutput(s, how))] });
  a.say(`Fixed: ${fix}. \`${command}\` passes now.`);
  s.endTurn();
}

/** The last two turns: a new bug, its failing test, a first fix that does not make it pass. */
function ending(s: PlantingSession, [file, testFile, test, assertion, report]: (typeof ENDINGS)[number]): void {
  const a = s.main;
  const t = a.tools;
  const describe = testFile.split('/').pop()?.replace(/\.test\.ts$/, '') ?? 'module';
  const run = (ms: number) =>
    t.bash(`npx vitest run ${testFile}`, `Run ${testFile}`, () =>
      vitestRun(s.project.name, s.cwd, [{ path: testFile, tests: 3, failures: [{ test: `${describe} > ${test}`, error: assertion, frames: [`${testFile}:18:27`] }] }], new Date(s.clock.ms).toISOString().slice(11, 19), ms),
    );
  s.prompt(`New bug from support: ${report}. Write a failing test first, in ${testFile}.`);
  s.fact('current-state', 'failing-test', 'Which test is failing at the end of the session?', test);
  s.fact('current-state', 'assertion', 'What assertion fails at the end of the session?', assertion.replace(/^AssertionError: /, ''));
  a.step({ text: 'Reading the statements module first.', tools: [t.read('src/ledger/statements.ts')] });
  const body = `import { describe, expect, it } from 'vitest';\n\ndescribe('${describe}', () => {\n  it('${test}', () => {\n    expect(true).toBe(true);\n  });\n});\n`;
  a.step({ text: `Writing the test in ${testFile}.`, tools: [t.write(testFile, body)] });
  a.step({ tools: [run(420)] });
  a.say(`The new test fails as expected: \`${test}\`.`);
  s.endTurn();
  s.prompt(`Good. Make it pass; the fix belongs in ${file}.`);
  s.fact('current-state', 'file', 'Which file is being changed to fix the open bug?', file);
  a.step({ text: `Creating ${file}.`, tools: [t.write(file, `// ${report}.\nexport {};\n`)] });
  a.step({ tools: [run(460)] });
  a.say(`Still failing: \`${test}\` (${assertion.replace(/^AssertionError: /, '')}). I'll trace the value through ${file} next.`);
  s.endTurn();
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * One session with ~24 facts: 6 decisions, 6 final values, 5 error messages and 4 revised values
 * spread over the whole story (the revision at least six episodes after the first value), then the
 * three current-state facts of the two closing turns.
 */
export function plantedSession(opts: SessionOptions): PlantedSession {
  const s = new PlantingSession(opts);
  const rng = s.rng.fork('planted');
  type Run = (p: PlantingSession) => void;
  const firsts: Run[] = [
    ...shuffled(rng, DECISIONS).slice(0, 6).map((d): Run => (p) => decision(p, d)),
    ...shuffled(rng, FINAL_VALUES).slice(0, 6).map((v): Run => (p) => finalValue(p, v)),
    ...shuffled(rng, ERRORS).slice(0, 5).map((e): Run => (p) => errorEpisode(p, e)),
  ];
  const order = shuffled(rng, firsts);
  for (const r of shuffled(rng, REVISED).slice(0, 4)) {
    let staleTurn = 0;
    const first: Run = (p) => {
      staleTurn = revisedFirst(p, r);
    };
    order.splice(rng.int(0, 10), 0, first);
    const after = order.indexOf(first) + 6;
    order.splice(rng.int(after, order.length), 0, (p) => revisedSecond(p, r, staleTurn));
  }
  // The story's scripted opening takes the first six prompts; the ending comes after it.
  const span = Math.max(1, opts.turns - 14);
  s.queue = order.map((run, i) => ({ at: 9 + Math.floor(((i + rng.next() * 0.8) * span) / order.length), run }));
  runStory(s);
  // A short story can leave some unplanted: plant them now (emptying the queue first, so that
  // their own prompts do not run them again).
  const rest = s.queue;
  s.queue = [];
  for (const episode of rest) episode.run(s);
  ending(s, rng.pick(ENDINGS));
  const files: GeneratedFile[] = [{ relPath: `${s.enc}/${s.sessionId}.jsonl`, content: s.w.text() }];
  for (const sub of s.subagents) {
    files.push({ relPath: sub.file, content: sub.agent.w.text() });
    if (sub.metaFile !== undefined) files.push({ relPath: sub.metaFile, content: JSON.stringify({ agentType: sub.agentType, description: sub.description, toolUseId: sub.toolUseId }) });
  }
  return { label: `seed ${opts.seed}`, sessionId: s.sessionId, turns: s.turn, files, facts: s.facts };
}

/** Writes the sessions under `<root>/projects/`, in Claude Code's layout. */
export function writePlanted(root: string, sessions: readonly PlantedSession[]): void {
  for (const session of sessions) {
    for (const f of session.files) {
      const full = join(root, 'projects', f.relPath);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, f.content);
    }
  }
}
