import type { LayerDefinition } from '../contract';

/** Where data enters: its `shape` excludes the batch dimension. The graph's one entry. */
export default {
  type: 'Input',
  category: 'Input',
  description: 'The data entering the network',
  inputs: 0,
  entry: true,
  params: { shape: { type: 'shape', default: [2], description: 'features per sample' } },
  build: ({ params }) => ({ outShape: (params.shape as number[]).slice() }),
  forward: (_ctx, x) => x as never,
  lab: {
    forward: (c) => ({
      title: 'The batch enters the network',
      formula: `${c.out}: the features of each sample`,
      shows: 'x, the samples',
    }),
    backward: () => ({
      title: 'The error reaches the data',
      formula: '∂L/∂x: how the loss would change with each input value',
      note: 'nothing to pass on: the backward pass ends here',
    }),
  },
} satisfies LayerDefinition;
