// Inspection for the lab views: local errors δ per node, weight gradients, node and network
// Jacobians.
export {
  inspectBatch,
  type BatchInspection,
  type NodeInspection,
  type InspectOptions,
} from './batch';
export { nodeJacobian, type Jacobian, type JacobianOptions } from './jacobian';
export {
  boundaryGrid,
  boundaryKind,
  cellCentre,
  evalOutputs,
  gridInputs,
  planeBounds,
  type BoundaryGrid,
  type BoundaryKind,
  type GridSpec,
  type PlaneBounds,
} from './boundary';
export { neuronMaps, type NeuronMaps, type NodeMaps } from './neuron-maps';
export { blameShares, passBack, denseBlame, type DenseBlame } from './blame';
export { chainJacobian, denseActivationJacobian, type DenseActivationJacobian } from './composed';
export { backpropSteps, layerIndices, type BackpropStep } from './steps';
export { labNotation, sup, type NodeNotation, type StepRule } from './lab-rules';
export {
  gradcheckLayerArrays,
  type GradcheckWithArrays,
  type GradientArrays,
} from './gradcheck-arrays';
export {
  networkJacobian,
  type FactorKind,
  type JacobianFactor,
  type JacobianPath,
  type NetworkJacobian,
  type NetworkJacobianOptions,
  type PairCheck,
} from './network-jacobian';
export { countPaths, listPaths, nodesBetween, pathRefusal } from './graph-paths';
