// The visualiser's timeline (d3): x = turns, one lane per kind of event, mark size by tokens.
// Semantic zoom is the blurry→sharp axis: zoomed out the session is its R4 outline, then its R3
// periods as bands; zooming in resolves turns to R2 digests, then R1 events, then R0 verbatim.
// Every string from the transcript reaches the DOM through textContent (d3 `.text()`), never as HTML.
// Wheel zooms, shift+drag pans, a plain drag selects a range of turns.
import { axisBottom } from 'd3-axis';
import { brushX, type BrushBehavior } from 'd3-brush';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { pointer, select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { RANGE_ACTIONS, TIMELINE_LANES, type FromWebviewMessage, type RangeAction, type TimelineData, type TimelineEvent } from '../../src/protocol';
import { formatTokens } from '../lib/model';
import {
  bandAt,
  CANVAS_THRESHOLD,
  eventPositions,
  LANE_LABELS,
  laneCells,
  labelRooms,
  laneIndex,
  markAt,
  markRadius,
  RESOLUTIONS,
  resolutionAt,
  turnDomain,
  turnRange,
  visibleEvents,
  type LaneCell,
  type PlacedMark,
  type Resolution,
} from '../lib/timeline';

const LANE_H = 24;
const LABEL_W = 92;
const AXIS_H = 22;
const MAX_R = LANE_H / 2 - 1;
const RANGE_LABELS: Record<RangeAction, string> = { compact: 'Compact this range', recall: 'Recall in this range', progressiveRead: 'Progressive read from here' };

export interface ZoomMemory {
  sessionId: string;
  k: number;
  x: number;
}

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type G = Selection<SVGGElement, unknown, null, undefined>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class TimelineView {
  readonly element = h('section', 'tl');
  private readonly legend = h('ol', 'tl-legend');
  private readonly status = h('span', 'tl-status');
  private readonly stage = h('div', 'tl-stage');
  private readonly canvas = document.createElement('canvas');
  private readonly svg: Svg;
  private readonly bandsG: G;
  private readonly cellsG: G;
  private readonly marksG: G;
  private readonly labelsG: G;
  private readonly axisG: G;
  private readonly brushG: G;
  private readonly clipRect: Selection<SVGRectElement, unknown, null, undefined>;
  private readonly tooltip = h('div', 'tl-tooltip');
  private readonly rangeBar = h('div', 'tl-range');
  private readonly detailTitle = h('h3', 'tl-detail-title', 'Hover or click the timeline');
  private readonly detailText = h('pre', 'tl-detail-text');
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private readonly brusher: BrushBehavior<unknown>;
  private data: TimelineData | undefined;
  private positions: Float64Array = new Float64Array(0);
  private cells: LaneCell[] = [];
  private maxEventTokens = 1;
  private maxCellTokens = 1;
  private transform: ZoomTransform = zoomIdentity;
  private placed: PlacedMark[] = [];
  private level: Resolution = 4;
  private width = 800;
  private readonly height = TIMELINE_LANES.length * LANE_H;
  private x: ScaleLinear<number, number> = scaleLinear();

  constructor(private readonly post: (message: FromWebviewMessage) => void, private readonly onZoom: (memory: ZoomMemory) => void) {
    const toolbar = h('div', 'tl-toolbar');
    for (const r of RESOLUTIONS) {
      const li = h('li', 'tl-legend-item');
      li.dataset.level = String(r.level);
      li.append(h('span', 'tl-legend-name', r.name), document.createTextNode(` ${r.what}`));
      this.legend.append(li);
    }
    this.legend.setAttribute('aria-label', 'Resolution shown, blurry to sharp');
    this.status.id = 'tl-resolution';
    this.status.setAttribute('aria-live', 'polite');
    const zoomButtons = h('div', 'tl-zoom');
    for (const [label, title, factor] of [['−', 'Zoom out (blurrier)', 0.5], ['+', 'Zoom in (sharper)', 1.5], ['Fit', 'Whole session', 0]] as const) {
      const b = h('button', 'secondary', label);
      b.title = title;
      b.dataset.zoom = String(factor);
      b.addEventListener('click', () => (factor === 0 ? this.zoomTo(zoomIdentity) : this.zoomer.scaleBy(this.svg, factor)));
      zoomButtons.append(b);
    }
    toolbar.append(this.legend, this.status, zoomButtons);

    this.canvas.className = 'tl-canvas';
    this.svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('class', 'tl-svg') as unknown as Svg;
    const lanesG = this.svg.append('g').attr('class', 'tl-lanes');
    TIMELINE_LANES.forEach((lane, i) => {
      lanesG.append('rect').attr('class', `tl-lane-bg${i % 2 ? ' odd' : ''}`).attr('x', 0).attr('y', i * LANE_H).attr('height', LANE_H);
      lanesG.append('text').attr('class', 'tl-lane-label').attr('x', 4).attr('y', i * LANE_H + LANE_H / 2 + 4).text(LANE_LABELS[lane]);
    });
    // The plot is in the SVG's own coordinates (x from LABEL_W), so d3-zoom's pointer is the plot's;
    // a clip keeps zoomed-in marks off the lane labels.
    this.clipRect = this.svg.append('clipPath').attr('id', 'tl-clip').append('rect').attr('x', LABEL_W).attr('y', 0).attr('height', this.height);
    const plot = this.svg.append('g').attr('class', 'tl-plot');
    const clipped = plot.append('g').attr('clip-path', 'url(#tl-clip)');
    this.cellsG = clipped.append('g').attr('class', 'tl-cells');
    this.marksG = clipped.append('g').attr('class', 'tl-marks');
    this.labelsG = clipped.append('g').attr('class', 'tl-labels');
    this.bandsG = clipped.append('g').attr('class', 'tl-bands');
    this.axisG = plot.append('g').attr('class', 'tl-axis').attr('transform', `translate(0,${this.height})`);
    this.brushG = plot.append('g').attr('class', 'tl-brush');

    // Extents are set here (and on resize): d3's defaults read the SVG's size, which a detached node lacks.
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .extent(this.plotExtent())
      // Wheel and double-click zoom; only shift+drag pans, so a plain drag is free for range selection.
      .filter((event: Event) => event.type === 'wheel' || event.type === 'dblclick' || ((event as MouseEvent).shiftKey && !(event as MouseEvent).button))
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.transform = event.transform;
        if (this.data) this.onZoom({ sessionId: this.data.sessionId, k: event.transform.k, x: event.transform.x });
        this.draw();
      });
    this.svg.call(this.zoomer).on('dblclick.zoom', null);
    this.brusher = brushX<unknown>()
      .extent(this.plotExtent())
      .filter((event: MouseEvent) => !event.shiftKey && !event.button)
      .on('end', (event: { selection: [number, number] | null; sourceEvent?: Event }) => this.brushed(event.selection, event.sourceEvent !== undefined));
    this.brushG.call(this.brusher);
    this.svg.on('mousemove', (event: MouseEvent) => this.hover(event, false)).on('mouseleave', () => this.hideTooltip());
    this.svg.on('click', (event: MouseEvent) => this.hover(event, true));

    this.rangeBar.hidden = true;
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    this.stage.append(this.canvas, this.svg.node()!, this.tooltip);
    const detail = h('section', 'tl-detail');
    detail.append(this.detailTitle, this.detailText);
    this.element.append(toolbar, this.stage, this.rangeBar, detail);
    new ResizeObserver(() => this.resize()).observe(this.stage);
  }

  setData(data: TimelineData, memory?: ZoomMemory): void {
    const sameSession = this.data?.sessionId === data.sessionId;
    this.data = data;
    this.positions = eventPositions(data.events);
    this.cells = laneCells(data.events);
    this.maxEventTokens = Math.max(1, ...data.events.map((e) => e.tokens));
    this.maxCellTokens = Math.max(1, ...this.cells.map((c) => c.tokens));
    this.resize();
    if (!sameSession) {
      this.rangeBar.hidden = true;
      const t = memory && memory.sessionId === data.sessionId ? zoomIdentity.translate(memory.x, 0).scale(memory.k) : zoomIdentity;
      this.zoomTo(t);
    } else this.draw();
  }

  private zoomTo(t: ZoomTransform): void {
    this.svg.call(this.zoomer.transform, t);
  }

  private resize(): void {
    this.width = Math.max(200, (this.stage.clientWidth || 800) - LABEL_W);
    const total = this.width + LABEL_W;
    this.svg.attr('width', total).attr('height', this.height + AXIS_H).attr('viewBox', `0 0 ${total} ${this.height + AXIS_H}`);
    this.svg.selectAll('.tl-lane-bg').attr('width', total);
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.canvas.style.left = `${LABEL_W}px`;
    const turns = this.data ? turnDomain(this.data.turns, this.data.events) : ([0, 1] as [number, number]);
    const nTurns = turns[1] - turns[0];
    // Zoomable far enough that one turn can take 600 px (R0), never less than 8×.
    const maxK = Math.max(8, (nTurns * 600) / this.width);
    this.zoomer.scaleExtent([1, maxK]).translateExtent(this.plotExtent()).extent(this.plotExtent());
    this.brusher.extent(this.plotExtent());
    this.clipRect.attr('width', this.width);
    this.brushG.call(this.brusher);
    this.draw();
  }

  private plotExtent(): [[number, number], [number, number]] {
    return [[LABEL_W, 0], [LABEL_W + this.width, this.height]];
  }

  private draw(): void {
    const data = this.data;
    if (!data) return;
    const domain = turnDomain(data.turns, data.events);
    const base = scaleLinear().domain(domain).range([LABEL_W, LABEL_W + this.width]);
    this.x = this.transform.rescaleX(base);
    const pxPerTurn = this.x(domain[0] + 1) - this.x(domain[0]);
    this.level = resolutionAt(this.transform.k, pxPerTurn);
    const v0 = this.x.invert(LABEL_W);
    const v1 = this.x.invert(LABEL_W + this.width);
    this.axisG.call(axisBottom(this.x).ticks(Math.min(12, Math.ceil(v1 - v0))).tickFormat((d) => (Number.isInteger(+d) ? `turn ${+d}` : '')));

    const r = RESOLUTIONS.find((x) => x.level === this.level)!;
    this.status.textContent = `Showing ${r.name} · ${r.what}`;
    this.status.dataset.level = String(this.level);
    this.element.dataset.level = String(this.level);
    for (const li of this.legend.children) li.classList.toggle('active', (li as HTMLElement).dataset.level === String(this.level));

    this.drawBands(data, domain);
    this.drawCells(v0, v1);
    this.drawMarks(data, v0, v1);
  }

  private drawBands(data: TimelineData, domain: [number, number]): void {
    const bands =
      this.level === 4
        ? [{ fromTurn: domain[0], toTurn: domain[1] - 1, summary: firstLines(data.outline, 3) || data.title }]
        : this.level === 3
          ? data.bands
          : [];
    const x = this.x;
    const sel = this.bandsG
      .attr('class', `tl-bands r${this.level}`)
      .selectAll<SVGGElement, (typeof bands)[number]>('g.tl-band')
      .data(bands)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'tl-band');
        g.append('rect');
        g.append('text');
        return g;
      });
    sel.select('rect').attr('x', (b) => x(b.fromTurn) + 1).attr('y', 2).attr('width', (b) => Math.max(1, x(b.toTurn + 1) - x(b.fromTurn) - 2)).attr('height', this.height - 4);
    sel
      .select('text')
      .attr('x', (b) => Math.max(LABEL_W + 4, x(b.fromTurn) + 6))
      .attr('y', this.height / 2)
      // A band partly off screen labels only its visible part.
      .text((b) => clip(b.summary, (Math.min(x(b.toTurn + 1), LABEL_W + this.width) - Math.max(x(b.fromTurn), LABEL_W) - 12) / 6.5));
  }

  private drawCells(v0: number, v1: number): void {
    // R4–R2: a bar per turn and lane, its height by tokens; blurred at R4/R3 (CSS), sharp at R2.
    const cells = this.level >= 2 ? this.cells.filter((c) => c.turn + 1 >= v0 && c.turn <= v1) : [];
    const x = this.x;
    const w = Math.max(1, x(1) - x(0) - 1);
    this.cellsG
      .attr('class', `tl-cells r${this.level}`)
      .selectAll<SVGRectElement, LaneCell>('rect')
      .data(cells)
      .join('rect')
      .attr('class', (c) => `tl-cell lane-${c.lane}`)
      .attr('x', (c) => x(c.turn))
      .attr('width', w)
      .attr('height', (c) => Math.max(2, Math.sqrt(c.tokens / this.maxCellTokens) * (LANE_H - 4)))
      .attr('y', (c) => laneIndex(c.lane) * LANE_H + LANE_H - 2 - Math.max(2, Math.sqrt(c.tokens / this.maxCellTokens) * (LANE_H - 4)));
  }

  private drawMarks(data: TimelineData, v0: number, v1: number): void {
    const x = this.x;
    const visible = this.level <= 1 ? visibleEvents(this.positions, v0, v1) : [];
    this.placed = visible.map((i) => {
      const e = data.events[i]!;
      return { index: i, x: x(this.positions[i]!), y: laneIndex(e.lane) * LANE_H + LANE_H / 2, r: markRadius(e.tokens, this.maxEventTokens, MAX_R) };
    });
    const useCanvas = this.placed.length > CANVAS_THRESHOLD;
    this.stage.dataset.render = useCanvas ? 'canvas' : 'svg';
    this.stage.dataset.marks = String(this.placed.length);
    const ctx = this.canvas.getContext('2d');
    if (ctx) {
      const ratio = window.devicePixelRatio || 1;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, this.width, this.height);
      if (useCanvas) this.paintCanvas(ctx, data);
    }
    const marks = useCanvas ? [] : this.placed;
    this.marksG
      .selectAll<SVGCircleElement, PlacedMark>('circle')
      .data(marks, (m) => String(m.index))
      .join('circle')
      .attr('class', (m) => markClass(data.events[m.index]!, this.level))
      .attr('cx', (m) => m.x)
      .attr('cy', (m) => m.y)
      .attr('r', (m) => m.r)
      .attr('data-event', (m) => String(data.events[m.index]!.id));
    // R0: the first words of each event beside its mark, as many as fit before the next mark.
    const rooms = labelRooms(marks);
    const labels = this.level === 0 && marks.length <= 400 ? marks.map((m, i) => ({ m, chars: Math.min(60, rooms[i]! / 6.2) })).filter((l) => l.chars >= 4) : [];
    this.labelsG
      .selectAll<SVGTextElement, { m: PlacedMark; chars: number }>('text')
      .data(labels, (l) => String(l.m.index))
      .join('text')
      .attr('class', 'tl-mark-label')
      .attr('x', (l) => l.m.x + l.m.r + 3)
      .attr('y', (l) => l.m.y + 4)
      .text((l) => clip(data.events[l.m.index]!.r0.replace(/\s+/g, ' '), l.chars));
  }

  private paintCanvas(ctx: CanvasRenderingContext2D, data: TimelineData): void {
    const style = getComputedStyle(this.element);
    const colours = new Map(TIMELINE_LANES.map((l) => [l, style.getPropertyValue(`--lane-${l}`).trim() || '#888']));
    ctx.globalAlpha = 0.75;
    for (const m of this.placed) {
      ctx.fillStyle = colours.get(data.events[m.index]!.lane)!;
      ctx.beginPath();
      ctx.arc(m.x - LABEL_W, m.y, m.r, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  /** The tooltip (hover) or the detail pane (click): what is under the pointer, at the resolution shown. */
  private hover(event: MouseEvent, pin: boolean): void {
    const data = this.data;
    if (!data) return;
    const [px, py] = pointer(event, this.svg.node());
    if (px < LABEL_W || py < 0 || py > this.height) return this.hideTooltip();
    const turn = Math.floor(this.x.invert(px));
    let title = '';
    let lines: string[] = [];
    let omitted = false;
    if (this.level === 4) {
      title = `R4 outline · ${data.title}`;
      lines = [data.outline];
    } else if (this.level === 3) {
      const b = bandAt(data.bands, turn);
      if (b < 0) return this.hideTooltip();
      const band = data.bands[b]!;
      title = `R3 · turns ${band.fromTurn}–${band.toTurn}`;
      lines = [band.summary];
    } else if (this.level === 2) {
      const t = data.turns.find((x) => x.index === turn);
      if (!t) return this.hideTooltip();
      title = `R2 · turn ${t.index} · ${formatTokens(t.tokens)} tokens${t.archived ? ' · archived into R3' : ''}`;
      lines = [t.digest];
    } else {
      const i = markAt(this.placed, px, py);
      if (i < 0) return this.hideTooltip();
      const e = data.events[i]!;
      const head = `e${e.id} · ${e.kind}${e.toolName ? ` · ${e.toolName}` : ''} · turn ${e.turn} · ${formatTokens(e.tokens)} tokens`;
      if (e.omitted && this.level === 1) {
        omitted = true;
        const o = e.omitted;
        title = `Omitted output · ${o.toolName}`;
        lines = [
          o.placeholder,
          `${o.lines} line${o.lines === 1 ? '' : 's'} · errors: ${o.isError ? 'yes' : 'no'} · recall ${o.handle}`,
          '── first lines ──',
          ...o.firstLines,
          ...(o.lastLines.length ? ['── last lines ──', ...o.lastLines] : []),
          `Recall full output: ${o.handle}`,
        ];
      } else {
        title = `R${this.level} · ${head}`;
        lines = [this.level === 0 ? e.r0 : e.r1 || '(dropped at R1)'];
      }
    }
    if (pin) {
      this.detailTitle.textContent = title;
      this.detailText.textContent = lines.join('\n');
    }
    this.tooltip.textContent = '';
    this.tooltip.classList.toggle('omitted', omitted);
    this.tooltip.append(h('strong', 'tl-tooltip-title', title), h('pre', 'tl-tooltip-text', clip(lines.join('\n'), 1200)));
    this.tooltip.hidden = false;
    const left = Math.min(px + 14, Math.max(0, this.stage.clientWidth - 360));
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${py + 14}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  private brushed(selection: [number, number] | null, byUser: boolean): void {
    if (!byUser) return;
    const data = this.data;
    const range = selection && data ? turnRange(this.x.invert(selection[0]), this.x.invert(selection[1]), turnDomain(data.turns, data.events)) : null;
    this.rangeBar.textContent = '';
    if (!range || !data) {
      this.rangeBar.hidden = true;
      return;
    }
    const label = range.fromTurn === range.toTurn ? `Turn ${range.fromTurn}` : `Turns ${range.fromTurn}–${range.toTurn}`;
    this.rangeBar.append(h('span', 'tl-range-label', label));
    for (const action of RANGE_ACTIONS) {
      const b = h('button', action === 'compact' ? '' : 'secondary', RANGE_LABELS[action]);
      b.dataset.rangeAction = action;
      b.addEventListener('click', () => this.post({ type: 'runRangeAction', action, sessionId: data.sessionId, ...range }));
      this.rangeBar.append(b);
    }
    this.rangeBar.hidden = false;
  }
}

/** At R1 an omitted output is drawn hollow (its text is behind a recall handle); at R0 it is whole. */
function markClass(e: TimelineEvent, level: Resolution): string {
  return `tl-mark lane-${e.lane}${e.omitted && level === 1 ? ' omitted' : ''}${e.isError ? ' error' : ''}`;
}

function clip(s: string, max: number): string {
  const n = Math.floor(max);
  if (n <= 1) return '';
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function firstLines(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^[#>*\-\s]+/, '').replace(/\*\*|__|`/g, '').trim())
    .filter(Boolean)
    .slice(0, n)
    .join(' · ');
}
