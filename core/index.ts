// Backprop Lab's engine: the public surface used by the command line, the training worker,
// the app and the tests. Nothing here touches the DOM, Node, Vue or Electron.
export { Tensor, type TensorData, type DType, sizeOf, formatShape } from './tensor/tensor';
export { ops, type Ops, type OpName } from './ops';
export { backward, backwardMany, noGrad, withGrad, inNode, autogradState } from './autograd';
export { LOSSES, LOSS_TYPES, type LossType } from './losses';
export { MemoryMeter, type MemoryReport, type NodeMemory } from './memory/meter';
export type {
  LayerDefinition,
  LayerContext,
  ParamSpec,
  Params,
  ParamValue,
  WeightSpec,
  InitSpec,
  BuildArgs,
  BuildResult,
  BackwardResult,
} from './layers/contract';
export { BUILTIN_DEFINITIONS, BUILTIN_LAYERS, BUILTIN_LAYER_TYPES } from './layers/builtin';
export { LayerRegistry, type RegisteredLayer } from './layers/registry';
export { runLayer, type RunLayerOptions } from './layers/run';
export {
  projectSchema,
  type Project,
  type ProjectInput,
  type ProjectNode,
  type DataSpec as ProjectDataSpec,
  type OptimizerConfig,
  type TrainingConfig,
} from './graph/schema';
export { parseProject, parseProjectText, ProjectError, type ProjectIssue } from './graph/parse';
export { compileProject, type CompiledGraph, type CompiledNode } from './graph/compile';
export { Model, type ForwardOptions, type ForwardResult, type WeightMap } from './model/model';
export { createOptimizer, Sgd, Adam, type Optimizer } from './optim';
export {
  Trainer,
  LOSS_NODE,
  type EpochStats,
  type RunPosition,
  type StepResult,
  type TrainerOptions,
} from './train/trainer';
export {
  prepareTraining,
  testFractionOf,
  type PrepareOptions,
  type Prepared,
} from './project/prepare';
export * from './data';
export * from './io';
export { Rng } from './util/rng';
export { LabError, isLabError, type LabErrorCode, type LabErrorPlace } from './util/errors';
export * from './gradcheck';
export * from './inspect';
export * from './plugins';
export * from './export';
export {
  TrainingRunner,
  type RunState,
  type Progress,
  type RunnerCallbacks,
  type RunnerOptions,
} from './train/runner';
export {
  enableGemmThreads,
  disableGemmThreads,
  gemmThreadStatus,
  splitProducts,
  waitForGemmHelper,
  GEMM_HELPER_SOURCE,
  type GemmHelperInit,
  type GemmHelperHandle,
  type GemmThreadStatus,
  type StartGemmHelper,
} from './ops/kernels/gemm-threads';
export { wasmGemmAvailable } from './ops/kernels/wasm-gemm';
export { chooseOuterBlocks, type OuterChoice } from './ops/kernels/outer-block';
export {
  DEFAULT_KERNEL_MODE,
  kernelInfo,
  setKernelMode,
  type KernelInfo,
  type KernelMode,
} from './ops/kernels/wasm-kernel';
