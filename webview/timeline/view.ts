// The visualiser's timeline (d3): x = turns, one lane per kind of event, mark size by tokens, the
// context fill curve above. Semantic zoom is the blurry→sharp axis: zoomed out the session is its
// R4 outline, then its R3 periods as bands; zooming in resolves turns to R2 digests, then R1
// events, then R0 verbatim. Only what is in view is drawn, merged per pixel column when zoomed out
// (timeline-bins.ts), on a canvas when SVG would be too many nodes (glyphs.ts).
// Every string from the transcript reaches the DOM through textContent (d3 `.text()`), never as HTML.
// Wheel zooms, shift+drag pans, a plain drag selects a range of turns; the keys are in keyCommand.
import { axisBottom } from 'd3-axis';
import { brushX, type BrushBehavior } from 'd3-brush';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { pointer, select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { TIMELINE_LANES, type DidLoadEventDetailNotification, type FromWebviewMessage, type TimelineData, type TimelineTurn } from '../../src/protocol';
import { bandAt, keyCommand, LANE_LABELS, levelRuns, mergeBands, RESOLUTIONS, resolutionAt, revealTransform, turnDomain, turnRange, turnRuns, type Resolution, type TurnRun } from '../lib/timeline';
import { binMarks, lowerBound, markAt, markRadius, mergeBins, prepareTimeline, turnsPerBin, type LaneTotals, type PlacedMark, type PreparedTimeline } from '../lib/timeline-bins';
import { ContextLayer } from './context';
import { describeAggregate, describeBand, describeBin, describeEvent, describeOutline, describeTurn, type Description } from './describe';
import { EventDetails } from './details';
import { Glyphs, type Bar } from './glyphs';
import { RangeBar } from './range';
import { clip, drawBands, drawHighlights, drawMarkLabels, drawReadLevels, firstLines, type PlotFrame } from './overlays';
import { h } from '../ui/dom';

// Vertical layout, top to bottom: the context fill curve, the lanes, the turn axis, the read strip.
const FILL_H = 44;
const LANES_TOP = FILL_H + 6;
const LANE_H = 24;
const LABEL_W = 92;
const AXIS_H = 22;
const READ_H = 8;
const MAX_R = LANE_H / 2 - 1;
/** Marks and bars narrower than this merge with their neighbours (one per pixel column pair and lane). */
const BIN_PX = 2;
const COMPACTION_LANE = TIMELINE_LANES.indexOf('compaction');
/** R3 bands narrower than this merge with their neighbours (mergeBands). */
const MIN_BAND_PX = 40;

export interface ZoomMemory {
  sessionId: string;
  k: number;
  x: number;
}

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type G = Selection<SVGGElement, unknown, null, undefined>;

export class TimelineView {
  readonly element = h('section', 'tl');
  private readonly legend = h('ol', 'tl-legend');
  private readonly status = h('span', 'tl-status');
  /** Over the stage until the first data arrives: loading, or why it will not. */
  private readonly notice = h('p', 'tl-notice', 'Loading the timeline…');
  private readonly stage = h('div', 'tl-stage');
  private readonly canvas = document.createElement('canvas');
  private readonly svg: Svg;
  private readonly bandsG: G;
  private readonly labelsG: G;
  private readonly highlightG: G;
  private readonly readG: G;
  private readonly axisG: G;
  private readonly brushG: G;
  private readonly clipRect: Selection<SVGRectElement, unknown, null, undefined>;
  private readonly glyphs: Glyphs;
  private readonly context: ContextLayer;
  private readonly details: EventDetails;
  private readonly tooltip = h('div', 'tl-tooltip');
  private readonly rangeBar: RangeBar;
  private readonly detailTitle = h('h3', 'tl-detail-title', 'Hover or click the timeline');
  private readonly detailText = h('pre', 'tl-detail-text');
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private readonly brusher: BrushBehavior<unknown>;
  private data: TimelineData | undefined;
  private prep: PreparedTimeline | undefined;
  /** Lane totals per turn-binning, computed when a zoom first needs it. */
  private binnings = new Map<number, LaneTotals>();
  private turnsByIndex = new Map<number, TimelineTurn>();
  private transform: ZoomTransform = zoomIdentity;
  private bars: Bar[] = [];
  private placed: PlacedMark[] = [];
  private level: Resolution = 4;
  private width = 800;
  private maxK = 8;
  /** Height of the lanes; y = 0 is their top in the plot's frame. */
  private readonly height = TIMELINE_LANES.length * LANE_H;
  private x: ScaleLinear<number, number> = scaleLinear();
  /** Turns emphasised by a linked view (highlightTurns), and the same as runs for drawing. */
  private highlighted: ReadonlySet<number> = new Set();
  private highlightRuns: TurnRun[] = [];
  private readRuns: (TurnRun & { level: Resolution })[] = [];
  /** The event under the pointer and the one pinned in the detail pane: redrawn when their text arrives. */
  private hoveredEvent = -1;
  private pinnedEvent = -1;
  private lastPointer: { px: number; py: number } | undefined;

  constructor(post: (message: FromWebviewMessage) => void, private readonly onZoom: (memory: ZoomMemory) => void) {
    this.details = new EventDetails(post, (id) => this.detailArrived(id));
    this.rangeBar = new RangeBar(post);
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
    // Everything is drawn in one frame whose y = 0 is the top of the lanes (the fill curve sits above
    // it, at negative y) and whose x is the SVG's own, so d3-zoom's and d3-brush's pointer is the plot's.
    const root = this.svg.append('g').attr('class', 'tl-root').attr('transform', `translate(0,${LANES_TOP})`);
    const lanesG = root.append('g').attr('class', 'tl-lanes');
    TIMELINE_LANES.forEach((lane, i) => {
      lanesG.append('rect').attr('class', `tl-lane-bg${i % 2 ? ' odd' : ''}`).attr('x', 0).attr('y', i * LANE_H).attr('height', LANE_H);
      lanesG.append('text').attr('class', 'tl-lane-label').attr('x', 4).attr('y', i * LANE_H + LANE_H / 2 + 4).text(LANE_LABELS[lane]);
    });
    // A clip keeps zoomed-in marks off the lane labels (it clips x only).
    this.clipRect = root.append('clipPath').attr('id', 'tl-clip').append('rect').attr('x', LABEL_W).attr('y', -LANES_TOP).attr('height', LANES_TOP + this.height + AXIS_H + READ_H);
    const plot = root.append('g').attr('class', 'tl-plot');
    const clipped = plot.append('g').attr('clip-path', 'url(#tl-clip)');
    const barsG = clipped.append('g').attr('class', 'tl-cells');
    const contextG = clipped.append('g');
    const marksG = clipped.append('g').attr('class', 'tl-marks');
    this.glyphs = new Glyphs(this.stage, this.canvas, barsG, marksG);
    this.labelsG = clipped.append('g').attr('class', 'tl-labels');
    this.bandsG = clipped.append('g').attr('class', 'tl-bands');
    this.context = new ContextLayer(contextG, clipped, lanesG, { top: -LANES_TOP + 2, bottom: -4, lanesHeight: this.height, labelY: COMPACTION_LANE * LANE_H + LANE_H / 2 + 4, laneTop: COMPACTION_LANE * LANE_H + 2, laneBottom: (COMPACTION_LANE + 1) * LANE_H - 2, labelWidth: LABEL_W });
    this.highlightG = clipped.append('g').attr('class', 'tl-highlights');
    this.axisG = plot.append('g').attr('class', 'tl-axis').attr('transform', `translate(0,${this.height})`);
    this.readG = clipped.append('g').attr('class', 'tl-read').attr('transform', `translate(0,${this.height + AXIS_H})`);
    this.readG.append('title').text('Progressive read: the resolution each turn has been read at (faint = blurry, solid = sharp)');
    this.brushG = plot.append('g').attr('class', 'tl-brush');

    // Extents are set here (and on resize): d3's defaults read the SVG's size, which a detached node lacks.
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .extent(this.plotExtent())
      // Wheel and double-click zoom; only shift+drag pans, so a plain drag is free for range selection.
      .filter((event: Event) => event.type === 'wheel' || event.type === 'dblclick' || ((event as MouseEvent).shiftKey && !(event as MouseEvent).button))
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.transform = event.transform;
        this.draw();
      })
      // Remembered once a gesture ends, not every frame: VS Code's setState serializes the whole view state.
      .on('end', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        if (this.data) this.onZoom({ sessionId: this.data.sessionId, k: event.transform.k, x: event.transform.x });
      });
    this.svg.call(this.zoomer).on('dblclick.zoom', null);
    this.brusher = brushX<unknown>()
      .extent(this.plotExtent())
      .filter((event: MouseEvent) => !event.shiftKey && !event.button)
      .on('end', (event: { selection: [number, number] | null; sourceEvent?: Event }) => this.brushed(event.selection, event.sourceEvent !== undefined));
    this.brushG.call(this.brusher);
    this.svg.on('mousemove', (event: MouseEvent) => this.hover(event, false)).on('mouseleave', () => this.hideTooltip());
    this.svg.on('click', (event: MouseEvent) => this.hover(event, true));

    this.stage.tabIndex = 0;
    this.stage.setAttribute('role', 'group');
    this.stage.setAttribute('aria-roledescription', 'timeline');
    this.stage.setAttribute('aria-label', 'Session timeline. Left and right arrows pan, plus and minus zoom, Home and End go to the ends, Escape clears the selection.');
    this.stage.setAttribute('aria-describedby', this.status.id);
    this.stage.addEventListener('keydown', (event) => this.key(event));
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    this.stage.append(this.canvas, this.svg.node()!, this.tooltip, this.notice);
    this.stage.dataset.highlighted = '0';
    // The harness (test/browser/fake-host.js) defines window.__loupe so tests can drive the linked-view API.
    const debug = (window as { __loupe?: Record<string, unknown> }).__loupe;
    if (debug) debug.timeline = this;
    const detail = h('section', 'tl-detail');
    detail.append(this.detailTitle, this.detailText);
    this.element.append(toolbar, this.stage, this.rangeBar.element, detail);
    new ResizeObserver(() => this.resize()).observe(this.stage);
    // VS Code switches themes by changing the body's class and the root's style (the variables).
    const theme = new MutationObserver(() => {
      this.glyphs.readColours();
      this.draw();
    });
    theme.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }

  /** The host could not build the timeline: say why over the stage. */
  showFailure(message: string): void {
    this.notice.hidden = false;
    this.notice.classList.add('failed');
    this.notice.textContent = message;
  }

  setData(data: TimelineData, memory?: ZoomMemory): void {
    this.notice.hidden = true;
    const sameSession = this.data?.sessionId === data.sessionId;
    this.data = data;
    this.details.useSession(data.sessionId);
    const domain = turnDomain(data.turns, data.events.turn);
    this.prep = prepareTimeline(data.events, domain, TIMELINE_LANES.length, data.contextFill);
    this.binnings = new Map([[1, this.prep.perTurn]]);
    this.turnsByIndex = new Map(data.turns.map((t) => [t.index, t]));
    this.hoveredEvent = this.pinnedEvent = -1;
    delete this.status.dataset.level;
    this.glyphs.readColours();
    this.resize();
    if (!sameSession) {
      this.rangeBar.hide();
      const t = memory && memory.sessionId === data.sessionId ? zoomIdentity.translate(memory.x, 0).scale(memory.k) : zoomIdentity;
      this.zoomTo(t);
    } else this.draw();
  }

  /** The host answered `requestEventDetail`. */
  showEventDetail(message: DidLoadEventDetailNotification): void {
    this.details.receive(message);
  }

  // ── linked views: the graph, the actions panel and the progressive read drive these ──

  /** Emphasises these turns across all lanes (a tinted column each, the rest dimmed); null clears. */
  highlightTurns(turns: readonly number[] | null): void {
    this.highlighted = new Set(turns ?? []);
    this.highlightRuns = turnRuns(this.highlighted);
    this.stage.dataset.highlighted = String(this.highlighted.size);
    this.stage.classList.toggle('dimmed', this.highlighted.size > 0);
    this.draw();
  }

  /** Pans and zooms so that `turn` is centred and at least R2 sharp, and highlights it. */
  revealTurn(turn: number): void {
    this.highlightTurns([turn]);
    if (!this.prep) return;
    const t = revealTransform(turn, this.prep.domain, LABEL_W, this.width, this.transform.k, this.maxK);
    this.zoomTo(zoomIdentity.translate(t.x, 0).scale(t.k));
  }

  /** Shows, per turn, the resolution a progressive read has reached (a strip under the axis); null clears. */
  setReadLevels(levels: ReadonlyMap<number, 0 | 1 | 2 | 3 | 4> | null): void {
    this.readRuns = levels ? levelRuns(levels) : [];
    this.stage.dataset.readTurns = String(levels?.size ?? 0);
    drawReadLevels(this.readG, this.readRuns, { x: this.x, left: LABEL_W, width: this.width, height: this.height }, READ_H);
  }

  // ── zoom, layout, drawing ──

  private zoomTo(t: ZoomTransform): void {
    this.svg.call(this.zoomer.transform, t);
  }

  private key(event: KeyboardEvent): void {
    const command = keyCommand(event.key);
    if (!command || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const { k } = this.transform;
    switch (command.kind) {
      case 'pan':
        this.zoomer.translateBy(this.svg, (-command.by * this.width) / k, 0);
        return;
      case 'zoom':
        this.zoomer.scaleBy(this.svg, command.by);
        return;
      case 'start':
        return this.zoomTo(zoomIdentity.translate(LABEL_W - k * LABEL_W, 0).scale(k));
      case 'end':
        return this.zoomTo(zoomIdentity.translate(LABEL_W + this.width - k * (LABEL_W + this.width), 0).scale(k));
      case 'clear':
        this.brushG.call(this.brusher.move, null);
        this.rangeBar.hide();
        this.hideTooltip();
    }
  }

  private resize(): void {
    this.width = Math.max(200, (this.stage.clientWidth || 800) - LABEL_W);
    const total = this.width + LABEL_W;
    const svgH = LANES_TOP + this.height + AXIS_H + READ_H + 2;
    this.svg.attr('width', total).attr('height', svgH).attr('viewBox', `0 0 ${total} ${svgH}`);
    this.svg.selectAll('.tl-lane-bg').attr('width', total);
    this.canvas.style.left = `${LABEL_W}px`;
    this.canvas.style.top = `${LANES_TOP}px`;
    const domain = this.prep?.domain ?? [0, 1];
    // Zoomable far enough that one turn can take 600 px (R0), never less than 8×.
    this.maxK = Math.max(8, ((domain[1] - domain[0]) * 600) / this.width);
    this.zoomer.scaleExtent([1, this.maxK]).translateExtent(this.plotExtent()).extent(this.plotExtent());
    this.brusher.extent(this.plotExtent());
    this.clipRect.attr('width', this.width);
    this.brushG.call(this.brusher);
    this.draw();
  }

  private plotExtent(): [[number, number], [number, number]] {
    return [[LABEL_W, 0], [LABEL_W + this.width, this.height]];
  }

  private draw(): void {
    const { data, prep } = this;
    if (!data || !prep) return;
    const base = scaleLinear().domain(prep.domain).range([LABEL_W, LABEL_W + this.width]);
    this.x = this.transform.rescaleX(base);
    const pxPerTurn = this.x(prep.domain[0] + 1) - this.x(prep.domain[0]);
    this.level = resolutionAt(this.transform.k, pxPerTurn);
    const v0 = this.x.invert(LABEL_W);
    const v1 = this.x.invert(LABEL_W + this.width);
    this.axisG.call(axisBottom(this.x).ticks(Math.min(12, Math.ceil(v1 - v0))).tickFormat((d) => (Number.isInteger(+d) ? `turn ${+d}` : '')));

    if (this.status.dataset.level !== String(this.level)) this.showLevel(data);

    this.bars = this.level >= 2 ? this.visibleBars(prep, pxPerTurn, v0, v1) : [];
    this.placed = this.level <= 1 ? this.visibleMarks(data, prep, v0, v1) : [];
    this.glyphs.render(this.bars, this.placed, { level: this.level, events: data.events, highlighted: this.highlighted, left: LABEL_W, width: this.width, height: this.height });
    const frame: PlotFrame = { x: this.x, left: LABEL_W, width: this.width, height: this.height };
    // R0: each event's label beside its mark (SVG marks only: a canvas has no text to select or read).
    drawMarkLabels(this.labelsG, this.level === 0 && this.stage.dataset.render === 'svg' ? this.placed : [], data.events.label);
    const bands =
      this.level === 4
        ? [{ fromTurn: prep.domain[0], toTurn: prep.domain[1] - 1, summary: firstLines(data.outline, 3) || data.title }]
        : this.level === 3
          ? mergeBands(data.bands, pxPerTurn, MIN_BAND_PX).filter((b) => b.toTurn + 1 >= v0 && b.fromTurn <= v1)
          : [];
    drawBands(this.bandsG, bands, this.level, frame);
    this.context.draw(data, prep, this.x, v0, v1, LABEL_W + this.width);
    drawHighlights(this.highlightG, this.highlightRuns, frame, LANES_TOP);
    drawReadLevels(this.readG, this.readRuns, frame, READ_H);
  }

  /** The status line and the legend follow the resolution (written only when it changes: a zoom redraws every frame). */
  private showLevel(data: TimelineData): void {
    const r = RESOLUTIONS.find((x) => x.level === this.level)!;
    this.status.textContent = `Showing ${r.name} · ${r.what}${data.eventsOmitted ? ` · the oldest ${data.eventsOmitted.toLocaleString('en-US')} events not shown` : ''}`;
    this.status.dataset.level = String(this.level);
    this.element.dataset.level = String(this.level);
    for (const li of this.legend.children) li.classList.toggle('active', (li as HTMLElement).dataset.level === String(this.level));
  }

  /** R4–R2: per lane, a bar per turn, or per bin of turns when a turn is narrower than BIN_PX. */
  private visibleBars(prep: PreparedTimeline, pxPerTurn: number, v0: number, v1: number): Bar[] {
    const perBin = turnsPerBin(pxPerTurn, BIN_PX);
    let totals = this.binnings.get(perBin);
    if (!totals) this.binnings.set(perBin, (totals = mergeBins(prep.perTurn, perBin)));
    const { first, lanes, tokens, counts, max } = totals;
    const b0 = Math.max(0, Math.floor((v0 - first) / perBin));
    const b1 = Math.min(totals.bins - 1, Math.floor((v1 - first) / perBin));
    const bars: Bar[] = [];
    for (let b = b0; b <= b1; b++) {
      const from = first + b * perBin;
      const x0 = this.x(from);
      const w = this.x(from + perBin) - x0;
      for (let lane = 0; lane < lanes; lane++) {
        const cell = b * lanes + lane;
        if (!counts[cell]) continue;
        const hgt = Math.max(2, Math.sqrt(tokens[cell]! / Math.max(1, max)) * (LANE_H - 4));
        bars.push({ x: x0, y: lane * LANE_H + LANE_H - 2 - hgt, w: Math.max(1, w), h: hgt, lane, tokens: tokens[cell]!, count: counts[cell]!, fromTurn: from, toTurn: from + perBin - 1 });
      }
    }
    return bars;
  }

  /** R1/R0: the events in view, those sharing a pixel column (per lane) merged into one mark. */
  private visibleMarks(data: TimelineData, prep: PreparedTimeline, v0: number, v1: number): PlacedMark[] {
    const { xo, maxEventTokens } = prep;
    const lo = lowerBound(xo.x, v0);
    const hi = lowerBound(xo.x, v1);
    const e = data.events;
    return binMarks(xo, lo, hi, e.lane, e.tokens, e.turn, this.x, BIN_PX).map((m) => ({ ...m, y: m.lane * LANE_H + LANE_H / 2, r: markRadius(m.tokens, maxEventTokens, MAX_R) }));
  }

  // ── pointer: tooltip, detail pane, range selection ──

  /** The tooltip (hover) or the detail pane (click): what is under the pointer, at the resolution shown. */
  private hover(event: MouseEvent, pin: boolean): void {
    const [px, svgY] = pointer(event, this.svg.node());
    this.describeAt(px, svgY - LANES_TOP, pin);
  }

  private describeAt(px: number, py: number, pin: boolean): void {
    const data = this.data;
    if (!data) return;
    this.lastPointer = { px, py };
    if (px < LABEL_W || py < 0 || py > this.height) return this.hideTooltip();
    const turn = Math.floor(this.x.invert(px));
    const row = Math.floor(py / LANE_H);
    const bar = this.bars.find((b) => b.lane === row && px >= b.x && px < b.x + b.w);
    let d: Description | undefined;
    this.hoveredEvent = -1;
    if (this.level === 4) d = describeOutline(data);
    else if (this.level === 3) {
      const b = bandAt(data.bands, turn);
      if (b >= 0) d = describeBand(data.bands[b]!);
    } else if (this.level === 2) {
      const t = this.turnsByIndex.get(turn);
      if (t) d = describeTurn(t);
    } else {
      const m = markAt(this.placed, px, py);
      if (m && m.count > 1) d = describeAggregate(m);
      else if (m) {
        this.hoveredEvent = m.index;
        if (pin) this.pinnedEvent = m.index;
        d = describeEvent(data, m.index, this.level, this.details.get(data.events.id[m.index]!));
      }
    }
    if (!d) return this.hideTooltip();
    if (bar) d = { ...d, lines: [describeBin(bar), ...d.lines] };
    if (pin) {
      if (this.hoveredEvent < 0) this.pinnedEvent = -1;
      this.detailTitle.textContent = d.title;
      this.detailText.textContent = d.lines.join('\n');
    }
    this.tooltip.textContent = '';
    this.tooltip.classList.toggle('omitted', d.omitted);
    this.tooltip.append(h('strong', 'tl-tooltip-title', d.title), h('pre', 'tl-tooltip-text', clip(d.lines.join('\n'), 1200)));
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.min(px + 14, Math.max(0, this.stage.clientWidth - 360))}px`;
    this.tooltip.style.top = `${py + LANES_TOP + 14}px`;
  }

  /** An event's text arrived: refresh the tooltip and the detail pane if they are still about it. */
  private detailArrived(eventId: number): void {
    const data = this.data;
    if (!data) return;
    if (this.pinnedEvent >= 0 && data.events.id[this.pinnedEvent] === eventId) {
      const d = describeEvent(data, this.pinnedEvent, this.level, this.details.get(eventId));
      this.detailTitle.textContent = d.title;
      this.detailText.textContent = d.lines.join('\n');
    }
    if (this.hoveredEvent >= 0 && data.events.id[this.hoveredEvent] === eventId && !this.tooltip.hidden && this.lastPointer) {
      this.describeAt(this.lastPointer.px, this.lastPointer.py, false);
    }
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
    this.hoveredEvent = -1;
  }

  private brushed(selection: [number, number] | null, byUser: boolean): void {
    if (!byUser) return;
    const range = selection && this.prep ? turnRange(this.x.invert(selection[0]), this.x.invert(selection[1]), this.prep.domain) : null;
    if (!range || !this.data) return this.rangeBar.hide();
    let tokens = 0;
    for (let t = range.fromTurn; t <= range.toTurn; t++) tokens += this.turnsByIndex.get(t)?.tokens ?? 0;
    this.rangeBar.show(this.data.sessionId, range, tokens);
  }
}
