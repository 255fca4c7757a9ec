// Webview entry. It talks to the host only through the messages of src/protocol.ts.
import type { Envelope, FromWebviewMessage, ToWebviewMessage } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let nextId = 1;

function post(body: FromWebviewMessage): void {
  const envelope: Envelope<FromWebviewMessage> = { messageId: nextId++, body };
  vscode.postMessage(envelope);
}

window.addEventListener('message', (event: MessageEvent<Envelope<ToWebviewMessage>>) => {
  const body = event.data?.body;
  if (!body || body.type !== 'didChangeSessions' || !Array.isArray(body.sessions)) return;
  const root = document.getElementById('root');
  if (!root) return;
  root.textContent = '';
  for (const s of body.sessions) {
    const item = document.createElement('div');
    item.textContent = `${s.title || s.id} · ${s.turns} turns`;
    root.append(item);
  }
});

post({ type: 'ready' });
