// The timeline's marks on screen: bars (R4–R2: a lane's tokens over a turn or a bin of turns) and
// circles (R1/R0: an event, or the events of one lane sharing a pixel column). Sharp and few, they
// are SVG nodes (stylable, labelled for screen readers); past CANVAS_THRESHOLD, and always at the
// blurry levels, they are painted on a canvas: a blur filter over SVG costs more per frame than
// painting a thousand bars.
import type { Selection } from 'd3-selection';
import { EVENT_FLAGS, TIMELINE_LANES, type TimelineEvents } from '../../src/protocol';
import { formatTokens } from '../lib/model';
import { CANVAS_THRESHOLD, LANE_LABELS, type Resolution } from '../lib/timeline';
import type { PlacedMark } from '../lib/timeline-bins';

type G = Selection<SVGGElement, unknown, null, undefined>;

/** One lane's tokens over turns fromTurn..toTurn, as a bar whose height grows with them. */
export interface Bar {
  x: number;
  y: number;
  /** The bin's whole width (the hover's); a wide bar is drawn a pixel narrower, so neighbours stay apart. */
  w: number;
  h: number;
  lane: number;
  tokens: number;
  count: number;
  fromTurn: number;
  toTurn: number;
}

export interface GlyphContext {
  level: Resolution;
  events: TimelineEvents;
  highlighted: ReadonlySet<number>;
  /** The plot's left edge and size, in the SVG's frame (the canvas starts there). */
  left: number;
  width: number;
  height: number;
}

/**
 * Canvas pixels per CSS pixel at the blurry levels: a half, scaled back up by the browser, blurs
 * the bars as a blur filter would, at a quarter of the painting and no filter per frame.
 */
const BLURRY_SCALE = 1 / 2;

export class Glyphs {
  /** The lanes' colours (theme variables), read once per theme: reading them every frame forces a style pass. */
  private colours: string[] = [];
  private size = { width: 0, height: 0, scale: 0 };

  constructor(
    private readonly stage: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
    private readonly barsG: G,
    private readonly marksG: G,
  ) {}

  /** The theme changed (or the view was just built): read the lane colours again. */
  readColours(): void {
    // Detached, the stage has no theme to read: leave it for the first paint.
    if (!this.stage.isConnected) return void (this.colours = []);
    const style = getComputedStyle(this.stage);
    this.colours = TIMELINE_LANES.map((l) => style.getPropertyValue(`--lane-${l}`).trim() || '#888');
  }

  render(bars: Bar[], marks: PlacedMark[], ctx: GlyphContext): void {
    const blurry = ctx.level >= 3;
    const useCanvas = blurry || bars.length + marks.length > CANVAS_THRESHOLD;
    let events = 0;
    for (const g of bars.length ? bars : marks) events += g.count;
    // Attributes only when they change: each write invalidates style on the stage.
    setData(this.stage, 'render', useCanvas ? 'canvas' : 'svg');
    setData(this.stage, 'marks', String(bars.length + marks.length));
    setData(this.stage, 'events', String(events));
    const className = `tl-canvas r${ctx.level}`;
    if (this.canvas.className !== className) this.canvas.className = className;
    const c2d = this.sizeCanvas(ctx.width, ctx.height, blurry ? BLURRY_SCALE : window.devicePixelRatio || 1);
    if (c2d) {
      c2d.clearRect(0, 0, ctx.width, ctx.height);
      if (useCanvas) this.paint(c2d, bars, marks, ctx);
    }
    this.drawBars(useCanvas ? [] : bars, ctx);
    this.drawMarks(useCanvas ? [] : marks, ctx);
  }

  /** The canvas's backing store for this size and scale (reallocated only when they change), drawing in CSS pixels. */
  private sizeCanvas(width: number, height: number, scale: number): CanvasRenderingContext2D | null {
    if (this.size.width !== width || this.size.height !== height || this.size.scale !== scale) {
      this.size = { width, height, scale };
      this.canvas.width = Math.max(1, Math.round(width * scale));
      this.canvas.height = Math.max(1, Math.round(height * scale));
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const c2d = this.canvas.getContext('2d');
    c2d?.setTransform(this.canvas.width / width, 0, 0, this.canvas.height / height, 0, 0);
    return c2d;
  }

  private drawBars(bars: Bar[], ctx: GlyphContext): void {
    const hl = ctx.highlighted;
    this.barsG
      .attr('class', `tl-cells r${ctx.level}`)
      .selectAll<SVGRectElement, Bar>('rect')
      .data(bars)
      .join('rect')
      .attr('class', (b) => `tl-cell lane-${TIMELINE_LANES[b.lane]}${coversAny(hl, b.fromTurn, b.toTurn) ? ' hl' : ''}${b.count > 1 ? ' agg' : ''}`)
      .attr('x', (b) => b.x)
      .attr('y', (b) => b.y)
      .attr('width', (b) => drawnWidth(b.w))
      .attr('height', (b) => b.h);
  }

  private drawMarks(marks: PlacedMark[], ctx: GlyphContext): void {
    const { events, level, highlighted } = ctx;
    this.marksG
      .selectAll<SVGCircleElement, PlacedMark>('circle')
      .data(marks, (m) => `${m.index}:${m.count}`)
      .join((enter) => enter.append('circle').attr('role', 'img'))
      .attr('class', (m) => {
        const f = events.flags[m.index]!;
        const single = m.count === 1;
        return `tl-mark lane-${TIMELINE_LANES[m.lane]}${single && f & EVENT_FLAGS.omitted && level === 1 ? ' omitted' : ''}${single && f & EVENT_FLAGS.error ? ' error' : ''}${coversAny(highlighted, m.fromTurn, m.toTurn) ? ' hl' : ''}${single ? '' : ' agg'}`;
      })
      .attr('cx', (m) => m.x)
      .attr('cy', (m) => m.y)
      .attr('r', (m) => m.r)
      .attr('data-event', (m) => String(events.id[m.index]))
      .attr('data-count', (m) => String(m.count))
      .attr('aria-label', (m) =>
        m.count === 1
          ? `${LANE_LABELS[TIMELINE_LANES[m.lane]!]}, turn ${m.fromTurn}: ${events.label[m.index]}`
          : `${m.count} ${LANE_LABELS[TIMELINE_LANES[m.lane]!].toLowerCase()} events, turns ${m.fromTurn}–${m.toTurn}, ${formatTokens(m.tokens)} tokens`,
      );
  }

  private paint(c2d: CanvasRenderingContext2D, bars: Bar[], marks: PlacedMark[], ctx: GlyphContext): void {
    if (!this.colours.length) this.readColours();
    const colours = this.colours;
    const dim = ctx.highlighted.size > 0;
    const alpha = (from: number, to: number) => (dim && !coversAny(ctx.highlighted, from, to) ? 0.2 : 0.8);
    for (const b of bars) {
      c2d.globalAlpha = alpha(b.fromTurn, b.toTurn);
      c2d.fillStyle = colours[b.lane]!;
      c2d.fillRect(b.x - ctx.left, b.y, drawnWidth(b.w), b.h);
    }
    for (const m of marks) {
      c2d.globalAlpha = alpha(m.fromTurn, m.toTurn);
      c2d.fillStyle = colours[m.lane]!;
      c2d.beginPath();
      c2d.arc(m.x - ctx.left, m.y, m.r, 0, Math.PI * 2);
      c2d.fill();
    }
    c2d.globalAlpha = 1;
  }
}

function drawnWidth(w: number): number {
  return w > 3 ? w - 1 : w;
}

function setData(node: HTMLElement, key: string, value: string): void {
  if (node.dataset[key] !== value) node.dataset[key] = value;
}

/** Some turn of from..to is highlighted (a bar or an aggregate can span several turns). */
export function coversAny(highlighted: ReadonlySet<number>, from: number, to: number): boolean {
  if (highlighted.size === 0) return false;
  if (to - from > highlighted.size) {
    for (const t of highlighted) if (t >= from && t <= to) return true;
    return false;
  }
  for (let t = from; t <= to; t++) if (highlighted.has(t)) return true;
  return false;
}
