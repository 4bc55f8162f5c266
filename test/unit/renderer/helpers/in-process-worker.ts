// The real worker-core behind the real WorkerClient, in this process: messages are cloned the
// way postMessage clones them (so a reactive proxy or a function in a message fails here too),
// and delivered as macrotasks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluatePluginModule } from '../../../../cli/plugin-module';
import type { SpawnWorker } from '../../../../renderer/worker/client';
import type { FromWorker, ToWorker } from '../../../../renderer/worker/protocol';
import { type WorkerDeps, createWorkerCore } from '../../../../renderer/worker/worker-core';

const dataDir = fileURLToPath(new URL('../../../../data/', import.meta.url));

export const tick = () => new Promise<void>((r) => setImmediate(r));

/** Worker deps for Node: shipped data from data/, plugins in the sandbox as in the app. */
export function nodeWorkerDeps(
  post: WorkerDeps['post'],
  over: Partial<WorkerDeps> = {},
): WorkerDeps {
  return {
    post,
    evaluate: evaluatePluginModule,
    readDataFile: async (name) => readFileSync(dataDir + name, 'utf8'),
    yieldToHost: tick,
    sliceMs: 2,
    progressMs: 0,
    weightsMs: 0,
    ...over,
  };
}

export interface InProcess {
  spawn: SpawnWorker;
  /** Every worker started so far (a restart adds one). */
  started: number;
  terminated: number;
  /** The newest worker stops answering (as one stuck in a loop): its messages are dropped. */
  hang(): void;
}

export function inProcessWorker(over: Partial<WorkerDeps> = {}): InProcess {
  const info: InProcess = {
    started: 0,
    terminated: 0,
    hang: () => {},
    spawn: (onMessage) => {
      info.started++;
      let alive = true;
      let answers = true;
      info.hang = () => void (answers = false);
      const core = createWorkerCore(
        nodeWorkerDeps((msg: FromWorker, transfer) => {
          const copy = structuredClone(msg, { transfer: transfer as Transferable[] });
          setImmediate(() => alive && answers && onMessage(copy));
        }, over),
      );
      return {
        post(msg: ToWorker, transfer) {
          const copy = structuredClone(msg, { transfer });
          setImmediate(() => alive && void core.handle(copy));
        },
        terminate() {
          alive = false;
          info.terminated++;
        },
      };
    },
  };
  return info;
}

/**
 * Wait until `check` holds, giving the message loop a turn between tries, for at least `turns`
 * turns and `ms` of wall time (the first plugin load imports the sandbox's code, which takes a
 * while on a busy machine).
 */
export async function until(
  check: () => boolean,
  what = 'the condition',
  turns = 20_000,
  ms = 20_000,
): Promise<void> {
  const start = Date.now();
  for (let i = 0; i < turns || Date.now() - start < ms; i++) {
    if (check()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}
