// The other commands: Recall…, Progressive Read…, Import Transcript…, Refresh Sessions, the API
// key, and Show Database Location.
import * as vscode from 'vscode';
import { verbatimText } from '../../core/source';
import { recallUri, type LoupeDocuments } from '../documents';
import { parseHandle } from '../lib/placeholders';
import type { LiveSessions } from '../live';
import type { LoupeSessions } from '../sessions';

/** Recall…: opens an event's verbatim original by its handle (`e512`). */
export async function recallCommand(sessions: LoupeSessions, arg?: unknown): Promise<vscode.Uri | undefined> {
  let handle = typeof arg === 'string' ? parseHandle(arg) : typeof arg === 'number' ? arg : undefined;
  if (handle === undefined) {
    const typed = await vscode.window.showInputBox({
      prompt: 'Recall an event by its handle: the eN in a placeholder or a ↗ anchor of a compacted session',
      placeHolder: 'e512',
      validateInput: (v) => (parseHandle(v) === undefined ? 'A handle such as e512' : undefined),
    });
    if (typed === undefined) return undefined;
    handle = parseHandle(typed);
  }
  if (handle === undefined) return undefined;
  if (!(await sessions.event(handle))) {
    void vscode.window.showWarningMessage(`Loupe: e${handle} is not in the database. Handles come from compacted sessions of this database.`);
    return undefined;
  }
  const uri = recallUri(handle);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  return uri;
}

/** Copies an event's verbatim original (the hover's "Copy" link). */
export async function copyEventCommand(sessions: LoupeSessions, arg?: unknown): Promise<void> {
  const handle = typeof arg === 'string' ? parseHandle(arg) : undefined;
  const ev = handle === undefined ? undefined : await sessions.event(handle);
  if (!ev) return;
  const text = verbatimText(ev);
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Loupe: copied e${ev.id} (${text.length.toLocaleString('en-US')} chars)`, 5000);
}

export function progressiveReadCommand(): void {
  void vscode.window.showInformationMessage(
    'Loupe: Progressive Read arrives with the progressive-read feature (reading a session blurry to sharp within a budget). ' +
      'It is not in this build yet; use "Loupe: Compact Session…" and "Loupe: Recall…" meanwhile.',
  );
}

export async function importCommand(sessions: LoupeSessions): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    openLabel: 'Import',
    title: 'Import agent transcripts (.jsonl files, or folders searched recursively)',
    filters: { 'Agent transcripts': ['jsonl'] },
  });
  if (!picked || picked.length === 0) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Loupe: importing transcripts', cancellable: true },
    async (progress, token) => {
      let last = 0;
      const report = await sessions
        .ingest(
          picked.map((u) => u.fsPath),
          {
            label: 'Importing',
            token,
            onProgress: (done, total) => {
              const pct = total > 0 ? (done / total) * 100 : 0;
              progress.report({ message: `${done}/${total} files`, increment: pct - last });
              last = pct;
            },
          },
        )
        .catch((err: Error) => {
          void vscode.window.showErrorMessage(`Loupe: import failed: ${err.message}`);
          return undefined;
        });
      if (report) {
        void vscode.window.showInformationMessage(
          `Loupe: imported ${report.sessions.length} session(s), ${report.events.toLocaleString('en-US')} events` +
            (report.issues.length ? `; ${report.issues.length} line(s) skipped (see the Loupe output)` : '.'),
        );
      }
    },
  );
}

export async function refreshCommand(sessions: LoupeSessions, live: LiveSessions): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Loupe: refreshing sessions', cancellable: true },
    async (_p, token) => {
      await sessions.refresh();
      if (!token.isCancellationRequested) await sessions.ingest(live.projectDirs(), { label: 'Refreshing', token }).catch(() => undefined);
    },
  );
}

const KEY_PROVIDERS = [
  { label: 'Anthropic', id: 'anthropic' },
  { label: 'OpenAI-compatible endpoint', id: 'openai-compatible' },
];

export function secretKey(provider: string): string {
  return `loupe.apiKey.${provider}`;
}

export async function setApiKeyCommand(secrets: vscode.SecretStorage): Promise<void> {
  const provider = await vscode.window.showQuickPick(KEY_PROVIDERS, { placeHolder: 'Which distiller is the key for?' });
  if (!provider) return;
  const key = await vscode.window.showInputBox({
    prompt: `${provider.label} API key (kept in VS Code's secret storage, never in settings)`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length < 8 ? 'That is too short to be an API key' : undefined),
  });
  if (!key) return;
  await secrets.store(secretKey(provider.id), key.trim());
  void vscode.window.showInformationMessage(`Loupe: ${provider.label} API key saved in secret storage.`);
}

export async function clearApiKeyCommand(secrets: vscode.SecretStorage): Promise<void> {
  const provider = await vscode.window.showQuickPick(KEY_PROVIDERS, { placeHolder: 'Clear the key of which distiller?' });
  if (!provider) return;
  await secrets.delete(secretKey(provider.id));
  void vscode.window.showInformationMessage(`Loupe: ${provider.label} API key removed.`);
}

export async function showDatabaseCommand(sessions: LoupeSessions): Promise<void> {
  const path = sessions.databasePath;
  const choice = await vscode.window.showInformationMessage(`Loupe database: ${path}`, 'Copy Path', 'Reveal in File Explorer');
  if (choice === 'Copy Path') await vscode.env.clipboard.writeText(path);
  if (choice === 'Reveal in File Explorer') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path));
}
