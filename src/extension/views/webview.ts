// One webview (the sidebar view or the visualiser panel): its HTML with a strict CSP, and its
// messages, validated against the protocol before they act.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { MAX_FAILURE_LENGTH, parseFromWebview, type Envelope, type FromWebviewMessage, type ToWebviewMessage, type WebviewAction } from '../../protocol';
import { Disposable } from '../disposable';
import { ActionHost } from './actions';
import type { ViewState } from './state';

/** The `loupe.*` command each webview button runs. */
const ACTION_COMMANDS: Record<WebviewAction, string> = {
  compact: 'loupe.compactSession',
  export: 'loupe.exportContext',
  recall: 'loupe.recall',
  progressiveRead: 'loupe.progressiveRead',
  openVisualiser: 'loupe.openVisualiser',
  refresh: 'loupe.refreshSessions',
  import: 'loupe.importTranscript',
};

/** Webview options: scripts on, resources only from dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, mode: 'sidebar' | 'panel'): string {
  const nonce = randomUUID().replace(/-/g, '');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'loupe.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style.toString()}" rel="stylesheet">
<title>Loupe</title>
</head>
<body class="mode-${mode}" data-mode="${mode}">
<main id="root" aria-live="polite"><p class="muted">Loading sessions…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** Connects a webview to the view state: answers `ready`, pushes every change, runs actions. */
export class WebviewConnection extends Disposable {
  private nextId = 1;
  /** Compact, Recall and Progressive Read of the actions panel, and the timeline's range actions. */
  private readonly actions: ActionHost;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly state: ViewState,
    private readonly mode: 'sidebar' | 'panel',
    private readonly isVisible: () => boolean,
    private readonly output: vscode.OutputChannel,
  ) {
    super();
    this.actions = new ActionHost(state, (body, inReplyTo) => this.post(body, inReplyTo), output);
    this._register(webview.onDidReceiveMessage((data: unknown) => void this.receive(data)));
    this._register(state.onDidChange(() => this.isVisible() && void this.push()));
  }

  private async receive(data: unknown): Promise<void> {
    const envelope = parseFromWebview(data);
    if (!envelope) {
      this.output.appendLine(`webview: ignored a message that is not in the protocol: ${JSON.stringify(data)?.slice(0, 200)}`);
      return;
    }
    await this.handle(envelope);
  }

  private async handle({ messageId, body }: Envelope<FromWebviewMessage>): Promise<void> {
    switch (body.type) {
      case 'ready':
        await this.push(messageId);
        return;
      case 'selectSession':
        this.state.select(body.sessionId);
        return;
      case 'runAction':
        // Compact and Export take the session and the slider's budget, Progressive Read the session; the others ask for what they need.
        if (body.action === 'compact' || body.action === 'export') {
          await vscode.commands.executeCommand(ACTION_COMMANDS[body.action], body.sessionId, body.budget);
        } else if (body.action === 'progressiveRead') {
          await vscode.commands.executeCommand(ACTION_COMMANDS[body.action], body.sessionId);
        } else {
          await vscode.commands.executeCommand(ACTION_COMMANDS[body.action]);
        }
        return;
      case 'requestTimeline':
        try {
          const timeline = await this.state.timeline(body.sessionId);
          await this.post({ type: 'didLoadTimeline', timeline }, messageId);
        } catch (err) {
          this.output.appendLine(`webview: could not build the timeline of ${body.sessionId}: ${(err as Error).message}`);
          await this.postFailure('timeline', body.sessionId, err, messageId);
        }
        return;
      case 'requestEventDetail':
        try {
          const detail = await this.state.eventDetail(body.sessionId, body.eventId);
          await this.post({ type: 'didLoadEventDetail', sessionId: body.sessionId, eventId: body.eventId, detail }, messageId);
        } catch (err) {
          this.output.appendLine(`webview: could not read event ${body.eventId} of ${body.sessionId}: ${(err as Error).message}`);
        }
        return;
      case 'requestGraph':
        try {
          const graph = await this.state.graph(body.sessionId);
          await this.post({ type: 'didLoadGraph', graph }, messageId);
        } catch (err) {
          this.output.appendLine(`webview: could not build the graph of ${body.sessionId}: ${(err as Error).message}`);
          await this.postFailure('graph', body.sessionId, err, messageId);
        }
        return;
      case 'runRangeAction':
        try {
          await this.actions.rangeAction(body, messageId);
        } catch (err) {
          void vscode.window.showErrorMessage(`Loupe: could not ${body.action} turns ${body.fromTurn}–${body.toTurn}: ${(err as Error).message}`);
        }
        return;
      case 'requestCompactPreview':
      case 'runCompact':
      case 'requestRecall':
      case 'openRecallHit':
      case 'requestReadPlan':
      case 'runProgressiveRead':
      case 'cancelProgressiveRead':
        try {
          await this.actions.handle(body, messageId);
        } catch (err) {
          this.output.appendLine(`webview: ${body.type} failed: ${(err as Error).message}`);
        }
        return;
    }
  }

  /** Tells the view it will not get what it asked for (it shows the reason instead of "Loading…"). */
  private async postFailure(what: 'timeline' | 'graph', sessionId: string, err: unknown, inReplyTo: number): Promise<void> {
    const reason = String((err as Error)?.message ?? err).split('\n')[0]!;
    await this.post({ type: 'didFailLoad', what, sessionId, message: `Could not build the ${what}: ${reason}`.slice(0, MAX_FAILURE_LENGTH) }, inReplyTo);
  }

  private async post(body: ToWebviewMessage, inReplyTo?: number): Promise<void> {
    const envelope: Envelope<ToWebviewMessage> = { messageId: this.nextId++, body };
    if (inReplyTo !== undefined) envelope.inReplyTo = inReplyTo;
    await this.webview.postMessage(envelope);
  }

  async push(inReplyTo?: number): Promise<void> {
    try {
      await this.post(await this.state.snapshot(this.mode), inReplyTo);
    } catch (err) {
      this.output.appendLine(`webview: could not send the state: ${(err as Error).message}`);
    }
  }
}
