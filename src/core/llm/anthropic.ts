// The Anthropic provider, through @anthropic-ai/sdk. The SDK's own retries are turned off
// (maxRetries 0): the loop in provider.ts retries for every provider alike and counts attempts.
import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { costUsd, DEFAULT_RETRY, errorForStatus, LlmError, type LlmProvider, type LlmRequest, type LlmResult, parseRetryAfter, type RetryPolicy, withRetries } from './provider';

/** A small current Claude model: distillation and reading passes are many short calls. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-haiku-4-5';

export interface AnthropicOptions {
  /** From SecretStorage in the extension, ANTHROPIC_API_KEY in the CLI; never logged or stored. */
  apiKey: string;
  model?: string;
  /** Default https://api.anthropic.com (a proxy, or the tests' local server). */
  baseURL?: string;
  retry?: Partial<RetryPolicy>;
}

export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly retry: RetryPolicy;

  constructor(options: AnthropicOptions) {
    if (!options.apiKey) throw new LlmError('auth', 'no Anthropic API key (set ANTHROPIC_API_KEY)');
    this.model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      timeout: this.retry.timeoutMs,
    });
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    const { value, attempts } = await withRetries(
      this.retry,
      request.signal,
      async (signal) => {
        const stream = this.client.messages.stream(
          {
            model: this.model,
            max_tokens: request.maxTokens,
            system: request.system,
            messages: request.messages,
            ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          },
          { signal },
        );
        if (request.onText) stream.on('text', (delta) => request.onText!(delta));
        return stream.finalMessage();
      },
      classify,
    );
    const text = value.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    const inputTokens = value.usage.input_tokens + (value.usage.cache_read_input_tokens ?? 0) + (value.usage.cache_creation_input_tokens ?? 0);
    const outputTokens = value.usage.output_tokens;
    return { text, model: value.model, stopReason: value.stop_reason ?? '', attempts, usage: { inputTokens, outputTokens, costUsd: costUsd(this.model, inputTokens, outputTokens) } };
  }

  async countTokens(request: Pick<LlmRequest, 'system' | 'messages' | 'signal'>): Promise<number> {
    const { value } = await withRetries(
      this.retry,
      request.signal,
      (signal) => this.client.messages.countTokens({ model: this.model, system: request.system, messages: request.messages }, { signal }),
      classify,
    );
    return value.input_tokens;
  }
}

function classify(err: unknown): LlmError {
  if (err instanceof LlmError) return err;
  if (err instanceof APIConnectionError) return new LlmError('network', `cannot reach the Anthropic API: ${err.message}`);
  if (err instanceof APIError && typeof err.status === 'number') {
    const headers = err.headers;
    const body = err.error ? JSON.stringify(err.error) : err.message;
    return errorForStatus(err.status, body, parseRetryAfter((name) => headers?.get(name)));
  }
  return new LlmError('network', err instanceof Error ? err.message : String(err));
}
