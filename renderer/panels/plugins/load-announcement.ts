// What the app says when a plugin file the user loaded has been through the training worker:
// which layers it added and where in the palette, and whether their gradient checks passed, or
// why the file could not be loaded. Read by screen readers too (an aria-live region).
import type { PluginStatus } from '../../worker/protocol-types';
import { layerCheckFailure, pluginFileName } from './plugin-check';

export interface LoadAnnouncement {
  tone: 'ok' | 'warn' | 'danger';
  text: string;
  /** The layer to show in the palette and the Gradient check view: the first that failed, else the first. */
  layer: string | null;
}

const list = (xs: string[]) =>
  xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;

export function loadAnnouncement(status: PluginStatus): LoadAnnouncement {
  const name = pluginFileName(status.file);
  if (!status.ok)
    return {
      tone: 'danger',
      text: `${name} could not be loaded: ${status.error?.message ?? 'unknown error'}`,
      layer: null,
    };
  const layers = status.layers;
  if (layers.length === 0)
    return { tone: 'warn', text: `Loaded ${name}: it defines no layers.`, layer: null };
  const groups = [...new Set(layers.map((l) => l.category))];
  const added =
    `Loaded ${name}: ${list(layers.map((l) => l.type))} ` + `in the palette under ${list(groups)}.`;
  const failed = layers.flatMap((l) => {
    const why = layerCheckFailure(l.type, l.check);
    return why === null ? [] : [{ type: l.type, why }];
  });
  if (failed.length)
    return {
      tone: 'warn',
      text: `${added} ${failed.map((f) => f.why).join('. ')}.`,
      layer: failed[0].type,
    };
  return {
    tone: 'ok',
    text: `${added} ${layers.length === 1 ? 'Its gradients match' : 'Their gradients match'} finite differences.`,
    layer: layers[0].type,
  };
}
