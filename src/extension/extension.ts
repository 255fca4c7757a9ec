// Composition root of the extension host: adapts src/core to VS Code. Everything created here is
// registered on the extension context, so deactivation disposes it all.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { compactCommand, exportCommand } from './commands/compact';
import {
  clearApiKeyCommand,
  copyEventCommand,
  importCommand,
  recallCommand,
  refreshCommand,
  setApiKeyCommand,
  showDatabaseCommand,
} from './commands/misc';
import { progressiveReadCommand } from './commands/read';
import { readConfig } from './config';
import { LoupeDocuments } from './documents';
import { LoupeHovers } from './hovers';
import { LifecycleRunner } from './lifecycle';
import { LiveSessions } from './live';
import { LoupeSessions } from './sessions';
import { ContextStatus } from './status';
import { SidebarProvider, VisualiserPanel } from './views/sidebar';
import { ViewState } from './views/state';

let sessionsRef: LoupeSessions | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Loupe');
  context.subscriptions.push(output);
  output.appendLine(`Loupe ${context.extension.packageJSON.version as string} activated`);

  const databasePath = join(context.globalStorageUri.fsPath, 'loupe.db');
  const workerScript = join(context.extensionUri.fsPath, 'dist', 'parse-worker.js');
  const sessions = new LoupeSessions(databasePath, workerScript, output);
  sessionsRef = sessions;
  const state = new ViewState(sessions, context.workspaceState, context.secrets);
  const documents = new LoupeDocuments(sessions);
  const live = new LiveSessions(sessions, output);
  // Forget and retention (loupe.forgetAfterDays, loupe.retentionDays) after ingest, at most daily.
  context.subscriptions.push(new LifecycleRunner(sessions, output));
  const status = new ContextStatus();
  context.subscriptions.push(sessions, state, documents, live, status);
  context.subscriptions.push(new SidebarProvider(context.extensionUri, state, output), new LoupeHovers(sessions));

  const updateStatus = async () => {
    try {
      const id = await state.currentId();
      status.show(id ? await state.detail(id) : null);
    } catch (err) {
      output.appendLine(`status: ${(err as Error).message}`);
    }
  };
  context.subscriptions.push(state.onDidChange(() => void updateStatus()));

  const register = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register('loupe.openVisualiser', () => VisualiserPanel.show(context.extensionUri, state, output));
  register('loupe.importTranscript', () => importCommand(sessions));
  register('loupe.refreshSessions', () => refreshCommand(sessions, live));
  register('loupe.compactSession', (s, b, r) => compactCommand(sessions, state, documents, s, b, r));
  register('loupe.exportContext', (s, b, r) => exportCommand(sessions, state, s, b, r));
  register('loupe.recall', (h, scope) => recallCommand(sessions, state, h, scope));
  register('loupe.copyEvent', (h) => copyEventCommand(sessions, h));
  register('loupe.progressiveRead', (s, from) => progressiveReadCommand(state.reads, state, s, from));
  register('loupe.setApiKey', () => setApiKeyCommand(context.secrets));
  register('loupe.clearApiKey', () => clearApiKeyCommand(context.secrets));
  register('loupe.showDatabaseLocation', () => showDatabaseCommand(sessions));

  // Other windows and the CLI write to the same database: pick up their saves when this window
  // gets focus back.
  context.subscriptions.push(vscode.window.onDidChangeWindowState((w) => w.focused && void sessions.refresh().catch(() => undefined)));

  void updateStatus();
  if (readConfig().autoIngest) void live.start();
}

export function deactivate(): void {
  // Every write is saved when it commits (the store saves inside write()); closing releases memory.
  sessionsRef?.dispose();
  sessionsRef = undefined;
}
