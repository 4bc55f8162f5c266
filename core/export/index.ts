/**
 * Exporting a network: weights (safetensors, JSON), the whole model for ONNX Runtime, PyTorch
 * code, and a PyTorch training folder (exportTrainingFolder). One entry point for the command
 * line and the app.
 */
import { makeWeightsMetadata } from '../io/weights-metadata';
import { writeSafetensors } from '../io/safetensors';
import { writeWeightsJson } from '../io/weights-json';
import { LabError } from '../util/errors';
import { checkWeights, type ExportInput } from './export-input';
import type { ExportFormatId } from './formats';
import { exportOnnx } from './onnx/export-onnx';
import { exportPytorch } from './pytorch/export-pytorch';

export {
  exportFormats,
  exportFormat,
  exportFormatForFile,
  suggestedFileName,
  type ExportFormat,
  type ExportFormatId,
} from './formats';
export { expectedWeights, type ExportInput } from './export-input';
export {
  exportOnnx,
  ONNX_OPSET_VERSION,
  ONNX_IR_VERSION,
  ONNX_METADATA_FORMAT,
} from './onnx/export-onnx';
export type {
  OnnxAttribute,
  OnnxMapping,
  OnnxMappingContext,
  OnnxNodeSpec,
} from './onnx/plugin-mapping';
export { exportPytorch } from './pytorch/export-pytorch';
export type { PytorchCode, PytorchContext, PytorchMapping } from './pytorch/plugin-code';
export {
  exportTrainingFolder,
  suggestedFolderName,
  FOLDER_FILES,
  type FolderFile,
  type TrainingConfig as PytorchTrainingConfig,
  type TrainingFolderInput,
} from './training-folder/training-folder';

/**
 * The file contents of a network in one format: bytes for safetensors and ONNX, text for JSON
 * and Python. Throws LabError when the weights do not fit the graph (every mismatch listed) or
 * the format cannot express the network (naming the node, e.g. a plugin without ONNX mapping).
 *
 * @example const bytes = exportModel('onnx', { graph: model.graph, weights: model.exportWeights() });
 */
export function exportModel(format: 'safetensors' | 'onnx', input: ExportInput): Uint8Array;
export function exportModel(format: 'json' | 'py', input: ExportInput): string;
export function exportModel(format: ExportFormatId, input: ExportInput): Uint8Array | string;
export function exportModel(format: ExportFormatId, input: ExportInput): Uint8Array | string {
  const project = input.project ?? input.graph.project;
  switch (format) {
    case 'safetensors':
      checkWeights(input);
      return writeSafetensors(input.weights, makeWeightsMetadata(project, input.normalization));
    case 'json':
      checkWeights(input);
      return writeWeightsJson(input.weights, project, input.normalization);
    case 'onnx':
      return exportOnnx(input);
    case 'py':
      return exportPytorch(input);
    default:
      throw new LabError(
        'USAGE',
        `unknown export format ${JSON.stringify(format)} (formats: safetensors, json, onnx, py)`,
      );
  }
}
