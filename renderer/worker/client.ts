// The UI thread's side of the training worker: typed messages, requests answered by id, and the
// watchdogs that end a worker stuck too long in one thing (a plugin's endless loop, a step of a
// network too big) and start a fresh one, and notice at once a worker that died.
import type { MemoryBudget } from '../../core/graph/budget';
import { DEFAULT_STEP_TIMEOUT_MS, Watchdog, seconds } from '../../core/util/activity';
import { type HungPluginMemory, sourceFingerprint } from './hung-plugins';
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
      {
        type:
          | 'compiled'
          | 'compileError'
          | 'memory'
          | 'exported'
          | 'exportedFolder'
          | 'trainedChecked'
          | 'pluginTypes'
          | 'pluginChecked';
      }
    >
  | (Extract<FromWorker, { type: 'weights' | 'trained' }> & { id: number })
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
  /**
   * How many workers have been started (a restart adds one): what a worker held (weight sets)
   * is gone when this changes.
   */
  readonly starts: number;
  /** Send a request (its `id` from nextId()) and resolve with the reply that carries that id. */
  request(msg: RequestMessage, transfer?: Transferable[]): Promise<WorkerReply>;
  /** Replace the worker's plugin files; they are sent again to a restarted worker. */
  setPlugins(plugins: WirePlugin[]): void;
  /**
   * Give the worker a CSV file's text under its key (null: forget it). Sent once; a restarted
   * worker gets every kept file again before any other message.
   */
  setDataFile(key: string, text: string | null): void;
  /**
   * Stop the training run. 'answered' when the worker confirmed; 'terminated' when it did not
   * answer in time and was ended and replaced (the network in the UI is untouched).
   */
  stop(): Promise<'answered' | 'terminated'>;
  /** Called after the worker was ended and a new one started, with the reason and its cause. */
  onRestart(listener: RestartListener): () => void;
  /**
   * The time limit of one training step, one plugin call or load, one Lab view: past it the
   * worker is ended and started again, with a message naming what hung.
   */
  setStepTimeout(ms: number): void;
  /** The memory budget of the worker's checks, kept for every worker started later. */
  setMemoryBudget(budget: MemoryBudget): void;
  dispose(): void;
}

/**
 * Why a worker was ended: Stop was not answered in time, something ran past the time limit (with
 * the node, when a plugin's call hung), a request got no answer, a plugin file hung while
 * loading, or the worker died.
 */
export interface RestartCause {
  kind: 'stop' | 'hang' | 'unanswered' | 'plugin' | 'dead';
  node?: string;
  plugin?: string;
}

export type RestartListener = (reason: string, cause: RestartCause) => void;

/** The default time limit of a step (see setStepTimeout). */
export { DEFAULT_STEP_TIMEOUT_MS };

export interface WorkerClientOptions {
  spawn?: SpawnWorker;
  /**
   * How long stop() waits for the worker to confirm before ending it. Default 600 ms: a worker
   * that answers does so within one training slice (20 ms); one stuck in a plugin loop is ended
   * and replaced well within a second.
   */
  stopTimeoutMs?: number;
  /**
   * How long one step, plugin call, plugin load or Lab view may take (setStepTimeout changes it).
   * Default 5000 ms.
   */
  stepTimeoutMs?: number;
  /** How long one plugin file may take to load and gradient-check. Default: the step limit. */
  pluginTimeoutMs?: number;
  /** How long a request may wait for its answer. Default 10000 ms, or twice the step limit. */
  requestTimeoutMs?: number;
  /** How often the watchdog looks. Default 200 ms. */
  watchMs?: number;
  /** Web Locks, to hear at once that a worker died (navigator.locks where there is one). */
  locks?: { request(name: string, cb: () => void): Promise<unknown> } | null;
  now?: () => number;
  /**
   * Where the files that hung while loading are remembered between starts, so that a file stuck
   * at load does not hold up every start (renderer/worker/hung-plugins.ts). Default: this
   * session only.
   */
  hungPlugins?: HungPluginMemory | null;
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
  'trained',
  'trainedChecked',
  'pluginChecked',
  'exported',
  'exportedFolder',
  'pluginTypes',
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
  private readonly restartListeners = new Set<RestartListener>();
  private readonly pending = new Map<number, Pending>();
  private plugins: WirePlugin[] = [];
  /** Plugin files that hung while loading, with the fingerprint of the text that hung. */
  private readonly hung = new Map<string, string>();
  /** Of those, the ones that hung before this start of the app (remembered, not tried now). */
  private readonly hungEarlier = new Set<string>();
  private loadingFile: string | null = null;
  private pluginTimer: ReturnType<typeof setTimeout> | null = null;
  private stopWaiters: ((answered: boolean) => void)[] = [];
  private readonly o: Required<Omit<WorkerClientOptions, 'stepTimeoutMs' | 'hungPlugins'>>;
  private readonly hungMemory: HungPluginMemory | null;
  private stepTimeoutMs: number;
  /** The worker's activity cells (shared memory) and the texts of their labels. */
  private watchdog = new Watchdog();
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  /** Without shared memory: when the worker last said anything while a run was on. */
  private runningSince: number | null = null;
  private lastHeard = 0;
  private lastProgress: { epoch: number; steps: number } | null = null;
  /** A Lab view asked for and not answered yet: its seq and when it was asked. */
  private pendingInspect: { seq: number; at: number } | null = null;
  private disposed = false;
  private budget: MemoryBudget | null = null;
  /** The CSV files the worker holds (setDataFile), to give a restarted worker. */
  private readonly dataFiles = new Map<string, string>();

  constructor(o: WorkerClientOptions = {}) {
    this.stepTimeoutMs = o.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const g = globalThis as { navigator?: { locks?: WorkerClientOptions['locks'] } };
    this.o = {
      spawn: o.spawn ?? spawnBrowserWorker,
      stopTimeoutMs: o.stopTimeoutMs ?? 600,
      pluginTimeoutMs: o.pluginTimeoutMs ?? 0,
      requestTimeoutMs: o.requestTimeoutMs ?? 0,
      watchMs: o.watchMs ?? 200,
      locks: o.locks === undefined ? (g.navigator?.locks ?? null) : o.locks,
      now: o.now ?? (() => Date.now()),
    };
    this.hungMemory = o.hungPlugins ?? null;
    for (const [file, key] of Object.entries(this.hungMemory?.load() ?? {})) {
      this.hung.set(file, key);
      this.hungEarlier.add(file);
    }
    this.start();
  }

  /** One plugin file's load: the given limit, or the step limit. */
  private get pluginTimeoutMs(): number {
    return this.o.pluginTimeoutMs || this.stepTimeoutMs;
  }

  private get requestTimeoutMs(): number {
    return this.o.requestTimeoutMs || Math.max(10_000, 2 * this.stepTimeoutMs);
  }

  get starts(): number {
    return this.generation;
  }

  setDataFile(key: string, text: string | null): void {
    if (text === null) this.dataFiles.delete(key);
    else this.dataFiles.set(key, text);
    this.port.post({ type: 'dataFile', key, text }, []);
  }

  setMemoryBudget(budget: MemoryBudget): void {
    this.budget = { ...budget };
    this.port.post({ type: 'budget', budget: this.budget }, []);
  }

  setStepTimeout(ms: number): void {
    if (!(ms > 0)) throw new Error(`a step time limit must be positive, got ${ms}`);
    this.stepTimeoutMs = ms;
    this.watchdog.reset(this.o.now());
    this.lastHeard = this.o.now();
  }

  post(msg: ToWorker, transfer: Transferable[] = []): void {
    if (msg.type === 'inspect')
      this.pendingInspect = msg.request ? { seq: msg.seq, at: this.o.now() } : null;
    this.port.post(msg, transfer);
  }

  subscribe(listener: (msg: FromWorker) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRestart(listener: RestartListener): () => void {
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
          `the training worker did not answer within ${seconds(this.requestTimeoutMs)} ` +
            `(${msg.type}), so it was ended and started again`,
          { kind: 'unanswered' },
        );
      }, this.requestTimeoutMs);
      this.pending.set(msg.id, { resolve, reject, timer });
      this.post(msg, transfer);
    });
  }

  setPlugins(plugins: WirePlugin[]): void {
    this.plugins = plugins.map((p) => ({ file: p.file, source: p.source }));
    // A file that hung is tried again once its text changes; one that is gone is forgotten.
    let forgot = false;
    for (const [file, key] of this.hung) {
      const p = this.plugins.find((q) => q.file === file);
      if (p && sourceFingerprint(p.source) === key) continue;
      this.hung.delete(file);
      this.hungEarlier.delete(file);
      forgot = true;
    }
    if (forgot) this.saveHung();
    this.sendPlugins();
  }

  stop(): Promise<'answered' | 'terminated'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stopWaiters = this.stopWaiters.filter((w) => w !== waiter);
        const busy = this.busyWith();
        this.restart(
          `the training worker did not stop within ${seconds(this.o.stopTimeoutMs)}` +
            `${busy ? ` (it was busy with ${busy})` : ''}, so it was ended; the network and its last weights are kept`,
          { kind: 'stop' },
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
    this.disposed = true;
    this.clearPluginTimer();
    if (this.watchTimer !== null) clearInterval(this.watchTimer);
    this.watchTimer = null;
    this.port.terminate();
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.listeners.clear();
  }

  private start(): void {
    const generation = ++this.generation;
    this.watchdog = new Watchdog();
    this.runningSince = null;
    this.pendingInspect = null;
    this.lastHeard = this.o.now();
    if (this.watchTimer === null && !this.disposed)
      this.watchTimer = setInterval(() => this.look(), this.o.watchMs);
    // Messages from a worker that has since been replaced are dropped.
    this.port = this.o.spawn(
      (msg) => generation === this.generation && this.receive(msg, generation),
      (message) =>
        generation === this.generation &&
        this.emit({
          type: 'error',
          error: { code: 'OP', message: `the training worker failed: ${message}`, place: {} },
        }),
    );
    // A new worker checks against the same budget as the one before it.
    if (this.budget) this.port.post({ type: 'budget', budget: this.budget }, []);
    // And holds the data files the one before it held: they are not sent with each message.
    for (const [key, text] of this.dataFiles) this.port.post({ type: 'dataFile', key, text }, []);
  }

  /**
   * The watchdog's round: a worker stuck on one thing past the limit (read from its activity
   * cells), or, without shared memory, a running worker silent past the limit, or a Lab view
   * unanswered past the limit, is ended and started again.
   */
  private look(): void {
    const now = this.o.now();
    const limit = this.stepTimeoutMs;
    if (this.watchdog.watching) {
      const hung = this.watchdog.hang(now, limit);
      if (hung) {
        const { message, ...place } = hung;
        this.restart(`${message}, so the training worker was ended and started again${KEPT}`, {
          kind: 'hang',
          ...place,
        });
      }
      return;
    }
    if (this.runningSince !== null && now - this.lastHeard > limit) {
      const at = this.lastProgress
        ? ` (last heard at epoch ${this.lastProgress.epoch}, step ${this.lastProgress.steps})`
        : '';
      this.restart(
        `the training worker sent nothing for ${seconds(limit)} while training${at}: a step did not finish within the time limit, so the worker was ended and started again${KEPT}`,
        { kind: 'hang' },
      );
      return;
    }
    if (this.pendingInspect && now - this.pendingInspect.at > limit) {
      this.restart(
        `the Lab view did not finish within ${seconds(limit)}, so the training worker was ended and started again${KEPT}`,
        { kind: 'hang' },
      );
    }
  }

  /** What the worker is doing, when its activity cells say. */
  private busyWith(): string | null {
    return this.watchdog.busyWith();
  }

  private restart(reason: string, cause: RestartCause): void {
    this.clearPluginTimer();
    if (this.loadingFile !== null) {
      const file = this.loadingFile;
      this.hung.set(
        file,
        sourceFingerprint(this.plugins.find((p) => p.file === file)?.source ?? ''),
      );
      this.hungEarlier.delete(file);
      this.loadingFile = null;
      this.saveHung();
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
    for (const l of this.restartListeners) l(reason, cause);
  }

  private saveHung(): void {
    this.hungMemory?.save(Object.fromEntries(this.hung));
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
      const busy = this.busyWith();
      this.restart(
        `${file} did not finish loading within ${seconds(this.pluginTimeoutMs)}` +
          `${busy && busy.includes('from plugin') ? ` (in ${busy})` : ''}; ` +
          'the worker was ended and started again without it',
        { kind: 'plugin', plugin: file },
      );
    }, this.pluginTimeoutMs);
  }

  private clearPluginTimer(): void {
    if (this.pluginTimer !== null) clearTimeout(this.pluginTimer);
    this.pluginTimer = null;
  }

  private receive(msg: FromWorker, generation: number): void {
    this.lastHeard = this.o.now();
    switch (msg.type) {
      case 'activity':
        if (typeof SharedArrayBuffer !== 'undefined' && msg.cells instanceof SharedArrayBuffer)
          this.watchdog.watchCells(new Int32Array(msg.cells));
        return;
      case 'activityLabel':
        this.watchdog.label(msg.id, msg.text);
        return;
      case 'alive':
        // Granted when the worker's lock is released: the worker is gone. Ignored if we ended it.
        void this.o.locks?.request(msg.lock, () => {
          if (generation !== this.generation || this.disposed) return;
          this.restart(
            `the training worker stopped unexpectedly (it may have run out of memory), so a new one was started${KEPT}`,
            { kind: 'dead' },
          );
        });
        return;
      case 'progress':
        this.lastProgress = { epoch: msg.progress.epoch, steps: msg.progress.steps };
        break;
      case 'inspection':
        if (this.pendingInspect && msg.seq >= this.pendingInspect.seq) this.pendingInspect = null;
        break;
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
        this.runningSince = msg.state === 'running' ? this.o.now() : null;
        if (msg.state !== 'running' && msg.state !== 'paused') {
          this.lastProgress = null;
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
          message: this.hungEarlier.has(file)
            ? `${file}: did not finish loading (within the time limit) when the app tried it before (an endless loop in build, forward or backward?), so it is not tried again until it changes`
            : `${file}: did not finish loading within ${seconds(this.pluginTimeoutMs)} (an endless loop in build, forward or backward?), so it is not loaded`,
          phase: 'load',
        },
        layers: [],
      }));
  }

  private emit(msg: FromWorker): void {
    for (const l of this.listeners) l(msg);
  }
}

/** How every restart ends: what the user still has. */
const KEPT = '; the network and its last weights are kept';
