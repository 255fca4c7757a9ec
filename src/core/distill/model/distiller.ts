// The model distiller (DESIGN §4): a provider rewrites the R2 digests and the R3 working context
// the extractive distiller made. Each answer is checked (sections, invented paths); a failed check
// or a provider error keeps the extractive unit and records why in distill_attempts. Incremental
// like the extractive pass: a digest a model already rewrote is left alone until its turn changes
// (distillSession then writes a fresh extractive one).
import type { StoredEvent } from '../../model';
import { LlmError, type LlmProvider, type LlmResult, UsageMeter } from '../../llm/provider';
import { DIGEST_SYSTEM, digestUserPrompt, WORKING_CONTEXT_SYSTEM, workingContextUserPrompt } from '../../llm/prompts';
import { type Block, list, paragraph, raw, render, strong, text } from '../../markdown';
import { fitTokens } from '../../tokens/fit';
import { all, num, str } from '../../store/rows';
import type { Store } from '../../store/store';
import { countExact } from '../../tokens/count';
import { renderTurnSharp, anchor } from '../strip';
import { type DistilledSession, EXTRACTIVE, type SessionDistiller } from '../units';
import { checkDigest, checkWorkingContext } from './checks';

export interface ModelDistillerOptions {
  /** The model's context window: inputs are cut to fit it. */
  window?: number;
  /** At most this many digests per call of refine (newest first); default all. */
  maxTurns?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface Attempt {
  level: 2 | 3;
  turn: number;
  accepted: boolean;
  reason: string;
}

export class ModelDistiller implements SessionDistiller {
  readonly name: string;
  readonly usage = new UsageMeter();
  readonly attempts: Attempt[] = [];

  constructor(
    private readonly provider: LlmProvider,
    private readonly options: ModelDistillerOptions = {},
  ) {
    this.name = `${provider.name}:${provider.model}`;
  }

  async refine(store: Store, d: DistilledSession): Promise<DistilledSession> {
    const key = store.key(d.session.id);
    const window = this.options.window ?? 32_000;
    const extractiveTurns = new Set(
      all(store.db, 'SELECT turn_from FROM units WHERE session = ? AND level = 2 AND distiller = ?', [key, EXTRACTIVE]).map((r) => num(r.turn_from)),
    );
    const todo = d.turns.filter((t) => extractiveTurns.has(t)).reverse().slice(0, this.options.maxTurns ?? Infinity).reverse();
    let changed = false;
    for (const turn of todo) {
      const events = d.analysis.turns.get(turn) ?? [];
      const rendered = fitTokens(render(renderTurnSharp(events, 1, { analysis: d.analysis })), window - countExact(DIGEST_SYSTEM) - 1200).text;
      const outcome = await this.ask(store, key, 2, turn, turn, { system: DIGEST_SYSTEM, user: digestUserPrompt(turn, d.turns.length, rendered), maxTokens: 1000 }, (a) => checkDigest(a, sourceText(events)));
      if (outcome === 'stop') return d;
      if (outcome === null) continue;
      const digest = d.digests.get(turn)!;
      const markdown = render(digestBlocks(turn, digest.startedAt, digest.promptId ?? digest.eventFrom, outcome));
      store.write((db) => db.run('UPDATE units SET text = ?, tokens = ?, distiller = ? WHERE session = ? AND level = 2 AND turn_from = ?', [markdown, countExact(markdown), this.name, key, turn]));
      changed = true;
    }

    const r3 = all(store.db, 'SELECT distiller FROM units WHERE session = ? AND level = 3', [key])[0];
    if (r3 && (str(r3.distiller) === EXTRACTIVE || changed)) {
      const digests = all(store.db, 'SELECT text FROM units WHERE session = ? AND level = 2 ORDER BY turn_from', [key]).map((r) => str(r.text));
      const material = fitTokens([...digests, d.contextMarkdown].join('\n'), window - countExact(WORKING_CONTEXT_SYSTEM) - 2500).text;
      const answer = await this.ask(store, key, 3, d.turns[0] ?? 0, d.turns[d.turns.length - 1] ?? 0, { system: WORKING_CONTEXT_SYSTEM, user: workingContextUserPrompt(d.turns.length, material), maxTokens: 2000 }, (a) =>
        checkWorkingContext(a, sourceText(d.events)),
      );
      if (typeof answer === 'string') {
        // Model text is data: it goes through the syntax tree, line by line, so it cannot inject HTML.
        const markdown = render([{ t: 'heading', level: 2, children: [raw('Working context')] }, ...modelBlocks(answer)]);
        store.write((db) => db.run('UPDATE units SET text = ?, tokens = ?, distiller = ? WHERE session = ? AND level = 3', [markdown, countExact(markdown), this.name, key]));
        return { ...d, contextMarkdown: markdown };
      }
    }
    return d;
  }

  /** One checked call. The answer, null when it was rejected (recorded), 'stop' on a configuration error. */
  private async ask(
    store: Store,
    key: number,
    level: 2 | 3,
    from: number,
    to: number,
    prompt: { system: string; user: string; maxTokens: number },
    check: (answer: string) => string | null,
  ): Promise<string | null | 'stop'> {
    let result: LlmResult | undefined;
    let reason: string | null;
    try {
      result = await this.provider.complete({ system: prompt.system, messages: [{ role: 'user', content: prompt.user }], maxTokens: prompt.maxTokens, temperature: 0, ...(this.options.signal ? { signal: this.options.signal } : {}) });
      this.usage.add(result);
      reason = result.text.trim() === '' ? 'empty answer' : check(result.text);
    } catch (err) {
      if (err instanceof LlmError && err.kind === 'aborted') throw err;
      reason = err instanceof Error ? err.message : String(err);
      this.record(store, key, level, from, to, false, reason, result);
      // A bad key or an unknown model fails every call the same way: stop asking.
      return err instanceof LlmError && !err.retryable && err.kind !== 'context-too-long' && err.kind !== 'bad-request' ? 'stop' : null;
    }
    this.record(store, key, level, from, to, reason === null, reason ?? '', result);
    return reason === null ? result.text : null;
  }

  private record(store: Store, key: number, level: 2 | 3, from: number, to: number, accepted: boolean, reason: string, result: LlmResult | undefined): void {
    this.attempts.push({ level, turn: from, accepted, reason });
    const at = (this.options.now ?? (() => new Date()))().toISOString();
    store.write((db) =>
      db.run(
        `INSERT INTO distill_attempts (session, level, turn_from, turn_to, distiller, accepted, reason, input_tokens, output_tokens, cost_usd, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
        [key, level, from, to, this.name, accepted ? 1 : 0, reason, result?.usage.inputTokens ?? 0, result?.usage.outputTokens ?? 0, result?.usage.costUsd ?? null, at],
      ),
    );
  }
}

/** What a model's output may name: the turn's texts and paths (tool inputs included). */
function sourceText(events: readonly StoredEvent[]): string {
  return events.map((e) => `${e.text}\n${e.paths.join('\n')}\n${JSON.stringify(e.meta.input ?? '')}`).join('\n');
}

function digestBlocks(turn: number, startedAt: string, anchorId: number, answer: string): Block[] {
  const when = startedAt ? ` (${startedAt.slice(0, 16).replace('T', ' ')})` : '';
  const lines = answer.trim().split('\n').map((l) => l.replace(/^\s*[-*]\s+/, '').trim()).filter(Boolean);
  return [paragraph(strong(raw(`Turn ${turn}`)), raw(`${when} ${anchor(anchorId)}`)), list(lines.map((l) => [text(l)]))];
}

/** Model markdown rebuilt as blocks: its ### headings stay headings, runs of bullets one list, the rest text. */
function modelBlocks(answer: string): Block[] {
  const blocks: Block[] = [];
  for (const line of answer.trim().split('\n')) {
    if (!line.trim() || /^#{1,2}\s/.test(line)) continue;
    const h = /^#{3,4}\s+(.*)$/.exec(line);
    const b = /^\s*[-*]\s+(.*)$/.exec(line);
    const last = blocks[blocks.length - 1];
    if (h) blocks.push({ t: 'heading', level: 3, children: [text(h[1]!.trim())] });
    else if (b && last?.t === 'list') last.items.push([text(b[1]!)]);
    else if (b) blocks.push(list([[text(b[1]!)]]));
    else blocks.push(paragraph(text(line.trim())));
  }
  return blocks;
}
