// Read-only virtual documents under the `loupe:` scheme:
//   loupe:/compact/<session>.md?budget=8000   a compacted session (markdown, within the budget)
//   loupe:/recall/e<id>.txt                     an event's verbatim original
// Compacted text is computed by the command that opens it (with progress and Cancel) and cached
// here, so reopening a tab or hovering never recomputes it.
import * as vscode from 'vscode';
import { verbatimText } from '../core/source';
import { Disposable } from './disposable';
import { parseHandle } from './lib/placeholders';
import type { LoupeSessions } from './sessions';

export const SCHEME = 'loupe';

export function compactUri(sessionId: string, budget: number): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/compact/${sessionId}.md`, query: `budget=${budget}` });
}

export function recallUri(eventId: number): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/recall/e${eventId}.txt` });
}

export class LoupeDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly cache = new Map<string, string>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly sessions: LoupeSessions) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(SCHEME, this));
    // A closed document's text is not needed any more.
    this._register(vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === SCHEME && this.cache.delete(d.uri.toString())));
  }

  /** Puts computed text behind `uri` (and refreshes an open editor showing it). */
  set(uri: vscode.Uri, text: string): void {
    this.cache.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const cached = this.cache.get(uri.toString());
    if (cached !== undefined) return cached;
    const recall = /^\/recall\/(e\d+)\.txt$/.exec(uri.path);
    if (recall) return this.recallText(parseHandle(recall[1]!) ?? 0);
    if (uri.path.startsWith('/compact/')) {
      // Reopened after a reload: the text is computed by the command, not here.
      return 'This compacted view is gone from memory. Run "Loupe: Compact Session…" again.';
    }
    return `Unknown Loupe document: ${uri.toString()}`;
  }

  /** The verbatim original of an event, with a short header saying what it is and where it came from. */
  async recallText(eventId: number): Promise<string> {
    const ev = await this.sessions.event(eventId);
    if (!ev) return `e${eventId}: no such event in the Loupe database (${this.sessions.databasePath}).`;
    const call = ev.parentId !== null ? await this.sessions.event(ev.parentId) : undefined;
    const head = [
      `e${ev.id} · ${ev.kind}${ev.toolName ? ` · ${ev.toolName}` : ''}${ev.isError ? ' · error' : ''} · turn ${ev.turn} · ${ev.ts}`,
      `source: ${ev.sourceRef.file}:${ev.sourceRef.line}`,
    ];
    if (call && ev.kind === 'tool_result') head.push(`input: ${call.text.replace(/\s+/g, ' ').slice(0, 300)}`);
    return `${head.join('\n')}\n${'─'.repeat(60)}\n${verbatimText(ev)}\n`;
  }
}
