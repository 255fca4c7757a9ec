// Hovers on placeholders of omitted tool output, and links on `↗ eN` anchors, in `loupe:`
// documents and in `.jsonl` transcripts opened in the editor.
import * as vscode from 'vscode';
import { verbatimText } from '../core/source';
import type { StoredEvent } from '../core/model';
import { Disposable } from './disposable';
import { recallUri, SCHEME } from './documents';
import { hoverMarkdown } from './lib/hover';
import { findAnchors, placeholderAt } from './lib/placeholders';
import type { LoupeSessions } from './sessions';

const SELECTOR: vscode.DocumentSelector = [{ scheme: SCHEME }, { pattern: '**/*.jsonl' }];

export class LoupeHovers extends Disposable implements vscode.HoverProvider, vscode.DocumentLinkProvider {
  constructor(private readonly sessions: LoupeSessions) {
    super();
    this._register(vscode.languages.registerHoverProvider(SELECTOR, this));
    this._register(vscode.languages.registerDocumentLinkProvider({ scheme: SCHEME }, this));
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    if (document.uri.scheme === SCHEME) {
      const p = placeholderAt(line, position.character);
      if (!p) return undefined;
      const ev = await this.sessions.event(p.eventId);
      if (!ev) return new vscode.Hover(`Loupe: e${p.eventId} is not in the database any more.`);
      return new vscode.Hover(await this.markdownFor(ev), new vscode.Range(position.line, p.start, position.line, p.end));
    }
    // A transcript line: the tool result ingested from it, if any.
    const ev = await this.sessions.eventAtSourceLine(document.uri.fsPath, position.line + 1);
    if (!ev || ev.kind !== 'tool_result') return undefined;
    return new vscode.Hover(await this.markdownFor(ev));
  }

  private async markdownFor(ev: StoredEvent): Promise<vscode.MarkdownString> {
    const call = ev.parentId !== null ? await this.sessions.event(ev.parentId) : undefined;
    const md = new vscode.MarkdownString(
      hoverMarkdown({
        eventId: ev.id,
        tool: ev.toolName ?? 'tool',
        input: call?.text ?? '',
        output: verbatimText(ev),
        tokens: ev.tokens,
        isError: ev.isError,
        source: `${ev.sourceRef.file}:${ev.sourceRef.line}`,
      }),
    );
    // Only Loupe's own two commands may run from the hover's links.
    md.isTrusted = { enabledCommands: ['loupe.recall', 'loupe.copyEvent'] };
    return md;
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (let i = 0; i < document.lineCount; i++) {
      for (const a of findAnchors(document.lineAt(i).text)) {
        const link = new vscode.DocumentLink(new vscode.Range(i, a.start, i, a.end), recallUri(a.eventId));
        link.tooltip = `Open the original of e${a.eventId}`;
        links.push(link);
      }
    }
    return links;
  }
}
