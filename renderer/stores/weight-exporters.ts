// Formats trained weights can be saved in. safetensors and JSON are here; ONNX and PyTorch code
// register themselves through registerWeightExporter when core/export exists.
import type { Normalization } from '../../core/data/normalize';
import type { ProjectInput } from '../../core/graph/schema';
import type { NamedTensors } from '../../core/io/named-tensors';
import { writeSafetensors } from '../../core/io/safetensors';
import { makeWeightsMetadata } from '../../core/io/weights-metadata';
import { writeWeightsJson } from '../../core/io/weights-json';

export interface WeightExporter {
  id: string;
  /** For menus: "safetensors (PyTorch, Netron)". */
  label: string;
  /** File extension without the dot. */
  extension: string;
  /**
   * The file's contents; `project` is the network the weights were trained with. May be async:
   * formats that need plugin code (ONNX mappings) ask the worker.
   */
  write(
    weights: NamedTensors,
    project: ProjectInput,
    normalization?: Normalization | null,
  ): Uint8Array | string | Promise<Uint8Array | string>;
}

const exporters = new Map<string, WeightExporter>();

export function registerWeightExporter(e: WeightExporter): void {
  if (exporters.has(e.id)) throw new Error(`a weights exporter '${e.id}' is already registered`);
  exporters.set(e.id, e);
}

export function weightExporter(id: string): WeightExporter | undefined {
  return exporters.get(id);
}

export function weightExporterList(): WeightExporter[] {
  return [...exporters.values()];
}

registerWeightExporter({
  id: 'safetensors',
  label: 'safetensors (PyTorch, Netron)',
  extension: 'safetensors',
  write: (weights, project, normalization) =>
    writeSafetensors(weights, makeWeightsMetadata(project, normalization)),
});

registerWeightExporter({
  id: 'json',
  label: 'JSON (readable)',
  extension: 'weights.json',
  write: (weights, project, normalization) => writeWeightsJson(weights, project, normalization),
});
