// Exporting runs in the training worker, where plugin code (ONNX mappings, PyTorch code) and the
// trained model live. While a run is on, the worker exports its live model; otherwise it gets
// the weights the UI kept with the project they were trained with, so an export still works
// after the worker was replaced or when the weights were imported from a file.
import type { ExportFormatId } from '../../../core/export/formats';
import { suggestedFileName } from '../../../core/export/formats';
import { suggestedFolderName } from '../../../core/export/training-folder/training-folder';
import type { Normalization } from '../../../core/data/normalize';
import type { ProjectInput } from '../../../core/graph/schema';
import type { NamedTensors } from '../../../core/io/named-tensors';
import { clonePlain } from '../../stores/clone';
import { services } from '../../stores/services';
import type { WireError } from '../../worker/protocol';
import { heldWeightsKey } from '../../stores/held-weights';
import { hostMessage } from '../errors';

export interface ExportSource {
  /** A run is on in the worker: export its model as it is now. */
  live: boolean;
  /** The last trained (or imported) weights and the project they belong to. */
  weights: NamedTensors | null;
  project: ProjectInput;
  /** The input normalization those weights were trained with (null: raw inputs). */
  normalization?: Normalization | null;
}

export type ExportOutcome =
  { ok: true; data: Uint8Array | string } | { ok: false; error: WireError };

/** Ask the worker for the file's contents in this format. */
export async function requestExport(
  format: ExportFormatId,
  source: ExportSource,
): Promise<ExportOutcome> {
  const { worker } = services();
  const id = worker.nextId();
  const key = !source.live && source.weights ? heldWeightsKey(source.weights) : undefined;
  try {
    const reply = await worker.request(
      {
        type: 'export',
        id,
        format,
        ...(key
          ? {
              project: clonePlain(source.project),
              weights: key,
              normalization: source.normalization ? clonePlain(source.normalization) : null,
            }
          : {}),
      },
      [],
    );
    if (reply.type === 'exported') return { ok: true, data: reply.data };
    if (reply.type === 'error') return { ok: false, error: reply.error };
    return {
      ok: false,
      error: { code: 'OP', message: `unexpected answer '${reply.type}'`, place: {} },
    };
  } catch (e) {
    return { ok: false, error: { code: 'OP', message: hostMessage(e), place: {} } };
  }
}

/** Export and hand the file to the host (a save dialog, or a download). */
export async function exportToFile(
  format: ExportFormatId,
  source: ExportSource,
): Promise<ExportOutcome & { fileName?: string; saved?: boolean }> {
  const r = await requestExport(format, source);
  if (!r.ok) return r;
  const fileName = suggestedFileName(source.project.name ?? 'network', format);
  try {
    const saved = await services().host.exportFile(fileName, r.data);
    return { ...r, fileName, saved };
  } catch (e) {
    return {
      ok: false,
      error: { code: 'OP', message: `the file could not be saved: ${hostMessage(e)}`, place: {} },
    };
  }
}

/**
 * A PyTorch training folder of the project (its seed's initial weights and its data, which the
 * worker loads and splits as for training), handed to the host: a folder where the user picks
 * (Electron) or a .zip download (browser).
 */
export async function exportFolderToHost(
  project: ProjectInput,
): Promise<ExportOutcome & { fileName?: string; saved?: boolean }> {
  const { worker, host } = services();
  let folder: { name: string; data: Uint8Array | string }[];
  try {
    const reply = await worker.request({
      type: 'exportFolder',
      id: worker.nextId(),
      project: clonePlain(project),
    });
    if (reply.type === 'error') return { ok: false, error: reply.error };
    if (reply.type !== 'exportedFolder') {
      return {
        ok: false,
        error: { code: 'OP', message: `unexpected answer '${reply.type}'`, place: {} },
      };
    }
    folder = reply.files;
  } catch (e) {
    return { ok: false, error: { code: 'OP', message: hostMessage(e), place: {} } };
  }
  const name = suggestedFolderName(project.name ?? 'network');
  try {
    const saved = await host.exportFolder(name, folder);
    return { ok: true, data: '', fileName: host.kind === 'web' ? `${name}.zip` : name, saved };
  } catch (e) {
    return {
      ok: false,
      error: { code: 'OP', message: `the folder could not be saved: ${hostMessage(e)}`, place: {} },
    };
  }
}
