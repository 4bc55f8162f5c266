// The UI thread's side of the training worker: typed messages, requests answered by id, and the
// watchdogs that end a worker stuck in a plugin's endless loop and start a fresh one.
import type { PluginStatus } from './protocol-types';
import type { FromWorker, ToWorker, WirePlugin } from './protocol';

export interface WorkerPort {
  post(msg: ToWorker, transfer: Transferable[]): void;
  terminate(): void;
}

/** Starts a worker whose messages go to `onMessage`; `onError` gets a worker that failed. */
export type SpawnWorker = (
  onMessage: (msg: FromWorker) => void,
  onError: (message: string) => void,
) => WorkerPort;

export type RequestMessage = Extract<ToWorker, { id: number }>;
/** A reply to a request: the message from the worker that carries the request's id. */
export type WorkerReply =
  | Extract<
      FromWorker,
      { type: 'compiled' | 'compileError' | 'memory' | 'exported' | 'exportedFolder' }
    >
  | (Extract<FromWorker, { type: 'weights' }> & { id: number })
  | (Extract<FromWorker, { type: 'error' }> & { id: number });

/** The worker was ended (stuck, or replaced) before it answered. */
export class WorkerEndedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WorkerEndedError';
  }
}

/** What the stores need of the worker; tests give them a fake or an in-process one. */
export interface WorkerLink {
  post(msg: ToWorker, transfer?: Transferable[]): void;
  /** Every message from the worker. Returns an unsubscribe function. */
  subscribe(listener: (msg: FromWorker) => void): () => void;
  nextId(): number;
  /** Send a request (its `id` from nextId()) and resolve with the reply that carries that id. */
  request(msg: RequestMessage, transfer?: Transferable[]): Promise<WorkerReply>;
  /** Replace the worker's plugin files; they are sent again to a restarted worker. */
  setPlugins(plugins: WirePlugin[]): void;
  /**
   * Stop the training run. 'answered' when the worker confirmed; 'terminated' when it did not
   * answer in time and was ended and replaced (the network in the UI is untouched).
   */
  stop(): Promise<'answered' | 'terminated'>;
  /** Called after the worker was ended and a new one started, with the reason. */
  onRestart(listener: (reason: string) => void): () => void;
  dispose(): void;
}

export interface WorkerClientOptions {
  spawn?: SpawnWorker;
  /**
   * How long stop() waits for the worker to confirm before ending it. Default 600 ms: a worker
   * that answers does so within one training slice (20 ms); one stuck in a plugin loop is ended
   * and replaced well within a second.
   */
  stopTimeoutMs?: number;
  /** How long one plugin file may take to load and gradient-check. Default 5000 ms. */
  pluginTimeoutMs?: number;
  /** How long a request may wait for its answer. Default 10000 ms. */
  requestTimeoutMs?: number;
}

export const spawnBrowserWorker: SpawnWorker = (onMessage, onError) => {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    onError(e.message || 'the training worker could not start');
  };
  return {
    post: (msg, transfer) => worker.postMessage(msg, transfer),
    terminate: () => worker.terminate(),
  };
};

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const REPLY_TYPES = new Set([
  'compiled',
  'compileError',
  'memory',
  'weights',
  'exported',
  'exportedFolder',
  'error',
]);

/**
 * @example const worker = new WorkerClient(); worker.post({ type: 'pause' });
 */
export class WorkerClient implements WorkerLink {
  private port!: WorkerPort;
  private generation = 0;
  private ids = 0;
  private readonly listeners = new Set<(msg: FromWorker) => void>();
  private readonly restartListeners = new Set<(reason: string) => void>();
  private readonly pending = new Map<number, Pending>();
  private plugins: WirePlugin[] = [];
  /** Plugin files that hung while loading, with the source that hung. */
  private readonly hung = new Map<string, string>();
  private loadingFile: string | null = null;
  private pluginTimer: ReturnType<typeof setTimeout> | null = null;
  private stopWaiters: ((answered: boolean) => void)[] = [];
  private readonly o: Required<WorkerClientOptions>;

  constructor(o: WorkerClientOptions = {}) {
    this.o = {
      spawn: o.spawn ?? spawnBrowserWorker,
      stopTimeoutMs: o.stopTimeoutMs ?? 600,
      pluginTimeoutMs: o.pluginTimeoutMs ?? 5000,
      requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
    };
    this.start();
  }

  post(msg: ToWorker, transfer: Transferable[] = []): void {
    this.port.post(msg, transfer);
  }

  subscribe(listener: (msg: FromWorker) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRestart(listener: (reason: string) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  nextId(): number {
    return ++this.ids;
  }

  request(msg: RequestMessage, transfer: Transferable[] = []): Promise<WorkerReply> {
    return new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.restart(
          `the training worker did not answer within ${seconds(this.o.requestTimeoutMs)} ` +
            `(${msg.type}); a plugin may be stuck in an endless loop, so it was ended and started again`,
        );
      }, this.o.requestTimeoutMs);
      this.pending.set(msg.id, { resolve, reject, timer });
      this.post(msg, transfer);
    });
  }

  setPlugins(plugins: WirePlugin[]): void {
    this.plugins = plugins.map((p) => ({ file: p.file, source: p.source }));
    // A file that hung is tried again once its text changes.
    for (const [file, source] of this.hung) {
      if (this.plugins.find((p) => p.file === file)?.source !== source) this.hung.delete(file);
    }
    this.sendPlugins();
  }

  stop(): Promise<'answered' | 'terminated'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stopWaiters = this.stopWaiters.filter((w) => w !== waiter);
        this.restart(
          `the training worker did not stop within ${seconds(this.o.stopTimeoutMs)}, so it was ended ` +
            '(a plugin may be stuck in an endless loop); the network is unchanged',
        );
        resolve('terminated');
      }, this.o.stopTimeoutMs);
      const waiter = (answered: boolean) => {
        clearTimeout(timer);
        resolve(answered ? 'answered' : 'terminated');
      };
      this.stopWaiters.push(waiter);
      this.post({ type: 'stop' });
    });
  }

  dispose(): void {
    this.clearPluginTimer();
    this.port.terminate();
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.listeners.clear();
  }

  private start(): void {
    const generation = ++this.generation;
    // Messages from a worker that has since been replaced are dropped.
    this.port = this.o.spawn(
      (msg) => generation === this.generation && this.receive(msg),
      (message) =>
        generation === this.generation &&
        this.emit({
          type: 'error',
          error: { code: 'OP', message: `the training worker failed: ${message}`, place: {} },
        }),
    );
  }

  private restart(reason: string): void {
    this.clearPluginTimer();
    if (this.loadingFile !== null) {
      const file = this.loadingFile;
      this.hung.set(file, this.plugins.find((p) => p.file === file)?.source ?? '');
      this.loadingFile = null;
    }
    this.port.terminate();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new WorkerEndedError(reason));
      this.pending.delete(id);
    }
    const waiters = this.stopWaiters.splice(0);
    this.start();
    for (const w of waiters) w(false);
    if (this.plugins.length) this.sendPlugins();
    for (const l of this.restartListeners) l(reason);
  }

  private sendPlugins(): void {
    const usable = this.plugins.filter((p) => !this.hung.has(p.file));
    this.loadingFile = null;
    this.armPluginTimer();
    this.post({ type: 'plugins', plugins: usable });
  }

  private armPluginTimer(): void {
    this.clearPluginTimer();
    this.pluginTimer = setTimeout(() => {
      const file = this.loadingFile ?? 'a plugin';
      this.restart(
        `${file} did not finish loading within ${seconds(this.o.pluginTimeoutMs)}; ` +
          'the worker was ended and started again without it',
      );
    }, this.o.pluginTimeoutMs);
  }

  private clearPluginTimer(): void {
    if (this.pluginTimer !== null) clearTimeout(this.pluginTimer);
    this.pluginTimer = null;
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'pluginLoading':
        this.loadingFile = msg.file;
        this.armPluginTimer();
        break;
      case 'plugins':
        this.loadingFile = null;
        this.clearPluginTimer();
        msg = { type: 'plugins', statuses: [...msg.statuses, ...this.hungStatuses()] };
        break;
      case 'state':
        if (msg.state !== 'running' && msg.state !== 'paused') {
          for (const w of this.stopWaiters.splice(0)) w(true);
        }
        break;
    }
    if (REPLY_TYPES.has(msg.type) && 'id' in msg && typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(msg.id);
        p.resolve(msg as WorkerReply);
      }
    }
    this.emit(msg);
  }

  private hungStatuses(): PluginStatus[] {
    return [...this.hung.keys()]
      .filter((file) => this.plugins.some((p) => p.file === file))
      .map((file) => ({
        file,
        ok: false,
        error: {
          message: `${file}: did not finish loading within ${seconds(this.o.pluginTimeoutMs)} (an endless loop in build, forward or backward?), so it is not loaded`,
          phase: 'load',
        },
        layers: [],
      }));
  }

  private emit(msg: FromWorker): void {
    for (const l of this.listeners) l(msg);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
