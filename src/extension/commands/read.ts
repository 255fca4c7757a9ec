// Progressive Read… (DESIGN §7): the plan first, offline; then the passes with the model the
// `loupe.distiller` setting names. Keys come from SecretStorage (or the environment) and are never
// logged or put in settings. The visualiser panel runs the same thing through ReadRunner.
import * as vscode from 'vscode';
import { AnthropicProvider } from '../../core/llm/anthropic';
import { OpenAiCompatibleProvider } from '../../core/llm/openai';
import { LlmError, type LlmProvider, type LlmRequest, type LlmResult } from '../../core/llm/provider';
import { planRead } from '../../core/progressive/plan';
import { progressiveRead, type PassRecord, type ReadResult } from '../../core/progressive/run';
import { storedUnits } from '../../core/progressive/units-view';
import { countExact } from '../../core/tokens/count';
import { readConfig, type LoupeConfig } from '../config';
import { DistilledCache, readLevels, readPlanMessage, runHint, sessionFrom } from '../lib/actions';
import { formatTokens } from '../lib/format';
import { completeWithLanguageModel, selectLanguageModel } from '../lm';
import type { LoupeSessions } from '../sessions';
import type { ViewState } from '../views/state';
import { pickSession } from './compact';
import { secretKey } from './misc';

/** Default model window of a progressive read started from the palette or the panel. */
export const DEFAULT_READ_WINDOW = 32_000;
export const READ_WINDOWS = [8_000, 16_000, 32_000, 64_000, 128_000, 200_000] as const;

/** The chat models of VS Code as an LlmProvider: one user message (system prompt first), text back. */
class LanguageModelProvider implements LlmProvider {
  readonly name = 'vscode-lm';
  constructor(private readonly chat: vscode.LanguageModelChat) {}
  get model(): string {
    return this.chat.id;
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    const source = new vscode.CancellationTokenSource();
    const onAbort = () => source.cancel();
    request.signal?.addEventListener('abort', onAbort);
    try {
      if (request.signal?.aborted) throw new LlmError('aborted', 'cancelled');
      const prompt = `${request.system}\n\n${request.messages.map((m) => m.content).join('\n\n')}`;
      const text = await completeWithLanguageModel(this.chat, prompt, source.token);
      if (request.signal?.aborted) throw new LlmError('aborted', 'cancelled');
      // The Language Model API reports no usage: counted here with the same tokenizer as the plan.
      return { text, usage: { inputTokens: countExact(prompt), outputTokens: countExact(text), costUsd: null }, model: this.chat.id, stopReason: 'end', attempts: 1 };
    } catch (err) {
      if (source.token.isCancellationRequested) throw new LlmError('aborted', 'cancelled');
      throw err;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      source.dispose();
    }
  }
}

/** The provider `loupe.distiller` names, or an error that says what to set. */
export async function providerFromConfig(config: LoupeConfig, secrets: vscode.SecretStorage): Promise<LlmProvider> {
  const model = config.model.trim();
  switch (config.distiller) {
    case 'anthropic': {
      const apiKey = (await secrets.get(secretKey('anthropic'))) ?? process.env.ANTHROPIC_API_KEY;
      if (!apiKey) throw new Error('no Anthropic API key: run "Loupe: Set API Key" (kept in secret storage) or set ANTHROPIC_API_KEY');
      return new AnthropicProvider({ apiKey, ...(model ? { model } : {}) });
    }
    case 'openai-compatible': {
      if (!config.endpoint.trim()) throw new Error('loupe.endpoint is empty: set it to the endpoint\'s base URL, e.g. http://localhost:11434/v1');
      if (!model) throw new Error('loupe.model is empty: name the endpoint\'s model, e.g. llama3.1');
      const apiKey = await secrets.get(secretKey('openai-compatible'));
      return new OpenAiCompatibleProvider({ baseURL: config.endpoint.trim(), model, ...(apiKey ? { apiKey } : {}) });
    }
    case 'vscode-lm':
      return new LanguageModelProvider(await selectLanguageModel(config));
    default:
      throw new Error(runHint(config.distiller, config.model, config.endpoint).runHint);
  }
}

export interface ReadRequest {
  sessionId: string;
  window: number;
  fromTurn?: number;
  question?: string;
}

export interface ReadProgress {
  pass: number;
  of: number;
  levels: [number, number][];
  record: PassRecord;
}

/**
 * One progressive read at a time per window: runs it, reports each pass with the levels read so
 * far, and opens the final state as a markdown document. Cancel aborts the model call in flight.
 */
export class ReadRunner {
  private controller: AbortController | undefined;
  readonly distilled = new DistilledCache();

  constructor(private readonly sessions: LoupeSessions, private readonly secrets: vscode.SecretStorage) {}

  get running(): boolean {
    return this.controller !== undefined;
  }

  cancel(): void {
    this.controller?.abort();
  }

  async plan(request: ReadRequest) {
    const store = await this.sessions.open();
    const config = readConfig();
    return readPlanMessage(store, this.distilled.get(store, request.sessionId), { ...request, distiller: config.distiller, model: config.model, endpoint: config.endpoint });
  }

  async run(request: ReadRequest, onPass: (progress: ReadProgress) => void): Promise<ReadResult> {
    if (this.controller) throw new Error('a progressive read is already running: cancel it first');
    const controller = new AbortController();
    this.controller = controller;
    try {
      const store = await this.sessions.open();
      const provider = await providerFromConfig(readConfig(), this.secrets);
      const d = sessionFrom(this.distilled.get(store, request.sessionId), request.fromTurn);
      const question = request.question?.trim();
      const units = storedUnits(store, d);
      const plan = planRead(d, { window: request.window, units, ...(question ? { question } : {}) });
      const done: { level: string; turnFrom: number; turnTo: number; turns?: readonly number[] }[] = [];
      return await progressiveRead(store, d, provider, {
        window: request.window,
        units,
        signal: controller.signal,
        ...(question ? { question } : {}),
        onPass: (record) => {
          // The plan's slice names the turns read when the pass was not re-cut at run time.
          const planned = plan.passes.find((p) => p.pass === record.pass && p.slice.turnFrom === record.turnFrom && p.slice.turnTo === record.turnTo);
          done.push({ level: record.level, turnFrom: record.turnFrom, turnTo: record.turnTo, ...(planned ? { turns: planned.slice.turns } : {}) });
          onPass({ pass: record.pass, of: record.passes, levels: readLevels(done, d.turns), record });
        },
      });
    } finally {
      this.controller = undefined;
    }
  }
}

/** The result of a read as a markdown document beside the editor. */
export async function openReadResult(result: ReadResult, title: string): Promise<void> {
  const head = `<!-- Loupe progressive read ${result.runId} of "${title.replace(/-->/g, '')}": ${result.status}, ${result.passes.length} passes -->\n\n`;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: head + result.state });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

/** A sentence for the end of a read. */
export function readOutcome(result: ReadResult): string {
  const usage = result.usage.describe();
  switch (result.status) {
    case 'stopped-early':
      return `Read stopped early after ${result.passes.length} passes (${formatTokens(result.saved)} tokens not needed): ${usage}`;
    case 'done':
      return `Read done: ${result.passes.length} passes, ${usage}`;
    default:
      return `Read ${result.status}: ${usage}`;
  }
}

/**
 * Progressive Read… from the palette (or a button): the plan first, in a QuickPick with one row per
 * pass; Run is the first row when a model is configured, else the row says how to set one.
 */
export async function progressiveReadCommand(runner: ReadRunner, state: ViewState, sessionArg?: unknown, fromTurnArg?: unknown): Promise<void> {
  const sessionId = await pickSession(state, sessionArg, 'Session to read');
  if (!sessionId) return;
  const fromTurn = typeof fromTurnArg === 'number' && Number.isSafeInteger(fromTurnArg) && fromTurnArg > 0 ? fromTurnArg : undefined;
  const windowPick = await vscode.window.showQuickPick(
    READ_WINDOWS.map((w) => ({ label: `${formatTokens(w)} tokens`, window: w, description: w === DEFAULT_READ_WINDOW ? 'default' : '' })),
    { placeHolder: 'The reading model\'s window: every pass fits in it' },
  );
  if (!windowPick) return;
  const request: ReadRequest = { sessionId, window: windowPick.window, ...(fromTurn ? { fromTurn } : {}) };
  const planned = await runner.plan(request);
  if (!planned.plan) {
    void vscode.window.showErrorMessage(`Loupe: cannot plan the read: ${planned.error ?? 'unknown error'}`);
    return;
  }
  const p = planned.plan;
  type Row = vscode.QuickPickItem & { run?: boolean; settings?: boolean };
  const rows: Row[] = [
    planned.canRun
      ? { label: '$(play) Run the read', description: planned.runHint, run: true }
      : { label: '$(gear) Set a model to run it…', description: planned.runHint, settings: true },
    { label: 'Plan', kind: vscode.QuickPickItemKind.Separator },
    ...p.passes.map((x) => ({
      label: `Pass ${x.pass}/${p.passes.length} · ${x.task} · ${x.level}`,
      description: `turns ${x.fromTurn === x.toTurn ? x.fromTurn : `${x.fromTurn}–${x.toTurn}`} · slice ${formatTokens(x.sliceTokens)} · call ${formatTokens(x.promptTokens)}`,
    })),
    p.mode === 'dense'
      ? { label: `Total ${formatTokens(p.totalRead)} tokens in ${p.passes.length} calls: a dense read`, description: `the whole session verbatim; the progressive passes would read ${formatTokens(p.progressiveRead)}` }
      : { label: `Total ${formatTokens(p.totalRead)} tokens in ${p.passes.length} calls`, description: `a dense read: ${formatTokens(p.dense.tokens)} tokens in ${p.dense.calls} calls` },
  ];
  const picked = await vscode.window.showQuickPick(rows, { placeHolder: `Progressive read of turns ${p.fromTurn}–${p.toTurn}: the plan (window ${formatTokens(p.window)})` });
  if (!picked) return;
  if (picked.settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'loupe.distiller');
    return;
  }
  if (!picked.run) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Loupe: progressive read', cancellable: true }, async (progress, token) => {
    token.onCancellationRequested(() => runner.cancel());
    try {
      const result = await runner.run(request, (x) => progress.report({ message: `pass ${x.pass}/${x.of} (${x.record.level}, turns ${x.record.turnFrom}–${x.record.turnTo})`, increment: 100 / x.of }));
      await openReadResult(result, sessionId);
      void vscode.window.showInformationMessage(`Loupe: ${readOutcome(result)}`);
    } catch (err) {
      const cancelled = err instanceof LlmError && err.kind === 'aborted';
      if (cancelled) void vscode.window.showInformationMessage(`Loupe: read cancelled. ${(err as Error).message}`);
      else void vscode.window.showErrorMessage(`Loupe: the read failed: ${(err as Error).message}`);
    }
  });
}
