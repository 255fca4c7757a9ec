// `loupe recall`, `loupe related` and `loupe gc`: search, the graph, and the forget lifecycle.
import { gc } from '../core/lifecycle/forget';
import { originalText, recall } from '../core/recall/recall';
import { related } from '../core/recall/related';
import type { Store } from '../core/store/store';
import { UsageError } from './errors';
import { formatInt, oneLine } from './format';

export interface RecallArgs {
  json: boolean;
  session?: string;
  allProjects?: boolean;
  budget?: number;
  limit?: number;
  restart?: number;
  now?: () => Date;
}

export function recallCommand(store: Store, query: string, args: RecallArgs): number {
  const result = recall(store, query, {
    ...(args.session ? { session: args.session } : {}),
    ...(args.allProjects ? { allProjects: true } : {}),
    ...(args.budget !== undefined ? { budget: args.budget } : {}),
    ...(args.limit !== undefined ? { limit: args.limit } : {}),
    ...(args.restart !== undefined ? { restart: args.restart } : {}),
    ...(args.now ? { now: args.now } : {}),
  });
  if (args.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return result.hits.length > 0 ? 0 : 1;
  }
  if (result.hits.length === 0) {
    process.stderr.write(`loupe: nothing matches "${query}"\n`);
    return 1;
  }
  for (const h of result.hits) {
    const flags = [h.archived ? 'archived' : '', h.superseded ? 'superseded' : '', h.bm25 === 0 ? 'via graph' : ''].filter(Boolean).join(', ');
    process.stdout.write(
      `${h.handle.padEnd(8)} ${h.score.toFixed(3)}  ${h.sessionId.slice(0, 8)} turn ${h.turn} ${h.level}${flags ? ` (${flags})` : ''}\n` +
        `         ${oneLine(h.snippet, 150)}\n`,
    );
  }
  for (const e of result.expanded) process.stdout.write(`\n--- ${e.handle} (${formatInt(e.tokens)} tokens) ---\n${e.text.trimEnd()}\n`);
  if (args.budget !== undefined) {
    process.stderr.write(`loupe: expanded ${result.expanded.length} hits to their originals: ${formatInt(result.tokens)} of ${formatInt(args.budget)} tokens\n`);
  }
  return 0;
}

/** `loupe recall --handle e512`: one original in full (what a placeholder points to). */
export function handleCommand(store: Store, handle: string): number {
  if (!/^[eu]\d+$/.test(handle)) throw new UsageError(`--handle takes e<event id> or u<unit id>, got "${handle}"`);
  const text = originalText(store, handle);
  if (text === null) throw new Error(`no ${handle.startsWith('e') ? 'event' : 'unit'} ${handle}`);
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return 0;
}

export function relatedCommand(store: Store, target: string, args: RecallArgs): number {
  const result = related(store, target, {
    ...(args.session ? { session: args.session } : {}),
    ...(args.allProjects ? { allProjects: true } : {}),
    ...(args.budget !== undefined ? { budget: args.budget } : {}),
    ...(args.limit !== undefined ? { limit: args.limit } : {}),
    ...(args.restart !== undefined ? { restart: args.restart } : {}),
    ...(args.now ? { now: args.now } : {}),
  });
  if (args.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return result.seeds.length > 0 ? 0 : 1;
  }
  const elsewhere = result.otherProjects.length > 0 ? `; also named in ${result.otherProjects.map(projectName).join(', ')} (--all-projects)` : '';
  if (result.seeds.length === 0) {
    const where = result.projects?.length === 1 ? ` in ${result.projects[0]}` : '';
    process.stderr.write(`loupe: the graph has no file or symbol matching "${target}"${where}${elsewhere}\n`);
    return 1;
  }
  // Names are within their project: say which, once when there is one, beside each name when several.
  const projects = new Set(result.seeds.map((s) => s.project));
  const home = projects.size === 1 ? result.seeds[0]!.project : undefined;
  const named = (n: { name: string; project: string }) => (n.project === '' || n.project === home ? n.name : `${n.name} (${projectName(n.project)})`);
  const header = `related to ${result.seeds.map((s) => `${s.type} ${named(s)}`).join(', ')}`;
  process.stdout.write(`${header}${home ? ` in ${home}` : ''}${elsewhere}:\n`);
  for (const n of result.nodes) process.stdout.write(`  ${n.score.toFixed(4)}  ${n.type.padEnd(8)} ${oneLine(named(n), 100)}\n`);
  for (const t of result.turns) {
    process.stdout.write(`\n--- ${t.handle} · ${t.sessionId.slice(0, 8)} turn ${t.turn} ${t.level} · ${t.score.toFixed(4)} ---\n${t.text.trimEnd()}\n`);
  }
  return 0;
}

/** A project by its folder's last name (`polydot` for c:/Users/yyash/Coding/polydot). */
function projectName(project: string): string {
  return project.split('/').filter(Boolean).pop() ?? project;
}

export interface GcArgs {
  json: boolean;
  dryRun: boolean;
  forgetAfterDays?: number;
  retentionDays?: number;
  now?: () => Date;
}

export function gcCommand(store: Store, args: GcArgs): number {
  const report = gc(store, {
    dryRun: args.dryRun,
    ...(args.forgetAfterDays !== undefined ? { forgetAfterDays: args.forgetAfterDays } : {}),
    ...(args.retentionDays !== undefined ? { retentionDays: args.retentionDays } : {}),
    ...(args.now ? { now: args.now } : {}),
  });
  if (args.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  const verb = report.dryRun ? 'would' : 'did';
  for (const c of report.changes) {
    const what = c.action === 'forget' ? `forget (archive u${c.unitId}, keep "${oneLine(c.line ?? '', 80)}")` : `prune u${c.unitId}`;
    process.stdout.write(`${c.sessionId.slice(0, 8)} turn ${c.turn}: ${what}, last used ${c.lastUsed.slice(0, 10)}\n`);
  }
  process.stdout.write(
    `${verb} forget ${report.forgotten} digests (unused for ${report.forgetAfterDays} days) and prune ${report.pruned} archived ones ` +
      `(older than ${report.retentionDays} days); transcripts are never touched\n`,
  );
  return 0;
}

/** A whole number of days from an option. */
export function parseDays(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} needs a number of days, got "${value}"`);
  return n;
}

/** `--now` (for scripts and tests): pretend it is this time. */
export function parseNow(value: string | undefined): (() => Date) | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`--now needs an ISO date, got "${value}"`);
  return () => new Date(t);
}

export function parseRestart(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new UsageError(`--restart needs a probability between 0 and 1, got "${value}"`);
  return n;
}

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--limit needs a positive whole number, got "${value}"`);
  return n;
}
