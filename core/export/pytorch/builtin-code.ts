/** The built-in layers as PyTorch: the module a node holds (if any) and the expression of its output. */
import type { CompiledNode } from '../../graph/compile';
import { pyFloat } from './python-text';

export interface PyLayer {
  /** Constructor of the module stored on the network, e.g. `nn.Linear(2, 8)`. */
  module?: string;
  /** The output, from the module attribute (`self.fc1`) and the input variables. */
  call(self: string, args: string[]): string;
}

const callModule = (self: string, args: string[]) => `${self}(${args.join(', ')})`;
const activation = (module: string) => (): PyLayer => ({ module, call: callModule });

export const BUILTIN_PYTORCH: Record<string, (node: CompiledNode) => PyLayer> = {
  Dense: (n) => {
    const inFeatures = n.inShapes[0][n.inShapes[0].length - 1];
    const bias = n.weights.bias === undefined ? ', bias=False' : '';
    return {
      module: `nn.Linear(${inFeatures}, ${n.params.units as number}${bias})`,
      call: callModule,
    };
  },
  Sigmoid: activation('nn.Sigmoid()'),
  Tanh: activation('nn.Tanh()'),
  ReLU: activation('nn.ReLU()'),
  LeakyReLU: (n) => ({
    module: `nn.LeakyReLU(negative_slope=${pyFloat(n.params.slope as number)})`,
    call: callModule,
  }),
  Softmax: activation('nn.Softmax(dim=-1)'),
  Dropout: (n) => ({ module: `nn.Dropout(p=${pyFloat(n.params.p as number)})`, call: callModule }),
  // Left to right, as the engine adds.
  Add: () => ({ call: (_self, args) => args.join(' + ') }),
  Concat: () => ({ call: (_self, args) => `torch.cat([${args.join(', ')}], dim=-1)` }),
};
