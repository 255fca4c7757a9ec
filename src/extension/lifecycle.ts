// The forget/retention lifecycle in the extension: after the sessions change (a background or live
// ingest, another window's save), core gc runs with loupe.forgetAfterDays and loupe.retentionDays
// when it is due (at most once a day per database: lib/lifecycle.ts). It writes under the store's
// lock; when another window or the CLI holds it, the run is left for a later change.
import type * as vscode from 'vscode';
import { gc, lastGcRun } from '../core/lifecycle/forget';
import { readConfig } from './config';
import { Disposable } from './disposable';
import { describeGc, gcDue, gcOptionsFor } from './lib/lifecycle';
import type { LoupeSessions } from './sessions';

export class LifecycleRunner extends Disposable {
  private running = false;

  constructor(
    private readonly sessions: LoupeSessions,
    private readonly output: vscode.OutputChannel,
  ) {
    super();
    this._register(sessions.onDidChange(() => void this.runIfDue()));
  }

  /** Runs gc if the settings enable it and it has not run for a day. Resolves whether it ran. */
  async runIfDue(now: Date = new Date()): Promise<boolean> {
    const schedule = gcOptionsFor(readConfig());
    if (!schedule || this.running) return false;
    this.running = true;
    try {
      const store = await this.sessions.open();
      if (!gcDue(lastGcRun(store), now)) return false;
      const report = gc(store, { ...schedule, now: () => now });
      this.output.appendLine(describeGc(report, schedule));
      return true;
    } catch (err) {
      this.output.appendLine(`lifecycle skipped: ${(err as Error).message}`);
      return false;
    } finally {
      this.running = false;
    }
  }
}
