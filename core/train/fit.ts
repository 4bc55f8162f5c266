import type { Dataset } from '../data/dataset';
import type { CompiledGraph } from '../graph/compile';
import type { LossType } from '../losses';
import { formatShape, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';

/**
 * Check that a data set fits the network and the loss, and say how targets are shaped for the
 * loss. Problems name the node and the data columns involved.
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
  const outSize = sizeOf(out.outShape);
  if (loss === 'CrossEntropy') {
    const k = out.outShape[0];
    if (ds.yDim === k && k > 1) return (b) => [b, k];
    if (ds.yDim !== 1) {
      throw new LabError(
        'DATA',
        `CrossEntropy needs one class index per sample or ${k} one-hot columns, but '${ds.name}' has ${ds.yDim} target columns`,
        { node: out.id },
      );
    }
    const classes = ds.numClasses ?? maxLabel(ds) + 1;
    if (classes > k) {
      throw new LabError(
        'DATA',
        `the data has ${classes} classes but the output node '${out.id}' has ${k} unit${k === 1 ? '' : 's'}`,
        { node: out.id },
      );
    }
    return (b) => [b];
  }
  if (ds.yDim !== outSize) {
    throw new LabError(
      'DATA',
      `the output node '${out.id}' gives ${outSize} value${outSize === 1 ? '' : 's'} per sample but '${ds.name}' has ${ds.yDim} target column${ds.yDim === 1 ? '' : 's'} for ${loss}`,
      { node: out.id },
    );
  }
  if (loss === 'BCE' || loss === 'BCEWithLogits') {
    for (let i = 0; i < ds.y.length; i++) {
      if (!(ds.y[i] >= 0 && ds.y[i] <= 1)) {
        throw new LabError(
          'DATA',
          `${loss} needs targets between 0 and 1, but sample ${Math.floor(i / ds.yDim)} of '${ds.name}' has ${ds.y[i]}`,
          { node: out.id },
        );
      }
    }
  }
  return (b) => [b, ...out.outShape];
}

function maxLabel(ds: Dataset): number {
  let m = 0;
  for (let i = 0; i < ds.y.length; i++) if (ds.y[i] > m) m = ds.y[i];
  return m;
}
