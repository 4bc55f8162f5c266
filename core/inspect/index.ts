// Inspection for the lab views: local errors δ per node, weight gradients, node Jacobians.
export {
  inspectBatch,
  type BatchInspection,
  type NodeInspection,
  type InspectOptions,
} from './batch';
export { nodeJacobian, type Jacobian, type JacobianOptions } from './jacobian';
