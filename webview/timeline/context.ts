// Above the lanes, the agent's context: how full its window was along the session (the API's
// `usage` where the transcript has it, else Loupe's own count, drawn dashed), the window's limit as
// a line, and the agent's own compactions as rules across the lanes, labelled where there is room.
import type { ScaleLinear } from 'd3-scale';
import type { Selection } from 'd3-selection';
import type { TimelineCompaction, TimelineData } from '../../src/protocol';
import { formatTokens } from '../lib/model';
import { fillPolyline, type PreparedTimeline } from '../lib/timeline-bins';

type G = Selection<SVGGElement, unknown, null, undefined>;

/** Where the layer draws, in the plot's frame (y = 0 is the top of the lanes). */
export interface ContextFrame {
  /** The fill curve's band: from `top` (its maximum) down to `bottom` (zero), both negative. */
  top: number;
  bottom: number;
  /** The lanes' height (the rules cross them) and the compactions lane's middle (their labels). */
  lanesHeight: number;
  labelY: number;
  /** The compactions lane, top and bottom: where the rules shrink to ticks when they are dense. */
  laneTop: number;
  laneBottom: number;
  labelWidth: number;
}

/** A rule's label needs this many free pixels before the next rule. */
const LABEL_ROOM = 110;
/** Rules closer than this to the last one drawn are left out (zoomed out, hundreds of compactions would fill the lanes). */
const RULE_GAP = 4;
/** Rules closer than this on average cross only their own lane: full height, they would hide the marks. */
const DENSE_GAP = 24;

export class ContextLayer {
  private readonly area: Selection<SVGPathElement, unknown, null, undefined>;
  private readonly line: Selection<SVGPathElement, unknown, null, undefined>;
  private readonly limit: Selection<SVGLineElement, unknown, null, undefined>;
  private readonly limitText: Selection<SVGTextElement, unknown, null, undefined>;
  private readonly rulesG: G;
  private readonly rules: Selection<SVGPathElement, unknown, null, undefined>;
  private readonly caption: Selection<SVGTextElement, unknown, null, undefined>;
  private readonly captionWindow: Selection<SVGTextElement, unknown, null, undefined>;

  /** The curve goes in `plot`, the rules in `overlay` (above the R3/R4 bands), the captions in `labels`. */
  constructor(plot: G, overlay: G, labels: G, private readonly frame: ContextFrame) {
    const g = plot.append('g').attr('class', 'tl-context');
    this.area = g.append('path').attr('class', 'tl-fill-area');
    this.line = g.append('path').attr('class', 'tl-fill-line');
    this.limit = g.append('line').attr('class', 'tl-limit');
    this.limitText = g.append('text').attr('class', 'tl-limit-label').attr('text-anchor', 'end');
    this.rulesG = overlay.append('g').attr('class', 'tl-compactions');
    this.rules = this.rulesG.append('path').attr('class', 'tl-compaction-rules');
    this.rules.append('title').text('The agent compacted its context here');
    this.caption = labels.append('text').attr('class', 'tl-lane-label tl-fill-caption').attr('x', 4).attr('y', frame.top + 12);
    this.captionWindow = labels.append('text').attr('class', 'tl-lane-label tl-fill-caption').attr('x', 4).attr('y', frame.top + 26);
  }

  draw(data: TimelineData, prep: PreparedTimeline, x: ScaleLinear<number, number>, v0: number, v1: number, right: number): void {
    const { top, bottom } = this.frame;
    const ceiling = Math.max(data.contextWindow, prep.fillMax) * 1.05;
    const y = (tokens: number) => bottom - (tokens / ceiling) * (bottom - top);
    const points = fillPolyline(prep.fillX, prep.fillTokens, v0, v1, x);
    const path = points.map(([px, t], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${y(t).toFixed(1)}`).join('');
    this.line.attr('d', path || null).classed('estimated', data.contextFill.estimated);
    this.area.attr('d', points.length ? `${path}L${points.at(-1)![0].toFixed(1)},${bottom}L${points[0]![0].toFixed(1)},${bottom}Z` : null);
    const ly = y(data.contextWindow);
    this.limit.attr('x1', this.frame.labelWidth).attr('x2', right).attr('y1', ly).attr('y2', ly);
    this.limitText.attr('x', right - 4).attr('y', ly + 10).text(`window ${formatTokens(data.contextWindow)}`);
    this.caption.text(data.contextFill.estimated ? 'Context (est.)' : 'Context');
    const last = data.contextFill.tokens.at(-1);
    this.captionWindow.text(last === undefined ? 'no data' : `${Math.round((100 * last) / data.contextWindow)}% at end`);
    this.drawRules(data.compactions, prep, x, v0, v1, right - this.frame.labelWidth);
  }

  /** All rules are one path (hundreds of compactions cost one node); labels only where they fit. */
  private drawRules(compactions: TimelineCompaction[], prep: PreparedTimeline, x: ScaleLinear<number, number>, v0: number, v1: number, width: number): void {
    const visible: { c: TimelineCompaction; x: number }[] = [];
    for (const c of compactions) {
      const at = prep.positions[c.eventIndex]!;
      if (at < v0 || at > v1) continue;
      const px = x(at);
      if (visible.length && px - visible.at(-1)!.x < RULE_GAP) continue;
      visible.push({ c, x: px });
    }
    const { labelY } = this.frame;
    const dense = visible.length * DENSE_GAP > width;
    const [y0, y1] = dense ? [this.frame.laneTop, this.frame.laneBottom] : [this.frame.top, this.frame.lanesHeight];
    this.rules.attr('d', visible.map((r) => `M${r.x.toFixed(1)},${y0}V${y1}`).join('') || null);
    this.rulesG.attr('data-count', visible.length).classed('dense', dense);
    const labelled = visible.filter((r, i) => i + 1 === visible.length || visible[i + 1]!.x - r.x >= LABEL_ROOM);
    this.rulesG
      .selectAll<SVGTextElement, (typeof labelled)[number]>('text')
      .data(labelled)
      .join('text')
      .attr('class', 'tl-compaction-label')
      .attr('x', (r) => r.x + 5)
      .attr('y', labelY)
      .text((r) => `compacted${r.c.preTokens ? ` · ${formatTokens(r.c.preTokens)} before` : ''}`);
  }
}
