import { csvError } from '../data/csv-error';
import type { Dataset } from '../data/dataset';
import type { CompiledGraph } from '../graph/compile';
import { widthSource } from '../graph/width-source';
import { LOSS_DEFINITIONS, type LossType } from '../losses';
import { formatShape, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';

/**
 * Check that a data set fits the network and the loss — its features the Input node, its
 * targets the output and every target value the loss — and say how targets are shaped for the
 * loss. Problems name the node, and a bad target its place: file, line and column for CSV,
 * `data.y[i]` for inline data, the sample index otherwise.
 */
export function fitData(
  graph: CompiledGraph,
  ds: Dataset,
  loss: LossType,
): (batch: number) => number[] {
  const inNode = graph.input;
  if (sizeOf(inNode.outShape) !== ds.inDim) {
    throw new LabError(
      'DATA',
      `the data '${ds.name}' has ${ds.inDim} feature${ds.inDim === 1 ? '' : 's'} per sample but the Input node '${inNode.id}' has shape ${formatShape(inNode.outShape)}`,
      {
        node: inNode.id,
        path: `nodes[${graph.project.nodes.findIndex((n) => n.id === inNode.id)}].params.shape`,
      },
    );
  }
  const out = graph.output;
  const def = LOSS_DEFINITIONS[loss];
  const shape = def.targetShape(out.outShape, { yDim: ds.yDim, numClasses: ds.numClasses }, out.id);
  if (typeof shape === 'string') {
    throw (
      widthError(graph, ds, loss) ??
      new LabError('DATA', `${shape} ('${ds.name}')`, { node: out.id })
    );
  }
  const bad = def.checkTargets(ds.y, ds.yDim, out.outShape);
  if (bad) throw targetError(ds, bad.index, bad.message);
  return shape;
}

/**
 * The output gives the wrong number of values per sample: the error names the node that must
 * change (the layer that sets the width, through the element-wise layers after it) and the
 * value to set, placed on that node's field. Null when no single width would fit.
 */
function widthError(graph: CompiledGraph, ds: Dataset, loss: LossType): LabError | null {
  const out = graph.output;
  const want = LOSS_DEFINITIONS[loss].outputWidth({ yDim: ds.yDim, numClasses: ds.numClasses });
  if (!want || out.outShape.length !== 1 || out.outShape[0] === want.width) return null;
  const have = out.outShape[0];
  const src = widthSource(graph.byId, out.id);
  const values = (n: number) => `${n} value${n === 1 ? '' : 's'}`;
  const needs = `${loss} needs ${want.width} for ${want.what} ('${ds.name}')`;
  const index = (id: string) => graph.project.nodes.findIndex((n) => n.id === id);
  if (src.entry) {
    const what =
      src.node === out.id
        ? `the output is the Input node '${out.id}', which passes on the data's ${values(have)} per sample`
        : `the output '${out.id}' passes on the ${values(have)} per sample of the Input node '${src.node}'`;
    return new LabError(
      'DATA',
      `${what}; ${needs}: add a layer that makes ${values(want.width)} (a Dense of ${want.width} unit${want.width === 1 ? '' : 's'}) before the output`,
      { node: out.id, path: `nodes[${index(out.id)}]` },
    );
  }
  const passed = src.node === out.id ? '' : ` and the output '${out.id}' passes them on`;
  const fix = src.param
    ? `set ${src.node}'s ${src.param} to ${want.width}`
    : `change ${src.node} so that it makes ${values(want.width)}`;
  return new LabError(
    'DATA',
    `${src.node} makes ${values(have)} per sample${passed}; ${needs}: ${fix}`,
    {
      node: src.node,
      path: `nodes[${index(src.node)}]${src.param ? `.params.${src.param}` : ''}`,
    },
  );
}

/** A bad target value, named where it is. */
function targetError(ds: Dataset, index: number, message: string): LabError {
  const sample = Math.floor(index / ds.yDim),
    column = index % ds.yDim;
  const o = ds.origin;
  if (o?.kind === 'csv') {
    return csvError(message, {
      file: o.file,
      line: o.targetLines[index],
      column: o.targetColumns[column],
      name: ds.targetNames[column],
    });
  }
  if (o?.kind === 'inline') {
    const path = ds.yDim === 1 ? `data.y[${sample}]` : `data.y[${sample}][${column}]`;
    return new LabError('DATA', `${path}: ${message}`, { path });
  }
  const what = ds.yDim === 1 ? '' : ` (target '${ds.targetNames[column]}')`;
  return new LabError('DATA', `sample ${sample} of '${ds.name}'${what}: ${message}`);
}
