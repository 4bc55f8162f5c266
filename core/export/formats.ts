/** The formats a trained network can be exported in: one table for the command line and the app. */

export type ExportFormatId = 'safetensors' | 'json' | 'onnx' | 'py';

export interface ExportFormat {
  id: ExportFormatId;
  /** File name extension, with the dot. */
  extension: string;
  /** Short name for a menu or a list. */
  label: string;
  /** One sentence on what the file is for. */
  description: string;
  /** True when the file is bytes (Uint8Array), false when it is text (string). */
  binary: boolean;
  /** MIME type, for a browser download. */
  mimeType: string;
}

export const exportFormats: readonly ExportFormat[] = [
  {
    id: 'safetensors',
    extension: '.safetensors',
    label: 'safetensors weights',
    description:
      'The weights as float32 safetensors with the project in its metadata; PyTorch and most tools read it, and Backprop Lab loads it back.',
    binary: true,
    mimeType: 'application/octet-stream',
  },
  {
    id: 'json',
    extension: '.json',
    label: 'JSON weights',
    description: 'The weights as readable JSON numbers with the project, for reading and diffing.',
    binary: false,
    mimeType: 'application/json',
  },
  {
    id: 'onnx',
    extension: '.onnx',
    label: 'ONNX model',
    description:
      'The whole network with its weights (opset 17), for ONNX Runtime and Netron; plugin layers need an ONNX mapping.',
    binary: true,
    mimeType: 'application/octet-stream',
  },
  {
    id: 'py',
    extension: '.py',
    label: 'PyTorch code',
    description:
      'A Python module defining the network as a torch.nn.Module, with load() for the exported .safetensors weights.',
    binary: false,
    mimeType: 'text/x-python',
  },
];

/** The format with this id; undefined for an unknown id. */
export function exportFormat(id: string): ExportFormat | undefined {
  return exportFormats.find((f) => f.id === id);
}

/** The format a file name asks for by its extension (case-insensitive), or undefined. */
export function exportFormatForFile(fileName: string): ExportFormat | undefined {
  const lower = fileName.toLowerCase();
  return exportFormats.find(
    (f) => lower.endsWith(f.extension) && lower.length > f.extension.length,
  );
}

/** A file name for a download or a save dialog: `XOR net` → `xor-net.onnx`. */
export function suggestedFileName(projectName: string, format: ExportFormatId): string {
  const base =
    projectName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, format === 'py' ? '_' : '-')
      .replace(/^[-_]+|[-_]+$/g, '') || 'network';
  // A .py file is imported as a module: its name must be a Python identifier.
  const name = format === 'py' && /^[0-9]/.test(base) ? `net_${base}` : base;
  return `${name}${exportFormat(format)!.extension}`;
}
