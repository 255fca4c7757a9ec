// Messages between the extension host and its webviews.
// This file must remain free of VS Code and Node.js imports: the webview bundle includes it.

/** The envelope: a request carries a messageId; its reply names it in inReplyTo. */
export interface Envelope<T> {
  messageId: number;
  inReplyTo?: number;
  body: T;
}

// ── from webview ──────────────────────────────────────────────────────────

/** The webview has loaded and asks for its first snapshot (also sent when a hidden view is shown again). */
export interface ReadyMessage {
  type: 'ready';
}

export type FromWebviewMessage = ReadyMessage;

// ── to webview ────────────────────────────────────────────────────────────

export interface DidChangeSessionsMessage {
  type: 'didChangeSessions';
  sessions: { id: string; title: string; turns: number; tokens: number; updatedAt: string }[];
}

export type ToWebviewMessage = DidChangeSessionsMessage;
