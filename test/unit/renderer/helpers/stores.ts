// Fresh stores over fake services for each test.
import { createPinia, setActivePinia } from 'pinia';
import xor from '../../../../examples/xor.json';
import type { ProjectInput } from '../../../../core/graph/schema';
import type { CompiledSummary } from '../../../../renderer/worker/protocol-types';
import type { WorkerLink } from '../../../../renderer/worker/client';
import { setServices } from '../../../../renderer/stores/services';
import { type FakeHost, fakeHost } from './fake-host';
import { FakeWorker } from './fake-worker';
import { saveDisabledPlugins } from '../../../../renderer/stores/disabled-plugins';

export const XOR = xor as ProjectInput;

export function freshStores<W extends WorkerLink = FakeWorker>(
  o: { worker?: W; host?: FakeHost } = {},
): { host: FakeHost; worker: W } {
  const host = o.host ?? fakeHost();
  const worker = o.worker ?? (new FakeWorker() as unknown as W);
  setServices({ host, worker });
  // Plugins disabled in one test are not disabled in the next.
  saveDisabledPlugins([]);
  setActivePinia(createPinia());
  return { host, worker };
}

/** Let queued microtasks (the scheduled validation) run. */
export const flush = () => new Promise<void>((r) => setTimeout(r, 0));

export function summaryOf(nodes: CompiledSummary['nodes'], ok = true): CompiledSummary {
  return { nodes, warnings: [], ok, weightShapes: {} };
}
