// A WorkerLink the test drives by hand: it records what the stores send and lets the test
// answer requests and emit worker messages.
import type {
  RequestMessage,
  RestartCause,
  RestartListener,
  WorkerLink,
  WorkerReply,
} from '../../../../renderer/worker/client';
import type { FromWorker, ToWorker, WirePlugin } from '../../../../renderer/worker/protocol';
import type { MemoryBudget } from '../../../../core/graph/budget';

interface Waiting {
  msg: RequestMessage;
  resolve(r: WorkerReply): void;
  reject(e: Error): void;
}

export class FakeWorker implements WorkerLink {
  sent: ToWorker[] = [];
  plugins: WirePlugin[] | null = null;
  waiting: Waiting[] = [];
  stopAnswer: 'answered' | 'terminated' = 'answered';
  private ids = 0;
  private listeners = new Set<(m: FromWorker) => void>();
  private restartListeners = new Set<RestartListener>();

  post(msg: ToWorker): void {
    this.sent.push(msg);
  }

  subscribe(l: (m: FromWorker) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  nextId(): number {
    return ++this.ids;
  }

  request(msg: RequestMessage): Promise<WorkerReply> {
    this.sent.push(msg);
    return new Promise((resolve, reject) => this.waiting.push({ msg, resolve, reject }));
  }

  setPlugins(plugins: WirePlugin[]): void {
    this.plugins = plugins;
  }

  /** The CSV files the stores gave the worker (setDataFile), also recorded in `sent`. */
  dataFiles: Record<string, string> = {};

  setDataFile(key: string, text: string | null): void {
    if (text === null) delete this.dataFiles[key];
    else this.dataFiles[key] = text;
    this.sent.push({ type: 'dataFile', key, text });
  }

  async stop(): Promise<'answered' | 'terminated'> {
    this.sent.push({ type: 'stop' });
    if (this.stopAnswer === 'terminated') this.restart('the worker did not stop and was ended');
    return this.stopAnswer;
  }

  onRestart(l: RestartListener): () => void {
    this.restartListeners.add(l);
    return () => this.restartListeners.delete(l);
  }

  /** The step limit the stores set (setStepTimeout), in ms. */
  stepTimeoutMs = 0;

  setStepTimeout(ms: number): void {
    this.stepTimeoutMs = ms;
  }

  /** The memory budget the stores set (setMemoryBudget). */
  budget: MemoryBudget | null = null;

  setMemoryBudget(budget: MemoryBudget): void {
    this.budget = budget;
  }

  dispose(): void {}

  emit(msg: FromWorker): void {
    for (const l of this.listeners) l(msg);
  }

  /** Workers started (a restart adds one). */
  starts = 1;

  restart(reason: string, cause: RestartCause = { kind: 'stop' }): void {
    this.starts++;
    for (const l of this.restartListeners) l(reason, cause);
  }

  /** Answer the oldest open request of this type. */
  answer(
    type: RequestMessage['type'],
    reply: (msg: RequestMessage) => WorkerReply,
  ): RequestMessage {
    const i = this.waiting.findIndex((w) => w.msg.type === type);
    if (i < 0) throw new Error(`no open ${type} request`);
    const [w] = this.waiting.splice(i, 1);
    w.resolve(reply(w.msg));
    return w.msg;
  }

  sentOf<T extends ToWorker['type']>(type: T): Extract<ToWorker, { type: T }>[] {
    return this.sent.filter((m): m is Extract<ToWorker, { type: T }> => m.type === type);
  }
}
