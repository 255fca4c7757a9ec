// The `loupe` command: the core's jobs, headless. Also what agent hooks call.
import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { defaultDatabasePath } from '../core/paths';
import { ingestDefault, ingestPaths, type IngestReport } from '../core/ingest';
import { openStore, type Store } from '../core/store/store';
import { sessionStats } from '../core/stats';
import { contextFillLines } from './context';
import { compactCommand, parseBudget, showLevelCommand } from './compact';
import { readCommand } from './read';
import { UsageError } from './errors';
import { formatInt, formatTime, formatTokens, oneLine, table } from './format';
import { verbatimText } from '../core/source';
import { prepareGraphBuild } from '../core/recall/prepare';
import { catchUp } from '../core/recall/write';
import { gcCommand, handleCommand, parseDays, parseLimit, parseNow, parseRestart, recallCommand, relatedCommand } from './recall';

const HELP = `loupe — see, compress and recall coding-agent sessions

Usage: loupe [--db PATH] <command> [options]

Commands:
  ingest [paths…]          ingest transcripts (files or folders; default: every Claude Code
                           projects folder: ~/.claude/projects, $CLAUDE_CONFIG_DIR, …)
  sessions                 list sessions: id, project, title, turns, tokens, updated
  show <session>           print a session's events (--turn N for one turn)
  show <session> --level L the session at one resolution: R0 verbatim, R1 stripped,
                           R2 turn digests, R3 working context, R4 outline
  show e123                one event in full, read back from its transcript
  stats <session>          tokens by kind and by tool, biggest tool outputs, context fill
  compact <session> --budget N [--query Q] [--out FILE]
                           the session as one markdown context that fits N tokens
  read <session> --window W [--question Q] [--plan]
                           progressive read with a model of window W: coarse to fine passes
                           (--plan: print the passes offline, no model needed)
  recall "<query>" [--session S] [--budget N]
                           ranked hits over every session and level (BM25 + graph):
                           handle, session, turn, level, score, snippet; --budget expands
                           the best to their verbatim originals until N tokens are used
  recall --handle e512     one original in full (what a placeholder points to)
  related <file|symbol|text> [--session S] [--budget N]
                           what the semantic graph connects to it, and the turns about it,
                           within one project: the session's, else the one where the name
                           occurs (the others are named; --all-projects walks them all)
  gc [--dry-run]           forget digests not recalled for --forget-after days (archive them,
                           keep one line) and prune archived ones older than --retention days
  help                     this text

A <session> is an id, a unique id prefix, or "latest".

Options:
  --db PATH                database file (default: ${defaultDatabasePath()}; env LOUPE_DB)
  --json                   machine-readable output (read commands)
  --turn N                 show: only turn N
  --level R0..R4           show: the resolution
  --budget N               compact: the token budget (gpt-tokenizer count of the whole output)
  --query Q                compact: raise the turns relevant to Q
  --out FILE               compact: write the markdown to FILE instead of stdout
  --window W               read: the model's context window in tokens (every call fits it)
  --question Q             read: what the read should answer (else: an outline to continue from)
  --plan                   read: print the plan (passes, slices, tokens) without a model
  --provider P             read: anthropic (ANTHROPIC_API_KEY) or openai (any OpenAI-compatible
                           endpoint: Ollama, LM Studio, llama.cpp; OPENAI_API_KEY if it needs one)
  --model M                read: the model (default claude-haiku-4-5; env LOUPE_MODEL)
  --base-url URL           read: the endpoint (env LOUPE_BASE_URL)
  --distill                read: first let the model rewrite the R2 digests and R3 context
                           (checked; the extractive unit stays when a check fails)
  --resume RUN             read: continue a cancelled or failed read (same --window, --question)
  --session S              recall: only this session; related: look up in its project
  --all-projects           recall, related: file and symbol names seed the graph in every
                           project (default: the session's, or the one where they occur)
  --handle eN|uN           recall: print one original in full
  --limit N                recall, related: how many hits (default 10 / 15)
  --restart P              recall, related: PageRank restart probability (default 0.25)
  --dry-run                gc: report what would change, change nothing
  --forget-after DAYS      gc: default 30
  --retention DAYS         gc: default 120
  --now ISO                recall, related, gc: pretend it is this time (scripts, tests)
  -h, --help               this text
`;


interface Globals {
  db: string;
  json: boolean;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      turn: { type: 'string' },
      level: { type: 'string' },
      budget: { type: 'string' },
      query: { type: 'string' },
      out: { type: 'string' },
      window: { type: 'string' },
      question: { type: 'string' },
      plan: { type: 'boolean', default: false },
      provider: { type: 'string' },
      model: { type: 'string' },
      'base-url': { type: 'string' },
      distill: { type: 'boolean', default: false },
      resume: { type: 'string' },
      session: { type: 'string' },
      'all-projects': { type: 'boolean', default: false },
      handle: { type: 'string' },
      limit: { type: 'string' },
      restart: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'forget-after': { type: 'string' },
      retention: { type: 'string' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const globals: Globals = { db: values.db ?? defaultDatabasePath(), json: values.json === true };
  switch (command) {
    case 'ingest':
      return withStore(globals, (store) => ingestCommand(store, rest, globals));
    case 'sessions':
      return withStore(globals, (store) => sessionsCommand(store, globals));
    case 'show': {
      const ref = one(rest, 'show <session>');
      if (/^e\d+$/.test(ref)) return withStore(globals, (store) => showEventCommand(store, ref, globals));
      if (values.level) return withStore(globals, (store) => showLevelCommand(store, ref, values.level!, turnNumber(values.turn)));
      return withStore(globals, (store) => showCommand(store, ref, values.turn, globals));
    }
    case 'compact': {
      const ref = one(rest, 'compact <session> --budget N');
      const budget = parseBudget(values.budget);
      return withStore(globals, (store) =>
        compactCommand(store, ref, { budget, json: globals.json, ...(values.query ? { query: values.query } : {}), ...(values.out ? { out: values.out } : {}) }),
      );
    }
    case 'read': {
      const ref = one(rest, 'read <session> --window W [--question Q] [--plan]');
      return withStore(globals, (store) =>
        readCommand(store, ref, {
          window: values.window,
          plan: values.plan === true,
          distill: values.distill === true,
          ...(values.resume ? { resume: values.resume } : {}),
          json: globals.json,
          ...(values.question ? { question: values.question } : {}),
          ...(values.provider ? { provider: values.provider } : {}),
          ...(values.model ? { model: values.model } : {}),
          ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
          ...(values.out ? { out: values.out } : {}),
        }),
      );
    }
    case 'stats':
      return withStore(globals, (store) => statsCommand(store, one(rest, 'stats <session>'), globals));
    case 'recall': {
      if (values.handle) return withStore(globals, (store) => handleCommand(store, values.handle!));
      const recallArgs = {
        json: globals.json,
        ...(values.session ? { session: values.session } : {}),
        allProjects: values['all-projects'] === true,
        ...(values.budget !== undefined ? { budget: parseBudget(values.budget) } : {}),
        ...(values.limit !== undefined ? { limit: parseLimit(values.limit) } : {}),
        ...(values.restart !== undefined ? { restart: parseRestart(values.restart)! } : {}),
        ...(values.now !== undefined ? { now: parseNow(values.now)! } : {}),
      };
      const query = rest.join(' ');
      if (query.trim() === '') throw new UsageError('usage: loupe recall "<query>" [--session S] [--budget N] | --handle eN');
      return withStore(globals, async (store) => {
        await prepareGraphBuild(store); // code reads' symbols come from tree-sitter when recall graphs them
        return recallCommand(store, query, recallArgs);
      });
    }
    case 'related': {
      const target = rest.join(' ');
      if (target.trim() === '') throw new UsageError('usage: loupe related <file|symbol|text> [--session S] [--budget N]');
      const relatedArgs = {
        json: globals.json,
        ...(values.session ? { session: values.session } : {}),
        allProjects: values['all-projects'] === true,
        ...(values.budget !== undefined ? { budget: parseBudget(values.budget) } : {}),
        ...(values.limit !== undefined ? { limit: parseLimit(values.limit) } : {}),
        ...(values.restart !== undefined ? { restart: parseRestart(values.restart)! } : {}),
        ...(values.now !== undefined ? { now: parseNow(values.now)! } : {}),
      };
      return withStore(globals, async (store) => {
        await prepareGraphBuild(store);
        return relatedCommand(store, target, relatedArgs);
      });
    }
    case 'gc': {
      const forgetAfterDays = parseDays('forget-after', values['forget-after']);
      const retentionDays = parseDays('retention', values.retention);
      const gcArgs = {
        json: globals.json,
        dryRun: values['dry-run'] === true,
        ...(forgetAfterDays !== undefined ? { forgetAfterDays } : {}),
        ...(retentionDays !== undefined ? { retentionDays } : {}),
        ...(values.now !== undefined ? { now: parseNow(values.now)! } : {}),
      };
      return withStore(globals, (store) => gcCommand(store, gcArgs));
    }
    default:
      throw new UsageError(`unknown command "${command}" (see loupe --help)`);
  }
}

function one(rest: string[], usage: string): string {
  if (rest.length !== 1) throw new UsageError(`usage: loupe ${usage}`);
  return rest[0]!;
}

async function withStore(globals: Globals, fn: (store: Store) => Promise<number> | number): Promise<number> {
  const store = await openStore(globals.db, { onNotice: (message) => process.stderr.write(`loupe: ${message}\n`) });
  try {
    if (store.recovered) {
      // The old file was moved aside: rebuild what can be rebuilt, since transcripts are the source of truth.
      const report = await ingestDefault(store);
      process.stderr.write(`loupe: rebuilt the database from ${report.filesRead} transcript files (${report.sessions.length} sessions)\n`);
    }
    return await fn(store);
  } finally {
    store.close();
  }
}

async function ingestCommand(store: Store, paths: string[], globals: Globals): Promise<number> {
  for (const path of paths) {
    try {
      statSync(path);
    } catch (err) {
      throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  const started = Date.now();
  let lastProgress = started;
  const onProgress = ({ filesDone, filesTotal, bytesRead }: { filesDone: number; filesTotal: number; bytesRead: number }) => {
    if (Date.now() - lastProgress < 1000) return;
    lastProgress = Date.now();
    process.stderr.write(`loupe: ingested ${filesDone}/${filesTotal} files, ${(bytesRead / 1e6).toFixed(1)} MB\n`);
  };
  const report: IngestReport =
    paths.length > 0 ? await ingestPaths(store, paths, { onProgress }) : await ingestDefault(store, { onProgress });
  for (const issue of report.issues) process.stderr.write(`${issue.file}:${issue.line}: ${issue.message}\n`);
  for (const skip of report.skipped) process.stderr.write(`${skip.file}: skipped: ${skip.reason}\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // Recall's index and graph of what was just stored (its own transaction: see recall/write.ts).
  const indexStarted = Date.now();
  const indexed = await catchUp(store, {
    onProgress: (n) => {
      if (Date.now() - lastProgress < 1000) return;
      lastProgress = Date.now();
      process.stderr.write(`loupe: indexed ${formatInt(n)} rows for recall\n`);
    },
  });
  const indexSeconds = ((Date.now() - indexStarted) / 1000).toFixed(1);
  if (globals.json) {
    process.stdout.write(JSON.stringify({ ...report, indexed }, null, 2) + '\n');
  } else {
    process.stdout.write(
      `ingested ${formatInt(report.events)} events from ${report.filesRead} files ` +
        `(${(report.bytesRead / 1e6).toFixed(1)} MB, ${report.sessions.length} sessions updated, ` +
        `${report.filesUnchanged} unchanged${report.issues.length ? `, ${report.issues.length} lines skipped` : ''}` +
        `${report.skipped.length ? `, ${report.skipped.length} files skipped` : ''}) in ${seconds}s\n`,
    );
    if (indexed > 0) process.stdout.write(`indexed ${formatInt(indexed)} events and units for recall and the graph in ${indexSeconds}s\n`);
  }
  return 0;
}

function sessionsCommand(store: Store, globals: Globals): number {
  const sessions = store.listSessions();
  if (globals.json) {
    process.stdout.write(JSON.stringify(sessions, null, 2) + '\n');
    return 0;
  }
  if (sessions.length === 0) {
    process.stdout.write('no sessions yet: run `loupe ingest`\n');
    return 0;
  }
  process.stdout.write(
    table(
      ['id', 'project', 'title', 'turns', 'tokens', 'updated'],
      sessions.map((s) => [s.id.slice(0, 8), project(s.cwd), oneLine(s.title, 48), s.turns, formatTokens(s.tokens), formatTime(s.updatedAt)]),
    ) + '\n',
  );
  return 0;
}

function project(cwd: string): string {
  return cwd.split(/[\\/]/).filter(Boolean).pop() ?? '';
}

function turnNumber(turnArg: string | undefined): number | undefined {
  if (turnArg === undefined) return undefined;
  const turn = Number(turnArg);
  if (!Number.isInteger(turn) || turn < 0) throw new UsageError(`--turn needs a turn number, got "${turnArg}"`);
  return turn;
}

/** `loupe show e123`: one event, verbatim (what a placeholder's "recall e123" points to). */
function showEventCommand(store: Store, handle: string, globals: Globals): number {
  const event = store.event(Number(handle.slice(1)));
  if (!event) throw new Error(`no event ${handle} in the database`);
  const full = verbatimText(event);
  if (globals.json) {
    process.stdout.write(JSON.stringify({ ...event, text: full }, null, 2) + '\n');
    return 0;
  }
  const who = event.toolName ? `${event.kind}:${event.toolName}` : event.kind;
  process.stdout.write(`${handle} · ${who} · turn ${event.turn} · ${event.sourceRef.file}:${event.sourceRef.line}\n\n${full}\n`);
  return 0;
}

function showCommand(store: Store, ref: string, turnArg: string | undefined, globals: Globals): number {
  const session = store.resolveSession(ref);
  const turn = turnNumber(turnArg);
  const events = store.events(session.id, turn === undefined ? {} : { turn });
  if (globals.json) {
    process.stdout.write(JSON.stringify({ session, events }, null, 2) + '\n');
    return 0;
  }
  const out: string[] = [`# ${session.title || session.id}`, `${session.id} · ${session.cwd} · ${session.gitBranch}`, ''];
  let lastTurn = -1;
  for (const e of events) {
    if (e.turn !== lastTurn) {
      out.push(`── turn ${e.turn} ──`);
      lastTurn = e.turn;
    }
    const who = e.toolName ? `${e.kind}:${e.toolName}` : e.kind;
    const flags = `${e.isError ? ' ERROR' : ''}${e.sidechain ? ' [subagent]' : ''}${e.mainLine ? '' : ' [abandoned branch]'}`;
    out.push(`e${e.id} ${formatTime(e.ts)} ${who}${flags} (${formatTokens(e.tokens)} tok)`);
    if (e.text) out.push(indent(e.text.length > 600 ? e.text.slice(0, 600) + ' …' : e.text));
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n');
}

function statsCommand(store: Store, ref: string, globals: Globals): number {
  const stats = sessionStats(store, ref);
  if (globals.json) {
    process.stdout.write(JSON.stringify(stats, null, 2) + '\n');
    return 0;
  }
  const u = stats.usage;
  const out = [
    `# ${stats.title || stats.sessionId}`,
    `${stats.sessionId}: ${formatInt(stats.events)} events, ${stats.turns} turns, ${formatInt(stats.tokens)} tokens (gpt-tokenizer)`,
    `API usage: input ${formatInt(u.inputTokens)} · output ${formatInt(u.outputTokens)} · cache creation ${formatInt(u.cacheCreationTokens)} · cache read ${formatInt(u.cacheReadTokens)}`,
    '',
    'Tokens by kind',
    table(['kind', 'events', 'tokens'], stats.byKind.map((k) => [k.kind, k.events, k.tokens])),
    '',
    'Tokens by tool',
    table(['tool', 'calls', 'tokens', 'errors'], stats.byTool.map((t) => [t.tool, t.calls, t.tokens, t.errors])),
    '',
    'Biggest tool outputs',
    table(
      ['handle', 'tool', 'target', 'turn', 'tokens'],
      stats.biggestOutputs.map((b) => [b.handle, b.tool, oneLine(b.target, 50), b.turn, b.tokens]),
    ),
    '',
    ...contextFillLines(stats),
  ];
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

/**
 * Whether the reader of our output went away (`loupe show … | head -1`). Writing to a pipe whose
 * reader closed fails with EPIPE, reported as an 'error' event on the stream; unhandled, it crashed
 * the CLI with a stack trace and status 1 after the reader had all it wanted. That is not a failure
 * of the command: from then on its output is dropped (a destroyed stream discards writes), its work
 * finishes (a save, the writer lock), and it ends quietly with status 0. Once here, for every
 * command; stderr too (`2>&1 | head`).
 */
let readerGone = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    readerGone = true;
    process.exitCode = 0;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = readerGone ? 0 : code;
  },
  (err: unknown) => {
    // A real failure is still reported, reader or not.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`loupe: ${message}\n`);
    process.exitCode = err instanceof UsageError || (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1;
  },
);
