// An OpenAI-compatible endpoint (POST {baseURL}/chat/completions): Ollama, LM Studio, llama.cpp's
// server, vLLM. Plain fetch and server-sent events, so it needs no SDK.
import { costUsd, DEFAULT_RETRY, errorForStatus, LlmError, type LlmProvider, type LlmRequest, type LlmResult, parseRetryAfter, type RetryPolicy, withRetries } from './provider';

export interface OpenAiCompatibleOptions {
  /** Up to and including the version, e.g. http://localhost:11434/v1 (Ollama). */
  baseURL: string;
  model: string;
  /** Optional: local servers usually need none. */
  apiKey?: string;
  retry?: Partial<RetryPolicy>;
}

interface Chunk {
  choices?: { delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  model?: string;
}

export class OpenAiCompatibleProvider implements LlmProvider {
  readonly name = 'openai-compatible';
  readonly model: string;
  private readonly url: string;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.model = options.model;
    this.url = options.baseURL.replace(/\/+$/, '') + '/chat/completions';
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    const { value, attempts } = await withRetries(this.retry, request.signal, (signal) => this.once(request, signal), (err) =>
      err instanceof LlmError ? err : new LlmError('network', `cannot reach ${this.url}: ${err instanceof Error ? err.message : String(err)}`),
    );
    return { ...value, attempts, usage: { ...value.usage, costUsd: costUsd(this.model, value.usage.inputTokens, value.usage.outputTokens) } };
  }

  private async once(request: LlmRequest, signal: AbortSignal): Promise<Omit<LlmResult, 'attempts'>> {
    const response = await fetch(this.url, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
      body: JSON.stringify({
        model: this.model,
        max_tokens: request.maxTokens,
        stream: true,
        stream_options: { include_usage: true },
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        messages: [{ role: 'system', content: request.system }, ...request.messages],
      }),
    });
    if (!response.ok) {
      throw errorForStatus(response.status, await response.text().catch(() => ''), parseRetryAfter((n) => response.headers.get(n)));
    }
    let text = '';
    let stopReason = '';
    let model = this.model;
    let usage = { inputTokens: 0, outputTokens: 0 };
    const consume = (chunk: Chunk) => {
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content ?? choice?.message?.content ?? '';
      if (delta) {
        text += delta;
        request.onText?.(delta);
      }
      if (choice?.finish_reason) stopReason = choice.finish_reason;
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
    };
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // A server that ignores `stream` answers with one JSON object.
      consume((await response.json()) as Chunk);
    } else {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(bytes, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, end).trim();
          buffer = buffer.slice(end + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') continue;
          try {
            consume(JSON.parse(data) as Chunk);
          } catch {
            throw new LlmError('server', `malformed stream event from ${this.url}: ${data.slice(0, 120)}`);
          }
        }
      }
    }
    return { text, model, stopReason, usage: { ...usage, costUsd: null } };
  }
}
