// The plugin layers of a network whose gradient check failed when their file loaded: Train asks
// before it trains with them ("Layer TanhGate failed its gradient check: … Train anyway?").
import type { ProjectInput } from '../../core/graph/schema';
import { layerCheckFailure } from '../panels/plugins/plugin-check';
import type { LayerInfo } from './layer-catalog';

export interface FailedCheck {
  type: string;
  /** The plugin file that defines it. */
  file: string;
  /** The nodes of that type in the network. */
  nodes: string[];
  /** "Layer TanhGate failed its gradient check: gradient of x is wrong at [0, 0]: …". */
  text: string;
}

/** One entry per failing layer type, in the order its first node comes. */
export function failedChecks(
  project: ProjectInput,
  layerInfo: (type: string) => LayerInfo | undefined,
): FailedCheck[] {
  const out = new Map<string, FailedCheck>();
  for (const n of project.nodes) {
    const known = out.get(n.type);
    if (known) {
      known.nodes.push(n.id);
      continue;
    }
    const info = layerInfo(n.type);
    const text = layerCheckFailure(n.type, info?.check);
    if (info && text) out.set(n.type, { type: n.type, file: info.source, nodes: [n.id], text });
  }
  return [...out.values()];
}

/** What the user agreed to train with: the same layer, file and failure are not asked again. */
export const failedCheckKey = (f: FailedCheck): string => `${f.type}\n${f.file}\n${f.text}`;
