// Compact Session… and Export Compressed Context to Clipboard: the session compacted to a token
// budget (src/core/assemble/compact.ts), opened as a read-only `loupe:` markdown document or
// copied to the clipboard.
import * as vscode from 'vscode';
import { BudgetTooSmallError, compactSession, type CompactResult } from '../../core/assemble/compact';
import { readConfig } from '../config';
import { compactUri, type LoupeDocuments } from '../documents';
import { BUDGET_PRESETS, formatTokens, parseBudget } from '../lib/format';
import type { LoupeSessions } from '../sessions';
import type { ViewState } from '../views/state';

/** The session a command acts on: its argument, else the current one, else the user's pick. */
export async function pickSession(state: ViewState, arg: unknown, placeHolder: string): Promise<string | undefined> {
  if (typeof arg === 'string' && arg !== '') return arg;
  const items = await state.items();
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Loupe: no sessions yet. Run "Loupe: Import Transcript…" or open a folder where an agent worked.');
    return undefined;
  }
  const current = await state.currentId(items);
  if (current && items.length === 1) return current;
  const picked = await vscode.window.showQuickPick(
    items.map((s) => ({
      label: s.title,
      description: `${s.turns} turns · ${formatTokens(s.tokens)} tokens${s.id === current ? ' · current' : ''}`,
      detail: `${s.cwd} · ${s.updatedAt.slice(0, 16).replace('T', ' ')}`,
      id: s.id,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.id;
}

/** The budget: the argument, else a QuickPick of presets with a custom entry. */
export async function pickBudget(arg: unknown): Promise<number | undefined> {
  if (typeof arg === 'number' && Number.isSafeInteger(arg) && arg > 0) return arg;
  const defaultBudget = readConfig().tokenBudget;
  const presets = [...new Set([defaultBudget, ...BUDGET_PRESETS])].sort((a, b) => a - b);
  const custom = { label: '$(edit) Custom…', budget: 0, description: 'type a number of tokens' };
  const picked = await vscode.window.showQuickPick(
    [...presets.map((b) => ({ label: `${formatTokens(b)} tokens`, budget: b, description: b === defaultBudget ? 'loupe.tokenBudget' : '' })), custom],
    { placeHolder: 'Token budget for the compacted session' },
  );
  if (!picked) return undefined;
  if (picked.budget > 0) return picked.budget;
  const typed = await vscode.window.showInputBox({
    prompt: 'Token budget (e.g. 12000 or 12k)',
    value: String(defaultBudget),
    validateInput: (v) => (parseBudget(v) === undefined ? 'A whole number of tokens between 200 and 1,000,000, e.g. 12000 or 12k' : undefined),
  });
  return typed === undefined ? undefined : parseBudget(typed);
}

/** Turns `fromTurn`..`toTurn` a compaction is limited to (a range selected on the timeline). */
export interface TurnRange {
  fromTurn?: number;
  toTurn?: number;
}

function rangeOf(arg: unknown): TurnRange {
  if (typeof arg !== 'object' || arg === null) return {};
  const { fromTurn, toTurn } = arg as Record<string, unknown>;
  const range: TurnRange = {};
  if (typeof fromTurn === 'number' && Number.isSafeInteger(fromTurn)) range.fromTurn = fromTurn;
  if (typeof toTurn === 'number' && Number.isSafeInteger(toTurn)) range.toTurn = toTurn;
  return range;
}

function rangeLabel(range: TurnRange): string {
  return range.fromTurn !== undefined || range.toTurn !== undefined ? ` (turns ${range.fromTurn ?? 1}–${range.toTurn ?? 'end'})` : '';
}

/** Runs the compaction under a cancellable progress notification. Undefined when cancelled or failed (the user was told). */
async function compactWithProgress(sessions: LoupeSessions, sessionId: string, budget: number, range: TurnRange = {}): Promise<CompactResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Loupe: compacting${rangeLabel(range)} to ${formatTokens(budget)} tokens`, cancellable: true },
    async (_progress, token) => {
      try {
        const result = await compactSession(await sessions.open(), sessionId, { budget, ...range });
        return token.isCancellationRequested ? undefined : result;
      } catch (err) {
        const message = err instanceof BudgetTooSmallError ? `${err.message} Pick a larger budget.` : (err as Error).message;
        void vscode.window.showErrorMessage(`Loupe: could not compact the session: ${message}`);
        return undefined;
      }
    },
  );
}

/** Compact Session…: the session (or, with a range argument, turns fromTurn..toTurn of it) in a `loupe:` document. */
export async function compactCommand(sessions: LoupeSessions, state: ViewState, documents: LoupeDocuments, sessionArg?: unknown, budgetArg?: unknown, rangeArg?: unknown): Promise<vscode.Uri | undefined> {
  const sessionId = await pickSession(state, sessionArg, 'Session to compact');
  if (!sessionId) return undefined;
  const budget = await pickBudget(budgetArg);
  if (!budget) return undefined;
  const range = rangeOf(rangeArg);
  const result = await compactWithProgress(sessions, sessionId, budget, range);
  if (!result) return undefined;
  const base = compactUri(sessionId, budget);
  const uri = range.fromTurn !== undefined || range.toTurn !== undefined ? base.with({ query: `${base.query}&turns=${range.fromTurn ?? 1}-${range.toTurn ?? ''}` }) : base;
  documents.set(uri, result.markdown);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  vscode.window.setStatusBarMessage(
    `Loupe: ${result.tokens.toLocaleString('en-US')} of ${budget.toLocaleString('en-US')} tokens (session: ${result.sessionTokens.toLocaleString('en-US')})`,
    8000,
  );
  return uri;
}

export async function exportCommand(sessions: LoupeSessions, state: ViewState, sessionArg?: unknown, budgetArg?: unknown, rangeArg?: unknown): Promise<number | undefined> {
  const sessionId = await pickSession(state, sessionArg, 'Session to export');
  if (!sessionId) return undefined;
  const budget = typeof budgetArg === 'number' && budgetArg > 0 ? budgetArg : readConfig().tokenBudget;
  const range = rangeOf(rangeArg);
  const result = await compactWithProgress(sessions, sessionId, budget, range);
  if (!result) return undefined;
  await vscode.env.clipboard.writeText(result.markdown);
  void vscode.window.showInformationMessage(
    `Loupe: copied${rangeLabel(range)} ${result.tokens.toLocaleString('en-US')} tokens to the clipboard (budget ${budget.toLocaleString('en-US')}, ` +
      `session ${result.sessionTokens.toLocaleString('en-US')} tokens).`,
  );
  return result.tokens;
}
