// Reading an event's verbatim original back from its transcript (DESIGN §9: the database keeps
// what recall needs; long originals stay in the transcript, the source of truth).
import { closeSync, openSync, readSync } from 'node:fs';
import type { StoredEvent } from './model';
import { toolCallText, toolResultText } from './transcript/claude/tools';

export class SourceUnavailableError extends Error {}

/** The raw JSONL line an event came from. */
export function readSourceLine(event: StoredEvent): string {
  const { file, offset, length, line } = event.sourceRef;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new SourceUnavailableError(`${file}:${line}: cannot read the transcript (${(err as Error).message})`);
  }
  try {
    const buf = Buffer.alloc(length);
    const got = readSync(fd, buf, 0, length, offset);
    if (got !== length) throw new SourceUnavailableError(`${file}:${line}: the transcript is shorter than when it was ingested`);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The full text of an event as the model saw it: for a tool result the whole output, for other
 * events the stored text when it was not cut. Falls back to the stored text (which says how much
 * was cut) when the transcript changed or vanished.
 */
export function verbatimText(event: StoredEvent): string {
  if (event.text.length >= event.textLength) return event.text;
  try {
    const record = JSON.parse(readSourceLine(event)) as { message?: { content?: unknown } };
    const content = record.message?.content;
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) {
      for (const block of content as Record<string, unknown>[]) {
        if (event.kind === 'tool_result' && block.type === 'tool_result' && block.tool_use_id === event.toolUseId) {
          return toolResultText(block.content);
        }
        if (event.kind === 'tool_call' && block.id === event.toolUseId && typeof block.name === 'string') {
          const input = block.input !== null && typeof block.input === 'object' ? (block.input as Record<string, unknown>) : {};
          return toolCallText(block.name, input);
        }
        if (event.kind !== 'tool_result' && typeof block.text === 'string' && block.text.length === event.textLength) return block.text;
        if (event.kind === 'thinking' && typeof block.thinking === 'string') return block.thinking;
      }
    }
  } catch {
    // fall through: the stored text is the best we have
  }
  return event.text;
}
