// Swish (SiLU): y = x · σ(βx), written forward-only with ctx.ops: autograd supplies backward,
// and the ops it uses decide what is kept (σ(βx) by sigmoid, x and σ by the product).
import type { LayerDefinition } from './api';

const swish: LayerDefinition = {
  type: 'Swish',
  description: 'y = x * sigmoid(beta * x), backward by autograd',
  category: 'Examples',
  params: { beta: { type: 'number', default: 1, description: 'steepness of the gate' } },
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x) {
    const gate = ctx.ops.sigmoid(ctx.ops.scale(x, ctx.params.beta as number));
    return ctx.ops.mul(x, gate);
  },
  // The same layer in PyTorch: for the .py export and the PyTorch training folder.
  pytorch: {
    className: 'Swish',
    code: `
      class Swish(nn.Module):
          def __init__(self, params, in_shapes, out_shape, weight_shapes):
              super().__init__()
              self.beta = params["beta"]

          def forward(self, x):
              return x * torch.sigmoid(self.beta * x)
    `,
  },
};

export default swish;
