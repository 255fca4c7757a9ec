// The provider interface (DESIGN §4): one call that takes a system prompt, messages and limits and
// returns text, streamed, with token and cost accounting, cancellation, a timeout per attempt and
// retries with backoff on 429/5xx that honour `retry-after`. Providers only translate: the retry
// loop, the timeout and the error kinds live here, so every provider behaves the same and the
// tests pin the behaviour once.

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  system: string;
  messages: LlmMessage[];
  /** The most the answer may be (the provider's max_tokens). */
  maxTokens: number;
  temperature?: number;
  signal?: AbortSignal;
  /** Called with each piece of text as it streams in. */
  onText?: (delta: string) => void;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  /** US dollars, or null when the model's price is unknown (a local model). */
  costUsd: number | null;
}

export interface LlmResult {
  text: string;
  usage: LlmUsage;
  model: string;
  stopReason: string;
  /** Attempts made (1 when the first one succeeded). */
  attempts: number;
}

export interface LlmProvider {
  /** 'anthropic' or 'openai-compatible'. */
  readonly name: string;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmResult>;
  /** The provider's own count of a request's input tokens, when it has an endpoint for it. */
  countTokens?(request: Pick<LlmRequest, 'system' | 'messages' | 'signal'>): Promise<number>;
}

export type LlmErrorKind = 'auth' | 'unknown-model' | 'context-too-long' | 'rate-limited' | 'server' | 'timeout' | 'aborted' | 'network' | 'bad-request';

/** A provider failure, with a kind a caller can act on and a message a user can. */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    /** From the answer's retry-after (or retry-after-ms) header, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }

  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network';
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubled each retry, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt, start to last streamed byte. A hung request is aborted after this. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 120_000 };

/** An LlmError for an HTTP status, the way both providers classify answers. */
export function errorForStatus(status: number, body: string, retryAfterMs: number | undefined): LlmError {
  const detail = body.slice(0, 300);
  if (status === 401 || status === 403) return new LlmError('auth', `the provider refused the API key (HTTP ${status}): ${detail}`, status);
  if (status === 404) return new LlmError('unknown-model', `unknown model or endpoint (HTTP 404): ${detail}`, status);
  if (status === 429) return new LlmError('rate-limited', `rate limited (HTTP 429): ${detail}`, status, retryAfterMs);
  if (status === 413 || (status === 400 && /too long|context (length|window)|maximum context|too many tokens/i.test(body))) {
    return new LlmError('context-too-long', `the prompt is longer than the model's context window (HTTP ${status}): ${detail}`, status);
  }
  if (status >= 500) return new LlmError('server', `server error (HTTP ${status}): ${detail}`, status, retryAfterMs);
  return new LlmError('bad-request', `request refused (HTTP ${status}): ${detail}`, status);
}

/** retry-after-ms, or retry-after as seconds or an HTTP date. */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` with a timeout per attempt and retries on retryable errors. The caller's signal
 * cancels everything (also a wait between attempts) and is never retried. `attempt` gets a signal
 * that fires on either.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (signal: AbortSignal) => Promise<T>,
  classify: (err: unknown, timedOut: boolean) => LlmError,
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw new LlmError('aborted', 'cancelled');
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), policy.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    let error: LlmError;
    try {
      return { value: await attempt(combined), attempts: n };
    } catch (err) {
      if (signal?.aborted) throw new LlmError('aborted', 'cancelled');
      error = timeout.signal.aborted ? new LlmError('timeout', `no complete answer within ${policy.timeoutMs} ms`) : classify(err, false);
    } finally {
      clearTimeout(timer);
    }
    if (!error.retryable || n > policy.maxRetries) {
      if (n > 1) error.message += ` (after ${n} attempts)`;
      throw error;
    }
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)) * (0.75 + Math.random() * 0.5);
    await sleep(error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, policy.maxDelayMs) : backoff, signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new LlmError('aborted', 'cancelled'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Prices in US dollars per million tokens (input, output), for the cost line. */
const PRICES: readonly [RegExp, number, number][] = [
  [/haiku-4/, 1, 5],
  [/haiku-3-5|3-5-haiku/, 0.8, 4],
  [/sonnet/, 3, 15],
  [/opus-4-[5-9]/, 5, 25],
  [/opus/, 15, 75],
];

export function costUsd(model: string, inputTokens: number, outputTokens: number): number | null {
  const price = PRICES.find(([re]) => re.test(model));
  return price ? (inputTokens * price[1] + outputTokens * price[2]) / 1e6 : null;
}

/** Sums the usage of many calls: what a distillation or a progressive read cost. */
export class UsageMeter {
  calls = 0;
  attempts = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd: number | null = 0;

  add(result: Pick<LlmResult, 'usage' | 'attempts'>): void {
    this.calls++;
    this.attempts += result.attempts;
    this.inputTokens += result.usage.inputTokens;
    this.outputTokens += result.usage.outputTokens;
    this.costUsd = this.costUsd === null || result.usage.costUsd === null ? null : this.costUsd + result.usage.costUsd;
  }

  describe(): string {
    const cost = this.costUsd === null ? 'cost unknown (no price for this model)' : `$${this.costUsd.toFixed(4)}`;
    return `${this.calls} calls (${this.attempts} attempts), ${this.inputTokens} input + ${this.outputTokens} output tokens, ${cost}`;
  }
}
