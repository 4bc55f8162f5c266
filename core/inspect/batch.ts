import { backward } from '../autograd/backward';
import { LOSSES, LOSS_TYPES, type LossType } from '../losses';
import type { Model } from '../model/model';
import { Tensor } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';
import { isolated } from './isolated';
import { fillSegmentDeltas } from './segments';

export interface NodeInspection {
  /** The node's output for the batch, [batch, ...outShape]. */
  output: Tensor;
  /** Its local error δ = ∂L/∂(output), or null where no gradient flows (below a detach). */
  delta: Tensor | null;
}

export interface BatchInspection {
  loss: number;
  nodes: Record<string, NodeInspection>;
  /** ∂L/∂W for every weight that gets a gradient, by `<nodeId>.<weight>`. */
  weightGrads: Record<string, Tensor>;
}

export interface InspectOptions {
  /** Generator handed to the layers (default: seed 0; evaluation mode draws nothing built-in). */
  rng?: Rng;
}

/**
 * Every node's output and local error δ for one batch, in evaluation mode, plus the weight
 * gradients. Weights are left exactly as they were, gradients included, so inspecting between
 * training steps changes nothing. Returned tensors are read-only and may share buffers.
 *
 * @example const { nodes } = inspectBatch(model, x, y, 'MSE'); nodes.fc2.delta;
 */
export function inspectBatch(
  model: Model,
  x: Tensor,
  y: Tensor,
  loss: LossType,
  opts: InspectOptions = {},
): BatchInspection {
  const lossFn = LOSSES[loss];
  if (!lossFn) {
    throw new LabError('USAGE', `unknown loss '${loss}' (known: ${LOSS_TYPES.join(', ')})`);
  }
  const rng = opts.rng ?? new Rng(0);
  const weights = [...model.weights];
  const before = weights.map(([, w]) => w.grad);
  return isolated(() => {
    try {
      for (const [, w] of weights) w.grad = null;
      const rngAtStart = rng.clone();
      const { output, outputs } = model.forward(x, {
        training: false,
        rng,
        inputRequiresGrad: true,
      });
      const lossTensor = lossFn(output, y);
      const retained = backward(lossTensor, { retain: [...outputs.values()] });

      const deltas = new Map<string, Tensor | null>();
      for (const n of model.graph.nodes) deltas.set(n.id, retained.get(outputs.get(n.id)!) ?? null);
      fillSegmentDeltas(model, outputs, deltas, rngAtStart);

      const nodes: Record<string, NodeInspection> = {};
      for (const n of model.graph.nodes) {
        nodes[n.id] = { output: outputs.get(n.id)!.detach(), delta: deltas.get(n.id) ?? null };
      }
      const weightGrads: Record<string, Tensor> = {};
      for (const [k, w] of weights) {
        if (w.grad) weightGrads[k] = new Tensor(w.grad.data.slice(), w.grad.shape.slice());
      }
      return { loss: lossTensor.data[0], nodes, weightGrads };
    } finally {
      weights.forEach(([, w], i) => (w.grad = before[i]));
    }
  });
}
