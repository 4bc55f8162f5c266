// Adding a layer without dragging it (double-click or Enter on a palette item): at the centre of
// the view, or to the right of the one selected node and fed by it when that connection fits.
import type { ProjectInput } from '../../core/graph/schema';
import { useGraphStore } from '../stores/graph';
import { canConnect } from '../stores/graph-connect';
import { type EditResult, type GraphEdit, type Position, applyEdit } from '../stores/graph-edits';
import { nextNodeId } from '../stores/graph-ids';
import { uiLayerLookup } from '../stores/layer-catalog';
import { usePluginsStore } from '../stores/plugins';
import type { SummaryNode } from '../worker/protocol-types';
import { besidePosition, dropEdit, nodePositions } from './adapter';
import { canvas } from './canvas-bridge';

export interface AddContext {
  project: ProjectInput;
  selection: readonly string[];
  /** Where to put a node when nothing is selected (the view's centre). */
  center: Position;
  /** May `from` feed `to` in this project? (the graph store's rule, on a project with the node) */
  fits(p: ProjectInput, from: string, to: string): boolean;
}

/** The edit that adds a `nodeType` layer by keyboard or double-click. */
export function addLayerEdit(nodeType: string, c: AddContext): GraphEdit {
  const sel = c.selection.length === 1 ? c.selection[0] : null;
  if (!sel || !c.project.nodes.some((n) => n.id === sel)) return dropEdit(nodeType, c.center);
  const id = nextNodeId(nodeType, new Set(c.project.nodes.map((n) => n.id)));
  const position = besidePosition(nodePositions(c.project), sel);
  const add: GraphEdit = { type: 'addNode', nodeType, id, position };
  const tried = applyEdit(c.project, add);
  const feeds = tried.ok && c.fits(tried.project, sel, id);
  return feeds ? { ...add, inputs: [sel] } : add;
}

/** Add a layer through the graph store (one undo step) and bring it into view. */
export function addLayer(nodeType: string): EditResult {
  const graph = useGraphStore();
  const plugins = usePluginsStore();
  const view = canvas();
  const edit = addLayerEdit(nodeType, {
    project: graph.project,
    selection: graph.selection,
    center: view?.viewCenter() ?? { x: 240, y: 160 },
    fits: (p, from, to) =>
      canConnect(
        p,
        from,
        to,
        uiLayerLookup(plugins.layers),
        graph.summary?.nodes as Record<string, SummaryNode> | undefined,
      ).ok,
  });
  const r = graph.apply(edit);
  if (r.ok) view?.reveal(r.ids);
  return r;
}
