// Compile-time check that the author-facing plugin types (plugins/api.d.ts) describe what the
// engine hands plugins. `npm run typecheck` fails when the two drift apart. (What a plugin
// returns is checked when it runs: a Tensor made with ctx, of the shape build promised.)
import type {
  BuildArgs as CoreBuildArgs,
  LayerContext as CoreContext,
} from '../../core/layers/contract';
import type { Ops as CoreOps } from '../../core/ops';
import type { Tensor as CoreTensor } from '../../core/tensor/tensor';
import type {
  OnnxMappingContext as CoreOnnxContext,
  OnnxNodeSpec as CoreOnnxNode,
} from '../../core/export/onnx/plugin-mapping';
import type {
  PytorchCode as CorePytorchCode,
  PytorchContext as CorePytorchContext,
  PytorchMapping as CorePytorchMapping,
} from '../../core/export/pytorch/plugin-code';
import type {
  FusedKernel as CoreFusedKernel,
  FusedShapes as CoreFusedShapes,
  FusedStep as CoreFusedStep,
} from '../../core/layers/fused';
import type {
  LabContext as CoreLabContext,
  LabFormulas as CoreLabFormulas,
} from '../../core/layers/lab';
import type * as Api from '../../plugins/api';

export const ctx = (c: CoreContext): Api.LayerContext => c;
export const ops = (o: CoreOps): Api.Ops => o;
export const tensor = (t: CoreTensor): Api.Tensor => t;
export const buildArgs = (b: CoreBuildArgs): Api.BuildArgs => b;

// Every op the engine offers plugins is described for authors (the losses are for training).
type Missing = Exclude<
  keyof CoreOps,
  keyof Api.Ops | 'bce' | 'bceWithLogits' | 'mse' | 'crossEntropy'
>;
export const noMissingOps: Missing extends never ? true : Missing = true;

// The export mappings a plugin writes are what the exporters accept, and the context the
// exporter passes is what the author types promise.
export const onnxCtx = (c: CoreOnnxContext): Api.OnnxMappingContext => c;
export const onnxNode = (n: Api.OnnxNodeSpec): CoreOnnxNode => n;
export const pytorchCode = (p: Api.PytorchCode): CorePytorchCode => p;
export const pytorchCtx = (c: CorePytorchContext): Api.PytorchContext => c;
export const pytorchMapping = (
  p: NonNullable<Api.LayerDefinition['pytorch']>,
): CorePytorchMapping => p;

// A fused kernel a plugin writes is one the fused plan can run, on the step it is handed.
export const fusedKernel = (k: Api.FusedKernel): CoreFusedKernel => k;
export const fusedStep = (s: CoreFusedStep): Api.FusedStep => s;
export const fusedShapes = (s: CoreFusedShapes): Api.FusedShapes => s;

// Lab formulas a plugin writes are what the Lab reads, with the context it hands them.
export const labFormulas = (l: Api.LabFormulas): CoreLabFormulas => l;
export const labCtx = (c: CoreLabContext): Api.LabContext => c;
