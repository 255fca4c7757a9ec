// The host side of the actions panel (webview/actions/): answers the Compact slider's previews and
// the Recall box, plans and runs progressive reads with per-pass progress, and makes the timeline's
// range actions real. Every message arrives validated by parseFromWebview.
import * as vscode from 'vscode';
import { LlmError } from '../../core/llm/provider';
import type { ActionsFromWebviewMessage, RunRangeActionCommand, ToWebviewMessage, TurnScope } from '../../protocol';
import { openReadResult, readOutcome } from '../commands/read';
import { readConfig } from '../config';
import type { ViewState } from './state';

type Post = (body: ToWebviewMessage, inReplyTo?: number) => Promise<void>;

function scopeOf(m: TurnScope): TurnScope {
  const scope: TurnScope = {};
  if (m.fromTurn !== undefined) scope.fromTurn = m.fromTurn;
  if (m.toTurn !== undefined) scope.toTurn = m.toTurn;
  return scope;
}

export class ActionHost {
  constructor(
    private readonly state: ViewState,
    private readonly post: Post,
    private readonly output: vscode.OutputChannel,
  ) {}

  async handle(body: ActionsFromWebviewMessage, messageId: number): Promise<void> {
    switch (body.type) {
      case 'requestCompactPreview':
        try {
          await this.post(await this.state.compactPreview(body.sessionId, body.budget, scopeOf(body)), messageId);
        } catch (err) {
          const message = (err as Error).message;
          this.output.appendLine(`webview: compact preview of ${body.sessionId} failed: ${message}`);
          await this.post({ type: 'didCompactPreview', sessionId: body.sessionId, budget: body.budget, tokens: 0, sessionTokens: 0, header: '', levels: { none: 0, R2: 0, R1: 0, R0: 0 }, error: message, ...scopeOf(body) }, messageId);
        }
        return;
      case 'runCompact':
        await vscode.commands.executeCommand(body.target === 'open' ? 'loupe.compactSession' : 'loupe.exportContext', body.sessionId, body.budget, scopeOf(body));
        return;
      case 'requestRecall':
        await this.post(await this.state.recall(body.sessionId, body.query, scopeOf(body)), messageId);
        return;
      case 'openRecallHit':
        await vscode.commands.executeCommand('loupe.recall', body.handle);
        return;
      case 'requestReadPlan':
        await this.post(await this.state.reads.plan(body), messageId);
        return;
      case 'runProgressiveRead':
        await this.runRead(body, messageId);
        return;
      case 'cancelProgressiveRead':
        this.state.reads.cancel();
        return;
    }
  }

  private async runRead(body: Extract<ActionsFromWebviewMessage, { type: 'runProgressiveRead' }>, messageId: number): Promise<void> {
    try {
      // The panel may be closed while the read runs: its progress then has nowhere to go.
      const progress = (p: { pass: number; of: number; levels: [number, number][] }) =>
        void this.post({ type: 'didProgressPass', pass: p.pass, of: p.of, levels: p.levels }, messageId).catch(() => undefined);
      const result = await this.state.reads.run(body, progress);
      await this.post({ type: 'didFinishRead', status: result.status, message: readOutcome(result) }, messageId);
      await openReadResult(result, body.sessionId);
    } catch (err) {
      const cancelled = err instanceof LlmError && err.kind === 'aborted';
      await this.post({ type: 'didFinishRead', status: cancelled ? 'cancelled' : 'failed', message: (err as Error).message }, messageId);
    }
  }

  /**
   * A range selected on the timeline: Compact opens the range compacted to the budget setting;
   * every action also scopes the panel's own control to the range (the Compact slider previews
   * it, the Recall box searches in it, the progressive read plans from its first turn).
   */
  async rangeAction(body: RunRangeActionCommand, messageId: number): Promise<void> {
    const { sessionId, fromTurn, toTurn } = body;
    await this.post({ type: 'didScopeAction', action: body.action, sessionId, fromTurn, toTurn }, messageId);
    if (body.action === 'compact') {
      await vscode.commands.executeCommand('loupe.compactSession', sessionId, readConfig().tokenBudget, { fromTurn, toTurn });
    }
  }
}
