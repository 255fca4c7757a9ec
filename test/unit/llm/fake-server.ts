// A scripted model server for the tests: real HTTP on 127.0.0.1 (port 0), speaking the Anthropic
// Messages API (POST /v1/messages as JSON or SSE, /v1/messages/count_tokens) and the OpenAI chat
// completions API (POST /v1/chat/completions, JSON or SSE). The real SDK and the fetch provider
// talk to it through their baseURL. Each test scripts the answers: a text, a function of the request
// (to answer from what it was sent), an HTTP error with headers, or a request left hanging.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    system?: string;
    stream?: boolean;
    max_tokens?: number;
    messages?: { role: string; content: string }[];
  };
  /** The system prompt and the last user message, whichever API sent them. */
  system: string;
  user: string;
}

export type Script =
  | { text: string }
  | { answer: (req: SentRequest) => string }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true };

export interface FakeServer {
  /** http://127.0.0.1:PORT (Anthropic baseURL); the OpenAI one is `${url}/v1`. */
  url: string;
  requests: SentRequest[];
  /** Answers, consumed in order; when empty, `fallback` answers. */
  script: Script[];
  fallback: Script;
  close(): Promise<void>;
}

export async function startFakeServer(fallback: Script = { text: 'NO_CHANGE' }): Promise<FakeServer> {
  const hanging = new Set<ServerResponse>();
  const state: FakeServer = { url: '', requests: [], script: [], fallback, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as SentRequest['body']) : {};
      const path = (req.url ?? '').split('?')[0]!;
      const messages = body.messages ?? [];
      const system = typeof body.system === 'string' ? body.system : (messages.find((m) => m.role === 'system')?.content ?? '');
      const user = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const sent: SentRequest = { path, headers: req.headers, body, system, user };
      state.requests.push(sent);
      if (path === '/v1/messages/count_tokens') return json(res, 200, { input_tokens: Math.ceil((system.length + messages.reduce((n, m) => n + m.content.length, 0)) / 4) });
      const step = state.script.shift() ?? state.fallback;
      if ('hang' in step) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if ('status' in step) {
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
        res.end(JSON.stringify(step.body ?? { type: 'error', error: { type: 'api_error', message: `scripted ${step.status}` } }));
        return;
      }
      const text = 'text' in step ? step.text : step.answer(sent);
      if (path === '/v1/messages') return anthropic(res, body, text, sent);
      if (path === '/v1/chat/completions') return openai(res, body, text, sent);
      json(res, 404, { error: { message: `no route ${path}` } });
    });
  });
  // Node closes idle keep-alive sockets after 5 s; a client reusing one just then gets ECONNRESET.
  // Slow passes (a busy machine) must not turn that race into a flaky test.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

function anthropic(res: ServerResponse, body: SentRequest['body'], text: string, sent: SentRequest): void {
  const usage = { input_tokens: tokens(sent.system + sent.user), output_tokens: tokens(text) };
  const message = { id: 'msg_fake', type: 'message', role: 'assistant', model: body.model ?? 'fake', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage };
  if (!body.stream) return json(res, 200, message);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
  send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  // Several deltas, so streaming is exercised.
  for (let i = 0; i < text.length; i += 40) send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(i, i + 40) } });
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

function openai(res: ServerResponse, body: SentRequest['body'], text: string, sent: SentRequest): void {
  const usage = { prompt_tokens: tokens(sent.system + sent.user), completion_tokens: tokens(text) };
  if (!body.stream) return json(res, 200, { model: body.model, choices: [{ message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage });
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (let i = 0; i < text.length; i += 40) res.write(`data: ${JSON.stringify({ model: body.model, choices: [{ delta: { content: text.slice(i, i + 40) }, finish_reason: null }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ model: body.model, choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ choices: [], usage })}\n\n`);
  res.write('data: [DONE]\n\n');
  res.end();
}
