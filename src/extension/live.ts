// Live sessions: the agent sessions whose cwd is inside the open workspace folders are ingested in
// the background on activation, and their transcript folders are watched so appended lines are
// ingested (debounced) while the agent works.
import * as vscode from 'vscode';
import { claudeProjectRoots } from '../core/transcript/claude/discover';
import { readConfig } from './config';
import { Disposable } from './disposable';
import { debounce, isInsideAny, projectDirsFor } from './lib/workspace';
import type { LoupeSessions } from './sessions';

const DEBOUNCE_MS = 400;

export class LiveSessions extends Disposable {
  private watchers: vscode.Disposable[] = [];
  private readonly pending = new Set<string>();
  private readonly flushSoon = debounce(() => void this.ingestPending(), DEBOUNCE_MS);

  constructor(private readonly sessions: LoupeSessions, private readonly output: vscode.OutputChannel) {
    super();
    this._register({ dispose: () => this.stopWatching() });
    this._register({ dispose: () => this.flushSoon.cancel() });
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.start()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('loupe.transcriptFolders') || e.affectsConfiguration('loupe.autoIngest')) void this.start();
      }),
    );
  }

  /** The window's workspace folders (local file system ones). */
  static folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  static isWorkspaceSession(cwd: string): boolean {
    return isInsideAny(cwd, LiveSessions.folders());
  }

  /** The project folders that may hold this workspace's sessions. */
  projectDirs(): string[] {
    const roots = [...claudeProjectRoots(), ...readConfig().transcriptFolders];
    return projectDirsFor(roots, LiveSessions.folders());
  }

  /** Ingests the workspace's sessions now and (when auto-ingest is on) watches them. */
  async start(): Promise<void> {
    this.stopWatching();
    const dirs = this.projectDirs();
    this.output.appendLine(`workspace transcripts: ${dirs.length ? dirs.join(', ') : 'none found'}`);
    if (!readConfig().autoIngest) return;
    for (const dir of dirs) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '**/*.jsonl'));
      const onFile = (uri: vscode.Uri) => {
        this.pending.add(uri.fsPath);
        this.flushSoon();
      };
      watcher.onDidChange(onFile);
      watcher.onDidCreate(onFile);
      this.watchers.push(watcher);
    }
    if (dirs.length > 0) {
      // A background job: shown in the status bar (not a notification), cancellable from there.
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Loupe: ingesting workspace sessions', cancellable: true },
        (progress, token) =>
          this.sessions
            .ingest(dirs, { label: 'Ingesting workspace sessions', token, onProgress: (done, total) => progress.report({ message: `${done}/${total} files` }) })
            .catch((err: Error) => {
              this.output.appendLine(`ingest failed: ${err.message}`);
              return undefined;
            }),
      );
    }
  }

  private async ingestPending(): Promise<void> {
    const files = [...this.pending];
    this.pending.clear();
    if (files.length === 0) return;
    await this.sessions.ingest(files, { label: 'Ingesting new lines' }).catch((err: Error) => {
      this.output.appendLine(`live ingest failed: ${err.message}`);
    });
  }

  private stopWatching(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
  }
}
