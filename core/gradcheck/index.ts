// Gradient checking: every layer and op against central differences, in float64.
export { gradcheckLayer } from './layer';
export { gradcheckOp } from './op';
export { formatGradcheck } from './format';
export type {
  GradcheckResult,
  GradcheckLayerOptions,
  GradcheckOpOptions,
  GradcheckTolerance,
  TensorCheck,
} from './types';
