import { backwardMany } from '../autograd/backward';
import type { Model } from '../model/model';
import { makePlan } from '../model/recompute-plan';
import { Tensor } from '../tensor/tensor';
import type { Rng } from '../util/rng';
import { nodeWeights, runNodeLayer } from './node-run';

/**
 * Fill in δ inside recompute segments. A segment's inner outputs are computed without
 * recording and its backward runs privately, so the main backward cannot report them. Here
 * each segment runs again from the tensors entering it, and its outputs' δ (from the main
 * backward) are pushed through it once more. Weights are stood in for by tensors sharing their
 * values, so their gradients are not touched.
 */
export function fillSegmentDeltas(
  model: Model,
  outputs: Map<string, Tensor>,
  deltas: Map<string, Tensor | null>,
  rng: Rng,
): void {
  for (const step of makePlan(model.graph.nodes, model.graph.output.id)) {
    if (step.kind !== 'segment') continue;
    const seeded = step.outputs.filter((id) => deltas.get(id));
    if (!seeded.length) continue; // no gradient reaches the segment at all
    const again = new Map<string, Tensor>();
    for (const s of step.inputs) {
      const t = outputs.get(s)!;
      again.set(s, new Tensor(t.data, t.shape, t.requiresGrad));
    }
    const segRng = rng.clone();
    for (const n of step.nodes) {
      let inputs = n.inputs.map((s) => again.get(s)!);
      if (n.detach) inputs = inputs.map((t) => t.detach());
      const weights = Object.fromEntries(
        Object.entries(nodeWeights(model, n)).map(([k, w]) => [
          k,
          new Tensor(w.data, w.shape, w.requiresGrad),
        ]),
      );
      again.set(n.id, runNodeLayer(n, inputs, weights, false, segRng));
    }
    const roots = seeded.map((id) => again.get(id)!);
    const seeds = seeded.map((id) => deltas.get(id)!);
    const inner = step.nodes.map((n) => again.get(n.id)!);
    const retained = backwardMany(roots, seeds, inner);
    for (const n of step.nodes) deltas.set(n.id, retained.get(again.get(n.id)!) ?? null);
  }
}
