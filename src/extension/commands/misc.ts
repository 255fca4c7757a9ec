// The other commands: Recall…, Import Transcript…, Refresh Sessions, the API key, and Show
// Database Location. (Progressive Read… is in read.ts.)
import * as vscode from 'vscode';
import { originalText } from '../../core/recall/recall';
import { verbatimText } from '../../core/source';
import { recallUri } from '../documents';
import { recallItems } from '../lib/actions';
import { parseHandle } from '../lib/placeholders';
import { debounce } from '../lib/workspace';
import type { LiveSessions } from '../live';
import type { LoupeSessions } from '../sessions';
import type { ViewState } from '../views/state';

/**
 * Recall…: a handle (`e512`) opens that event's verbatim original; free text searches the current
 * session (core recall: full text + graph), live in a QuickPick, and the picked hit opens.
 */
export async function recallCommand(sessions: LoupeSessions, state: ViewState, arg?: unknown, scopeArg?: unknown): Promise<vscode.Uri | undefined> {
  const scope = recallScope(scopeArg);
  const handle = typeof arg === 'string' ? parseHandle(arg) : typeof arg === 'number' ? arg : undefined;
  if (handle !== undefined) return openHandle(sessions, `e${handle}`);
  if (typeof arg === 'string' && /^u\d+$/.test(arg.trim())) return openHandle(sessions, arg.trim());
  const picked = await recallQuickPick(sessions, state, typeof arg === 'string' ? arg : '', scope);
  return picked ? openHandle(sessions, picked) : undefined;
}

export interface RecallScope {
  sessionId?: string;
  fromTurn?: number;
  toTurn?: number;
}

/** The scope argument of a command call, keeping only well-formed fields. */
function recallScope(arg: unknown): RecallScope {
  if (typeof arg !== 'object' || arg === null) return {};
  const { sessionId, fromTurn, toTurn } = arg as Record<string, unknown>;
  const scope: RecallScope = {};
  if (typeof sessionId === 'string' && sessionId !== '') scope.sessionId = sessionId;
  if (typeof fromTurn === 'number' && Number.isSafeInteger(fromTurn)) scope.fromTurn = fromTurn;
  if (typeof toTurn === 'number' && Number.isSafeInteger(toTurn)) scope.toTurn = toTurn;
  return scope;
}

/** Opens an event (`e123`: its verbatim original) or a unit (`u45`: its text) beside the editor. */
export async function openHandle(sessions: LoupeSessions, handle: string): Promise<vscode.Uri | undefined> {
  const event = /^e(\d+)$/.exec(handle);
  if (event) {
    const id = Number(event[1]);
    if (!(await sessions.event(id))) {
      void vscode.window.showWarningMessage(`Loupe: ${handle} is not in the database. Handles come from compacted sessions of this database.`);
      return undefined;
    }
    const uri = recallUri(id);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    return uri;
  }
  const text = originalText(await sessions.open(), handle);
  if (text === null) {
    void vscode.window.showWarningMessage(`Loupe: ${handle} is not in the database.`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc.uri;
}

/** The QuickPick: a typed handle first, then the recall hits of what is typed, updated as it changes. */
async function recallQuickPick(sessions: LoupeSessions, state: ViewState, initial: string, scope: RecallScope = {}): Promise<string | undefined> {
  const store = await sessions.open();
  const sessionId = scope.sessionId ?? (await state.currentId());
  const range = scope.fromTurn !== undefined || scope.toTurn !== undefined ? ` in turns ${scope.fromTurn ?? 1}–${scope.toTurn ?? 'end'}` : '';
  type Row = vscode.QuickPickItem & { handle?: string };
  const pick = vscode.window.createQuickPick<Row>();
  pick.placeholder = sessionId ? `Recall in the current session${range}: words, a file, an error, or a handle (e512)` : 'Recall: words, a file, an error, or a handle (e512)';
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  const update = debounce(() => {
    const query = pick.value.trim();
    const rows: Row[] = [];
    const handle = parseHandle(query);
    if (handle !== undefined) rows.push({ label: `$(go-to-file) Open e${handle}`, handle: `e${handle}`, alwaysShow: true });
    if (query && sessionId) {
      const found = recallItems(store, sessionId, query, { ...(scope.fromTurn !== undefined ? { fromTurn: scope.fromTurn } : {}), ...(scope.toTurn !== undefined ? { toTurn: scope.toTurn } : {}) });
      for (const h of found.hits) {
        rows.push({ label: `${h.handle} · turn ${h.turn} · ${h.level}${h.archived ? ' · archived' : ''}`, description: `score ${h.score.toFixed(2)}`, detail: h.snippet, handle: h.handle, alwaysShow: true });
      }
      if (found.error) rows.push({ label: `$(error) ${found.error}`, alwaysShow: true });
      else if (found.hits.length === 0 && handle === undefined) rows.push({ label: `No match for "${query}"${range}`, alwaysShow: true });
    }
    pick.items = rows;
    pick.busy = false;
  }, 150);
  pick.onDidChangeValue(() => {
    pick.busy = true;
    update();
  });
  pick.value = initial;
  if (initial) update();
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      const handle = pick.selectedItems[0]?.handle;
      if (!handle) return;
      resolve(handle);
      pick.hide();
    });
    pick.onDidHide(() => {
      update.cancel();
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
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
