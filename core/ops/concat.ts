import { record, trackingAny } from '../autograd/record';
import { Tensor, allocLike, formatShape } from '../tensor/tensor';
import { LabError } from '../util/errors';

/** Join tensors along an axis (default: the last). Saves nothing; backward slices the gradient. */
export function concat(xs: Tensor[], axis = -1): Tensor {
  if (xs.length === 0) throw new LabError('SHAPE_MISMATCH', 'concat needs at least one tensor');
  const rank = xs[0].rank;
  const a = axis < 0 ? rank + axis : axis;
  for (const t of xs) {
    const ok = t.rank === rank && t.shape.every((d, i) => i === a || d === xs[0].shape[i]);
    if (!ok) {
      throw new LabError(
        'SHAPE_MISMATCH',
        `concat along axis ${axis}: shapes ${xs.map((t) => formatShape(t.shape)).join(', ')} differ outside that axis`,
      );
    }
  }
  const outer = xs[0].shape.slice(0, a).reduce((p, d) => p * d, 1);
  const widths = xs.map((t) => t.size / outer);
  const total = widths.reduce((p, w) => p + w, 0);
  const o = allocLike(xs[0], outer * total);
  let off = 0;
  for (let t = 0; t < xs.length; t++) {
    const X = xs[t].data,
      w = widths[t];
    for (let i = 0; i < outer; i++) o.set(X.subarray(i * w, (i + 1) * w), i * total + off);
    off += w;
  }
  const shape = xs[0].shape.slice();
  shape[a] = xs.reduce((p, t) => p + t.shape[a], 0);
  const y = new Tensor(o, shape);
  if (trackingAny(xs)) {
    const shapes = xs.map((t) => t.shape);
    record('concat', xs, y, [], ([gy], _s, needs) => {
      const G = gy!.data;
      const out: (Tensor | null)[] = [];
      let at = 0;
      for (let t = 0; t < shapes.length; t++) {
        const w = widths[t];
        if (needs[t]) {
          const g = allocLike(G, outer * w);
          for (let i = 0; i < outer; i++)
            g.set(G.subarray(i * total + at, i * total + at + w), i * w);
          out.push(new Tensor(g, shapes[t].slice()));
        } else out.push(null);
        at += w;
      }
      return out;
    });
  }
  return y;
}
