/**
 * How a layer brings its PyTorch code to a `.py` export: the `pytorch` capability of a layer
 * definition, one contract for built-in layers (core/layers/builtin/) and plugins alike. It is
 * an object, or a function of the node (`pytorch(ctx)`) returning one, that says in one of
 * three ways what the node is in the exported network:
 *
 * - `{ className, code }`: `code` (module-level Python, written once) defines an nn.Module
 *   subclass, which the exported network calls once per node, with keyword arguments
 *
 *       ClassName(params={...}, in_shapes=[(4,)], out_shape=(4,), weight_shapes={"a": (4,)})
 *
 *   (shapes without the batch dimension). It must register one nn.Parameter per weight under
 *   the weight's own name (`self.a`), so that the exported weights load into it;
 * - `{ module }`: the module the node holds, as a Python expression (`nn.Linear(2, 8)`), whose
 *   parameters are the layer's weights by name (`weight`, `bias`);
 * - `{ expression }`: for a layer without weights, its output as a Python expression of its
 *   inputs (`x1 + x2`, with the names in `ctx.inputs`).
 *
 * Either way the node's forward takes its inputs as positional arguments, batch first. The code
 * may use torch, nn (torch.nn), F (torch.nn.functional), np (numpy) and math; it may import
 * more itself. `code` may also come with `module` or `expression`, for a helper they use.
 *
 * @example
 * pytorch: {
 *   className: 'Wacky',
 *   code: `
 *     class Wacky(nn.Module):
 *         def __init__(self, params, in_shapes, out_shape, weight_shapes):
 *             super().__init__()
 *             self.a = nn.Parameter(torch.ones(weight_shapes["a"]))
 *
 *         def forward(self, x):
 *             return x * torch.sigmoid(self.a * x)
 *   `,
 * },
 * // or, per node: pytorch: (ctx) => ({ module: `nn.LeakyReLU(${ctx.literal(ctx.params.slope)})` })
 */
export interface PytorchCode {
  /** Python source at module level; its common indentation is removed. */
  code?: string;
  /** The nn.Module subclass that `code` defines, called once per node. */
  className?: string;
  /** The module a node holds, as a Python expression: `nn.Linear(2, 8)`. */
  module?: string;
  /** A layer without weights: its output as a Python expression of `ctx.inputs`. */
  expression?: string;
}

/** What a `pytorch(ctx)` function is told about the node. Shapes exclude the batch dimension. */
export interface PytorchContext {
  /** The graph node being exported (its id). */
  readonly node: string;
  readonly type: string;
  /**
   * The node's inputs as Python expressions, in order: their variables, each `.detach()`ed
   * when the node is set to detach (no gradient flows back through it).
   */
  readonly inputs: readonly string[];
  readonly inShapes: readonly (readonly number[])[];
  readonly outShape: readonly number[];
  /** The node's hyperparameters, defaults filled in. */
  readonly params: Readonly<Record<string, number | boolean | string | number[]>>;
  /** The node's weights by name, with their shapes. */
  readonly weights: Readonly<Record<string, readonly number[]>>;
  /** A Python literal for a value: `0.01`, `True`, `"tanh"`, `[2, 3]`. */
  literal(value: number | boolean | string | number[]): string;
}

/** A layer's PyTorch code: the same for every node, or made for each node. */
export type PytorchMapping = PytorchCode | ((ctx: PytorchContext) => PytorchCode);
