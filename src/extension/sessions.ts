// The extension's one handle on the database: opens it under the extension's global storage,
// serializes ingest jobs, and tells the views when sessions change.
//
// Every window runs its own extension host against the same file. Writes go through the store's
// cross-process lock; a window that cannot take it (another window is ingesting) keeps reading and
// picks up the other window's saves with refresh().
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { ingestPaths, type IngestReport } from '../core/ingest';
import { catchUp } from '../core/recall/write';
import type { StoredEvent } from '../core/model';
import { sessionStats, type SessionStats } from '../core/stats';
import { all, num } from '../core/store/rows';
import { openStore, type SessionSummary, type Store } from '../core/store/store';
import { Disposable } from './disposable';

export class LoupeSessions extends Disposable {
  private store: Store | undefined;
  private opening: Promise<Store> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires after an ingest or a refresh that may have changed the sessions. */
  readonly onDidChange = this.changed.event;
  private busyText = '';
  private readonly busyChanged = this._register(new vscode.EventEmitter<string>());
  readonly onDidChangeBusy = this.busyChanged.event;

  constructor(
    readonly databasePath: string,
    private readonly workerScript: string,
    private readonly output: vscode.OutputChannel,
  ) {
    super();
  }

  get busy(): string {
    return this.busyText;
  }

  /** The store, opened on first use. */
  open(): Promise<Store> {
    if (this.store) return Promise.resolve(this.store);
    this.opening ??= (async () => {
      mkdirSync(dirname(this.databasePath), { recursive: true });
      const store = await openStore(this.databasePath, { onNotice: (m) => this.output.appendLine(m) });
      if (store.recovered) void vscode.window.showWarningMessage(`Loupe: the database at ${this.databasePath} was unreadable and was rebuilt empty.`);
      this.store = store;
      return store;
    })();
    return this.opening;
  }

  /**
   * Ingests `paths` after any job already running (one ingest at a time per window). Resolves with
   * undefined when another process held the writer lock: this window then just refreshes.
   */
  ingest(paths: string[], options: { label: string; token?: vscode.CancellationToken; onProgress?: (done: number, total: number) => void }): Promise<IngestReport | undefined> {
    const job = this.queue.then(async () => {
      if (options.token?.isCancellationRequested || paths.length === 0) return undefined;
      const store = await this.open();
      this.setBusy(options.label);
      try {
        const report = await ingestPaths(store, paths, {
          workerScript: this.workerScript,
          onProgress: (p) => {
            options.onProgress?.(p.filesDone, p.filesTotal);
            this.setBusy(`${options.label} ${p.filesDone}/${p.filesTotal} files`);
          },
        });
        this.output.appendLine(
          `ingest ${paths.length} path(s): ${report.filesRead} read, ${report.filesUnchanged} unchanged, ${report.events} events, ${report.issues.length} issue(s)`,
        );
        for (const issue of report.issues.slice(0, 20)) this.output.appendLine(`  ${issue.file}:${issue.line}: ${issue.message}`);
        for (const skip of report.skipped.slice(0, 20)) this.output.appendLine(`  ${skip.file}: skipped: ${skip.reason}`);
        // Recall's index and graph of the new events, a step at a time (the host stays responsive).
        const indexed = await catchUp(store, { onProgress: (n) => this.setBusy(`Indexing for recall: ${n.toLocaleString('en-US')} events`) });
        if (indexed > 0) this.output.appendLine(`recall: indexed ${indexed} events and units`);
        return report;
      } catch (err) {
        if (/lock/i.test((err as Error).message)) {
          this.output.appendLine(`ingest skipped: ${(err as Error).message} (another window or the CLI is writing; reading its saves)`);
          store.refresh();
          return undefined;
        }
        throw err;
      } finally {
        this.setBusy('');
        this.changed.fire();
      }
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Picks up what another window or the CLI saved. */
  async refresh(): Promise<void> {
    const store = await this.open();
    if (store.refresh()) this.changed.fire();
  }

  async list(): Promise<SessionSummary[]> {
    return (await this.open()).listSessions();
  }

  async stats(sessionId: string): Promise<SessionStats> {
    return sessionStats(await this.open(), sessionId);
  }

  async event(id: number): Promise<StoredEvent | undefined> {
    return (await this.open()).event(id);
  }

  /** The event ingested from line `line` (1-based) of transcript `file`, if any. */
  async eventAtSourceLine(file: string, line: number): Promise<StoredEvent | undefined> {
    const store = await this.open();
    const rows = all(
      store.db,
      `SELECT e.id FROM events e JOIN files f ON f.id = e.file_id WHERE f.path = ? AND e.src_line = ?
       ORDER BY e.kind = 'tool_result' DESC, e.id LIMIT 1`,
      [file, line],
    );
    return rows[0] ? store.event(num(rows[0].id)) : undefined;
  }

  private setBusy(text: string): void {
    this.busyText = text;
    this.busyChanged.fire(text);
  }

  override dispose(): void {
    super.dispose();
    this.store?.close();
    this.store = undefined;
  }
}
