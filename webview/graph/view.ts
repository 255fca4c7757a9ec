// The visualiser's semantic graph (d3-force): the session's files, symbols, commands, errors,
// decisions and turns, sized by weight, coloured by type. The legend is the type filter, the search
// box highlights matches, a click highlights a node's neighbourhood and its turns on the timeline
// (linked views), a double-click recalls the node. Wheel zooms, drag pans.
// The layout runs a bounded number of ticks from seeded positions, once per graph: it is the same
// every time, and filtering never moves a node. Labels reach the DOM through d3 `.text()` only.
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { GRAPH_NODE_TYPES, type FromWebviewMessage, type GraphData, type GraphEdgeItem, type GraphNodeItem, type GraphNodeType } from '../../src/protocol';
import { button, fieldValue, setFieldValue, textField } from '../ui/toolkit';
import { neighbourhood, nodeRadius, omittedText, placeLabels, searchMatches, seedPositions, shortLabel, turnsText, TYPE_NAMES, typeCounts, visibleGraph } from './model';
import { h } from '../ui/dom';

const HEIGHT = 440;
const TICKS = 300;
const LABEL_FONT_PX = 11;
const LABEL_CHAR_PX = 6.4;
/** Labels shown at once at most, besides the selection's and the search's. */
const MAX_LABELS = 40;

interface SimNode extends SimulationNodeDatum {
  node: GraphNodeItem;
  r: number;
}
type SimLink = SimulationLinkDatum<SimNode> & { edge: GraphEdgeItem };

export interface GraphLinks {
  post(message: FromWebviewMessage): void;
  /** The turns to emphasise on the timeline, or null to clear. */
  highlightTurns(turns: readonly number[] | null): void;
  revealTurn(turn: number): void;
  /** Keeps the filter and the search across the view being hidden (vscode setState). */
  remember(memory: GraphMemory): void;
}

/** What the graph remembers of a session: the types filtered out and the search. */
export interface GraphMemory {
  sessionId: string;
  hidden: GraphNodeType[];
  query: string;
}

export class GraphView {
  readonly element = h('section', 'gr');
  private readonly legend = h('div', 'gr-legend');
  private readonly search: HTMLElement;
  private readonly status = h('span', 'gr-status');
  private readonly stage = h('div', 'gr-stage');
  private readonly empty = h('p', 'gr-empty', 'Loading the graph…');
  private readonly detail = h('div', 'gr-detail');
  private readonly footer = h('p', 'gr-omitted muted');
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly world: Selection<SVGGElement, unknown, null, undefined>;
  private readonly edgesG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly nodesG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly labelsG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private transform: ZoomTransform = zoomIdentity;
  private graph: GraphData | undefined;
  private sim: SimNode[] = [];
  private links: SimLink[] = [];
  private readonly hidden = new Set<GraphNodeType>();
  private selected: number | null = null;
  private width = 800;

  constructor(private readonly linked: GraphLinks, private memory?: GraphMemory) {
    this.legend.setAttribute('role', 'group');
    this.legend.setAttribute('aria-label', 'Node types: press to show or hide');
    this.search = textField({
      label: 'Search nodes',
      placeholder: 'a file, a symbol, an error…',
      type: 'search',
      onInput: () => {
        this.save();
        this.paint();
      },
      // Enter selects the best match: the keyboard's way to a node.
      onEnter: (query) => {
        const best = searchMatches(this.shownNodes(), query)[0];
        if (best) this.choose(best.id);
      },
    });
    this.search.classList.add('gr-search');
    this.search.addEventListener('keydown', (event) => event.key === 'Escape' && this.choose(null));
    this.status.id = 'gr-status';
    this.status.setAttribute('aria-live', 'polite');
    const toolbar = h('div', 'gr-toolbar');
    toolbar.append(this.legend, this.search, this.status);

    this.svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('class', 'gr-svg') as unknown as Selection<SVGSVGElement, unknown, null, undefined>;
    this.svg.attr('role', 'img').attr('aria-label', 'Semantic graph of the session');
    this.world = this.svg.append('g').attr('class', 'gr-world');
    this.edgesG = this.world.append('g').attr('class', 'gr-edges');
    this.nodesG = this.world.append('g').attr('class', 'gr-nodes');
    this.labelsG = this.world.append('g').attr('class', 'gr-labels');
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.2, 8])
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.transform = event.transform;
        this.world.attr('transform', event.transform.toString());
        this.placeLabels();
      });
    // Double-click belongs to the nodes (recall), not to zooming.
    this.svg.call(this.zoomer).on('dblclick.zoom', null);
    this.svg.on('click', (event: MouseEvent) => {
      if (!(event.target as Element).closest('.gr-node')) this.choose(null);
    });

    this.stage.append(this.svg.node()!, this.empty);
    this.element.append(toolbar, this.stage, this.detail, this.footer);
    this.detail.hidden = true;
    new ResizeObserver(() => this.resize()).observe(this.stage);
  }

  /** The host could not build the graph: say why where the graph would be. */
  showFailure(message: string): void {
    this.empty.hidden = false;
    this.empty.classList.add('failed');
    this.empty.textContent = message;
  }

  setData(graph: GraphData): void {
    const sameSession = this.graph?.sessionId === graph.sessionId;
    const wasSelected = this.selected !== null;
    this.graph = graph;
    if (!sameSession) {
      this.selected = null;
      const kept = this.memory?.sessionId === graph.sessionId ? this.memory : undefined;
      this.hidden.clear();
      for (const type of kept?.hidden ?? []) this.hidden.add(type);
      setFieldValue(this.search, kept?.query ?? '');
    } else if (this.selected !== null && !graph.nodes.some((n) => n.id === this.selected)) this.selected = null;
    this.layout(graph);
    this.buildLegend(graph);
    this.footer.textContent = omittedText(graph);
    this.empty.hidden = graph.nodes.length > 0;
    this.empty.classList.remove('failed');
    this.empty.textContent = 'No graph yet: no files, symbols, errors or decisions were recorded for this session. They appear as the agent reads, edits and runs things.';
    this.stage.dataset.nodes = String(graph.nodes.length);
    this.draw();
    this.fit();
    this.paint();
    // The timeline shows the selection's turns as they are now, or none once it is gone.
    if (wasSelected) this.linked.highlightTurns(this.selected === null ? null : this.nodeById(this.selected)!.turns);
  }

  /** Runs the force layout to rest (bounded ticks), from seeded positions. */
  private layout(graph: GraphData): void {
    const maxWeight = Math.max(0, ...graph.nodes.map((n) => n.weight));
    const seeds = seedPositions(graph.nodes);
    this.sim = graph.nodes.map((node) => ({ node, r: nodeRadius(node.weight, maxWeight), ...seeds.get(node.id)! }));
    this.links = graph.edges.map((edge) => ({ source: edge.source, target: edge.target, edge }));
    let seed = 1;
    const simulation = forceSimulation<SimNode, SimLink>(this.sim)
      .randomSource(() => ((seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296))
      .force('link', forceLink<SimNode, SimLink>(this.links).id((d) => d.node.id).distance((l) => 18 + (l.source as SimNode).r + (l.target as SimNode).r).strength(0.4))
      .force('charge', forceManyBody<SimNode>().strength((d) => -40 - d.r * 4))
      .force('collide', forceCollide<SimNode>((d) => d.r + 3))
      // Pulls the islands (nodes no drawn edge joins) in, so they do not drift off the view.
      // …more strongly vertically: the view is wider than it is high.
      .force('x', forceX<SimNode>(0).strength(0.02))
      .force('y', forceY<SimNode>(0).strength(0.2))
      .stop();
    simulation.tick(TICKS);
  }

  private buildLegend(graph: GraphData): void {
    this.legend.textContent = '';
    for (const { type, count } of typeCounts(graph.nodes, GRAPH_NODE_TYPES)) {
      if (count === 0) continue;
      // A native toggle button: the toolkit's has no pressed state to carry aria-pressed.
      const b = h('button', `gr-type type-${type}`);
      b.type = 'button';
      b.dataset.type = type;
      b.title = `Show or hide ${TYPE_NAMES[type].toLowerCase()}`;
      b.append(h('span', 'gr-swatch'), document.createTextNode(`${TYPE_NAMES[type]} ${count}`));
      b.setAttribute('aria-pressed', String(!this.hidden.has(type)));
      b.addEventListener('click', () => {
        if (this.hidden.has(type)) this.hidden.delete(type);
        else this.hidden.add(type);
        b.setAttribute('aria-pressed', String(!this.hidden.has(type)));
        this.save();
        if (this.selected !== null && this.hidden.has(this.nodeById(this.selected)!.type)) this.choose(null);
        else this.paint();
      });
      this.legend.append(b);
    }
  }

  /** Creates the SVG marks; paint() sets what changes with the filter, the search and the selection. */
  private draw(): void {
    this.edgesG
      .selectAll<SVGLineElement, SimLink>('line')
      .data(this.links)
      .join('line')
      .attr('class', 'gr-edge')
      .attr('x1', (l) => (l.source as SimNode).x!)
      .attr('y1', (l) => (l.source as SimNode).y!)
      .attr('x2', (l) => (l.target as SimNode).x!)
      .attr('y2', (l) => (l.target as SimNode).y!)
      .attr('stroke-width', (l) => Math.min(4, 0.6 + Math.sqrt(l.edge.weight) * 0.5));
    const nodes = this.nodesG
      .selectAll<SVGGElement, SimNode>('g.gr-node')
      .data(this.sim, (d) => String(d.node.id))
      .join((enter) => {
        const g = enter.append('g');
        g.append('circle');
        g.append('title');
        return g;
      })
      .attr('class', (d) => `gr-node type-${d.node.type}`)
      .attr('data-id', (d) => String(d.node.id))
      .attr('data-type', (d) => d.node.type)
      .attr('transform', (d) => `translate(${d.x},${d.y})`)
      .on('click', (event: MouseEvent, d) => {
        event.stopPropagation();
        this.choose(d.node.id);
      })
      .on('dblclick', (event: MouseEvent, d) => {
        event.stopPropagation();
        this.recall(d.node);
      });
    nodes.select('circle').attr('r', (d) => d.r);
    nodes.select('title').text((d) => `${d.node.label}\n${d.node.type} · weight ${round(d.node.weight)} · ${turnsText(d.node.turns)}`);
  }

  /** Classes for the filter, the search and the selection; the status line, the detail, the labels. */
  private paint(): void {
    const graph = this.graph;
    if (!graph) return;
    const visible = visibleGraph(graph, this.hidden);
    const q = this.query();
    const matches = new Set(searchMatches(this.shownNodes(), q).map((n) => n.id));
    const near = this.selected !== null ? neighbourhood(this.selected, visible.edges) : null;
    const edgeShown = (l: SimLink) => visible.nodes.has(l.edge.source) && visible.nodes.has(l.edge.target);
    this.edgesG
      .selectAll<SVGLineElement, SimLink>('line')
      .classed('filtered', (l) => !edgeShown(l))
      .classed('hl', (l) => this.selected !== null && (l.edge.source === this.selected || l.edge.target === this.selected));
    this.nodesG
      .selectAll<SVGGElement, SimNode>('g.gr-node')
      .classed('filtered', (d) => !visible.nodes.has(d.node.id))
      .classed('match', (d) => matches.has(d.node.id))
      .classed('hl', (d) => near?.has(d.node.id) ?? false)
      .classed('selected', (d) => d.node.id === this.selected);
    this.stage.classList.toggle('has-selection', near !== null);
    this.stage.classList.toggle('searching', q !== '');
    this.stage.dataset.matches = String(matches.size);
    this.status.textContent = q
      ? `${matches.size} match${matches.size === 1 ? '' : 'es'} for “${q}”${matches.size ? ' · Enter selects the first' : ''}`
      : `${visible.nodes.size} of ${graph.nodes.length} nodes · ${visible.edges.length} edges`;
    this.showDetail(near);
    this.placeLabels();
  }

  private choose(id: number | null): void {
    this.selected = id;
    const node = id === null ? undefined : this.nodeById(id);
    this.linked.highlightTurns(node ? node.turns : null);
    this.paint();
  }

  private recall(node: GraphNodeItem): void {
    if (!this.graph) return;
    // A turn node's "recall" is the turn itself: the timeline shows it.
    if (node.type === 'turn') this.linked.revealTurn(node.turns[0]!);
    else this.linked.post({ type: 'requestRecall', sessionId: this.graph.sessionId, query: node.label });
  }

  private showDetail(near: Set<number> | null): void {
    const node = this.selected === null ? undefined : this.nodeById(this.selected);
    this.detail.textContent = '';
    this.detail.hidden = !node;
    if (!node) return;
    const title = h('strong', `gr-detail-title type-${node.type}`);
    title.append(h('span', 'gr-swatch'), document.createTextNode(node.label));
    const facts = h('span', 'gr-detail-facts muted', ` ${node.type} · ${turnsText(node.turns)} · ${Math.max(0, (near?.size ?? 1) - 1)} neighbours`);
    const recall = button(node.type === 'turn' ? 'Show on timeline' : 'Recall', {
      appearance: 'secondary',
      title: node.type === 'turn' ? 'Show this turn on the timeline' : 'Search the session for this (double-clicking the node does the same)',
      data: { graphAction: 'recall' },
      onClick: () => this.recall(node),
    });
    this.detail.append(title, facts, recall);
  }

  /** Labels that fit at the current zoom: the selection's and the matches' first, then the heaviest. */
  private placeLabels(): void {
    const graph = this.graph;
    if (!graph) return;
    const t = this.transform;
    const matches = new Set(searchMatches(this.shownNodes(), this.query()).map((n) => n.id));
    const near = this.selected !== null ? neighbourhood(this.selected, visibleGraph(graph, this.hidden).edges) : new Set<number>();
    const shown = this.sim.filter((d) => !this.hidden.has(d.node.type));
    // Turn nodes are labelled only when picked out: their names say little at a glance.
    const rank = new Map([...shown].sort((a, b) => Number(a.node.type === 'turn') - Number(b.node.type === 'turn') || b.node.weight - a.node.weight).map((d, i) => [d.node.id, i]));
    const screen = shown.map((d) => ({ d, x: t.applyX(d.x!), y: t.applyY(d.y!), r: d.r * t.k }));
    const candidates = screen
      // With a selection or a search, only what it picked out is labelled; else the heaviest.
      .filter(({ d }) => (near.size || matches.size ? near.has(d.node.id) || matches.has(d.node.id) : d.node.type !== 'turn' && rank.get(d.node.id)! < MAX_LABELS))
      .map(({ d, x, y, r }) => ({
        id: d.node.id,
        x,
        y,
        r,
        width: shortLabel(d.node).length * LABEL_CHAR_PX,
        height: LABEL_FONT_PX + 2,
        priority: (d.node.id === this.selected ? 4e6 : 0) + (near.has(d.node.id) ? 2e6 : 0) + (matches.has(d.node.id) ? 1e6 : 0) - rank.get(d.node.id)!,
      }));
    const placed = placeLabels(candidates);
    const labelled = this.sim.filter((d) => placed.has(d.node.id));
    // Labels stay the same size on screen whatever the zoom.
    const k = t.k;
    this.labelsG
      .selectAll<SVGTextElement, SimNode>('text')
      .data(labelled, (d) => String(d.node.id))
      .join('text')
      .attr('class', (d) => `gr-label type-${d.node.type}`)
      .attr('data-id', (d) => String(d.node.id))
      .attr('x', (d) => d.x! + d.r + 2 / k)
      .attr('y', (d) => d.y! + LABEL_FONT_PX / 2.8 / k)
      .attr('font-size', LABEL_FONT_PX / k)
      .text((d) => shortLabel(d.node));
  }

  private fit(): void {
    if (this.sim.length === 0) {
      this.svg.call(this.zoomer.transform, zoomIdentity);
      return;
    }
    const x0 = Math.min(...this.sim.map((d) => d.x! - d.r));
    const x1 = Math.max(...this.sim.map((d) => d.x! + d.r + 60));
    const y0 = Math.min(...this.sim.map((d) => d.y! - d.r));
    const y1 = Math.max(...this.sim.map((d) => d.y! + d.r));
    const k = Math.min(2, 0.92 * Math.min(this.width / (x1 - x0 || 1), HEIGHT / (y1 - y0 || 1)));
    const t = zoomIdentity.translate(this.width / 2 - (k * (x0 + x1)) / 2, HEIGHT / 2 - (k * (y0 + y1)) / 2).scale(k);
    this.svg.call(this.zoomer.transform, t);
  }

  private resize(): void {
    const width = Math.max(200, this.stage.clientWidth || 800);
    if (width === this.width && this.svg.attr('width')) return;
    this.width = width;
    this.svg.attr('width', width).attr('height', HEIGHT).attr('viewBox', `0 0 ${width} ${HEIGHT}`);
    this.zoomer.extent([[0, 0], [width, HEIGHT]]);
    this.fit();
  }

  private save(): void {
    if (!this.graph) return;
    this.memory = { sessionId: this.graph.sessionId, hidden: [...this.hidden], query: fieldValue(this.search) };
    this.linked.remember(this.memory);
  }

  private query(): string {
    return fieldValue(this.search).trim();
  }

  private shownNodes(): GraphNodeItem[] {
    return (this.graph?.nodes ?? []).filter((n) => !this.hidden.has(n.type));
  }

  private nodeById(id: number): GraphNodeItem | undefined {
    return this.graph?.nodes.find((n) => n.id === id);
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
