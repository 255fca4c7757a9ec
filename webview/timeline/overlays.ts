// What the timeline draws over its marks, each a function of what to show and where the plot is:
// the R0 labels beside the marks, the R4 outline and R3 periods as bands, the columns of turns a
// linked view highlights, and the strip of the resolution a progressive read reached per turn.
// Transcript strings go in through d3's `.text()`: textContent, never HTML.
import type { ScaleLinear } from 'd3-scale';
import type { Selection } from 'd3-selection';
import type { TimelineBand } from '../../src/protocol';
import type { Resolution, TurnRun } from '../lib/timeline';
import { labelRooms, type PlacedMark } from '../lib/timeline-bins';

type G = Selection<SVGGElement, unknown, null, undefined>;

/** The plot in the SVG's frame: x maps turns to pixels; the lanes run from y = 0 to `height`. */
export interface PlotFrame {
  x: ScaleLinear<number, number>;
  left: number;
  width: number;
  height: number;
}

/** Above this many marks in view, R0 draws no labels: they could not fit anyway. */
const MAX_LABELS = 400;
/** Average width of a label character (10 px monospace), and of a band's (12 px italic). */
const LABEL_CHAR_PX = 6.2;
const BAND_CHAR_PX = 6.5;

/** Each single event's label beside its mark, as much of it as fits before the next mark in its lane. */
export function drawMarkLabels(g: G, marks: readonly PlacedMark[], labels: readonly string[]): void {
  const shown = marks.length <= MAX_LABELS ? marks : [];
  const rooms = labelRooms(shown);
  const data = shown.map((m, i) => ({ m, chars: Math.min(60, rooms[i]! / LABEL_CHAR_PX) })).filter((l) => l.chars >= 4 && l.m.count === 1);
  g.selectAll<SVGTextElement, (typeof data)[number]>('text')
    .data(data, (l) => String(l.m.index))
    .join('text')
    .attr('class', 'tl-mark-label')
    .attr('x', (l) => l.m.x + l.m.r + 3)
    .attr('y', (l) => l.m.y + 4)
    .text((l) => clip(labels[l.m.index]!, l.chars));
}

/** Bands over their turns, their summary written in the part of them that is in view. */
export function drawBands(g: G, bands: readonly TimelineBand[], level: Resolution, f: PlotFrame): void {
  const { x, left, width, height } = f;
  const sel = g
    .attr('class', `tl-bands r${level}`)
    .selectAll<SVGGElement, TimelineBand>('g.tl-band')
    .data(bands)
    .join((enter) => {
      const band = enter.append('g').attr('class', 'tl-band');
      band.append('rect');
      band.append('text');
      return band;
    });
  sel.select('rect').attr('x', (b) => x(b.fromTurn) + 1).attr('y', 2).attr('width', (b) => Math.max(1, x(b.toTurn + 1) - x(b.fromTurn) - 2)).attr('height', height - 4);
  sel
    .select('text')
    .attr('x', (b) => Math.max(left + 4, x(b.fromTurn) + 6))
    .attr('y', height / 2)
    .text((b) => clip(b.summary, (Math.min(x(b.toTurn + 1), left + width) - Math.max(x(b.fromTurn), left) - 12) / BAND_CHAR_PX));
}

/** A tinted column over each run of highlighted turns, from the top of the fill curve (`above` px up) to the last lane. */
export function drawHighlights(g: G, runs: readonly TurnRun[], f: PlotFrame, above: number): void {
  const { x } = f;
  g.selectAll<SVGRectElement, TurnRun>('rect')
    .data(runs)
    .join('rect')
    .attr('class', 'tl-highlight')
    .attr('x', (r) => x(r.from))
    .attr('width', (r) => Math.max(2, x(r.to + 1) - x(r.from)))
    .attr('y', -above)
    .attr('height', above + f.height);
}

/** The progressive read's strip: a run of turns per level, styled blurry (faint, dashed) to sharp (solid). */
export function drawReadLevels(g: G, runs: readonly (TurnRun & { level: Resolution })[], f: PlotFrame, stripHeight: number): void {
  const { x } = f;
  g.selectAll<SVGRectElement, TurnRun & { level: Resolution }>('rect')
    .data(runs)
    .join('rect')
    .attr('class', (r) => `tl-read-run r${r.level}`)
    .attr('x', (r) => x(r.from))
    .attr('width', (r) => Math.max(1, x(r.to + 1) - x(r.from)))
    .attr('y', 1)
    .attr('height', stripHeight - 2);
}

/** `s` cut to `max` characters with an ellipsis (empty when not even two fit). */
export function clip(s: string, max: number): string {
  const n = Math.floor(max);
  if (n <= 1) return '';
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The first `n` non-empty lines of markdown as one plain line (the R4 band's summary). */
export function firstLines(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^[#>*\-\s]+/, '').replace(/\*\*|__|`/g, '').trim())
    .filter(Boolean)
    .slice(0, n)
    .join(' · ');
}
