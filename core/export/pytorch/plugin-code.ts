/**
 * How a plugin layer brings its own PyTorch code to a `.py` export: a `pytorch` field next to
 * build, forward and backward.
 *
 * The exported module calls the class once per node, with keyword arguments:
 *
 *     ClassName(params={...}, in_shapes=[(4,)], out_shape=(4,), weight_shapes={"a": (4,)})
 *
 * (shapes without the batch dimension). It must register one nn.Parameter per weight under the
 * weight's own name (`self.a`), so that the exported weights load into it, and its forward takes
 * the node's inputs as positional arguments, batch first. The code may use torch, nn
 * (torch.nn), F (torch.nn.functional), np (numpy) and math; it may import more itself.
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
 */
export interface PytorchCode {
  /** The nn.Module subclass that `code` defines. */
  className: string;
  /** Python source at module level; its common indentation is removed. */
  code: string;
}

/** A layer definition that may carry PyTorch code (plugins add it as `pytorch`). */
export interface WithPytorchCode {
  pytorch?: PytorchCode;
}
