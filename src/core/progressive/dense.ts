// The dense read a progressive read is measured against, and falls back to (issue 13): the whole
// verbatim session — every main-line event read back whole from its transcript, edit bodies and
// long outputs included, nothing cut — in consecutive window-sized slices, in session order.
import { renderTurnSharp } from '../distill/strip';
import type { DistilledSession } from '../distill/units';
import { codeBlock, heading, raw, renderBlock } from '../markdown';
import { countExact } from '../tokens/count';
import { headTokens, splitTokens } from '../tokens/fit';
import type { Slice } from './slices';

/** A part of the session as the dense read sends it: a turn's heading, or (part of) one event's block. */
interface Piece {
  turn: number;
  /** The event it renders; null for a heading. */
  event: number | null;
  /** A code block's content (fenced when rendered), or rendered markdown. */
  kind: 'code' | 'text';
  value: string;
  /** 0 for the start of an event's block; a later part of a block cut between slices counts up. */
  part: number;
  text: string;
  tokens: number;
}

/** Below this much room left in a slice, a block that does not fit starts the next slice instead. */
const MIN_FILL = 64;

/** The session at R0 whole, cut into slices of at most `budget` tokens that together hold all of it. */
export function denseSlices(d: DistilledSession, budget: number): Slice[] {
  const slices: Slice[] = [];
  let group: Piece[] = [];
  let tokens = 0;
  const room = () => budget - tokens - (group.length > 0 ? 1 : 0);
  const push = (p: Piece) => {
    tokens = budget - room() + p.tokens;
    group.push(p);
  };
  const flush = () => {
    if (group.length > 0) slices.push(denseSlice(group));
    group = [];
    tokens = 0;
  };
  for (let piece of sessionPieces(d)) {
    if (piece.event === null) {
      if (piece.tokens > room()) flush();
      push(piece);
      continue;
    }
    // A block that does not fit fills the slice with its head and goes on in the next one, so every
    // call but the last is full: the fewest calls, as a dense read makes them.
    while (piece.tokens > room()) {
      const fresh = !group.some((p) => p.event !== null);
      const [head, rest] = room() >= MIN_FILL ? cutPiece(piece, room()) : [null, piece];
      if (head) {
        push(head);
        piece = rest;
      } else if (fresh) {
        break; // nothing smaller fits (a fence longer than the room): cut below, as text
      }
      // A turn's heading goes with what follows it, not alone at the end of a slice.
      const heading = group[group.length - 1]?.event === null ? group.pop() : undefined;
      flush();
      push(heading ?? continued(piece.turn));
    }
    push(piece);
  }
  flush();
  // Joining can differ from the sum of the parts by a token at a seam: split such a slice again.
  return slices.flatMap((s) => (s.tokens <= budget ? [s] : resplit(s, budget)));
}

/** Tokens of the whole verbatim session as the dense read sends it: the sum of its slices. */
export function denseTokens(slices: readonly Slice[]): number {
  return slices.reduce((n, s) => n + s.tokens, 0);
}

/** The session in order: a heading per turn, then one block per main-line event, rendered whole. */
function sessionPieces(d: DistilledSession): Piece[] {
  const pieces: Piece[] = [];
  const ctx = { analysis: d.analysis, whole: true };
  for (const turn of d.turns) {
    pieces.push(makePiece(turn, null, 'text', renderBlock(heading(3, raw(`Turn ${turn}`))), 0));
    for (const ev of d.analysis.turns.get(turn) ?? []) {
      for (const block of renderTurnSharp([ev], 0, ctx)) {
        pieces.push(block.t === 'code' ? makePiece(turn, ev.id, 'code', block.value, 0) : makePiece(turn, ev.id, 'text', renderBlock(block), 0));
      }
    }
  }
  return pieces;
}

function makePiece(turn: number, event: number | null, kind: Piece['kind'], value: string, part: number): Piece {
  // A later part of a code block is fenced again with a line saying whose it is, so transcript text
  // never stands outside a fence; prose is cut between lines, where its escaping still holds.
  const text = kind === 'code' ? renderBlock(codeBlock(part > 0 ? `# … e${event} continued\n${value}` : value)) : value;
  return { turn, event, kind, value, part, text, tokens: countExact(text) };
}

/** The longest head of a piece that fits `room` tokens, and the rest; no head when none does. */
function cutPiece(p: Piece, room: number): [Piece | null, Piece] {
  // What the fences and the continuation line take, with a margin for the seams.
  const overhead = p.kind === 'code' ? makePiece(p.turn, p.event, 'code', '', 1).tokens + 8 : 0;
  for (let limit = room - overhead; limit >= 1; limit = Math.floor(limit * 0.8)) {
    const cut = headTokens(p.value, limit);
    if (cut.rest === '') continue; // the whole value: over the room once fenced
    const head = makePiece(p.turn, p.event, p.kind, cut.head, p.part);
    if (head.tokens <= room) return [head, makePiece(p.turn, p.event, p.kind, cut.rest, p.part + 1)];
  }
  return [null, p];
}

function continued(turn: number): Piece {
  return makePiece(turn, null, 'text', renderBlock(heading(3, raw(`Turn ${turn} (continued)`))), 0);
}

function denseSlice(group: readonly Piece[]): Slice {
  const turns = [...new Set(group.map((p) => p.turn))];
  const events = group.map((p) => p.event).filter((e): e is number => e !== null);
  const text = group.map((p) => p.text).join('\n\n');
  return {
    level: 'R0',
    turns,
    turnFrom: turns[0] ?? 0,
    turnTo: turns[turns.length - 1] ?? 0,
    eventFrom: events[0] ?? 0,
    eventTo: events[events.length - 1] ?? 0,
    text,
    tokens: countExact(text),
    cut: false,
  };
}

function resplit(s: Slice, budget: number): Slice[] {
  return splitTokens(s.text, budget).map((text) => ({ ...s, text, tokens: countExact(text) }));
}
