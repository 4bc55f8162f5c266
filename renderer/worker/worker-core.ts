// The training worker's message handling, free of the Worker global so that unit tests drive it
// directly: plugins, compiling for the builder, training with pause/step/stop, weights, memory.
import { BUILTIN_FILES } from '../../core/data/builtin';
import type { DataHost } from '../../core/data/resolve';
import { registryLayers } from '../../core/graph/checker';
import { compileProject } from '../../core/graph/compile';
import { parseProject } from '../../core/graph/parse';
import type { Project } from '../../core/graph/schema';
import { matchWeights } from '../../core/io/match-weights';
import { Model } from '../../core/model/model';
import { DEFAULT_KERNEL_MODE, setKernelMode } from '../../core/ops/kernels/wasm-kernel';
import { type EvaluateModule, PluginCatalog } from '../../core/plugins/catalog';
import { pluginLayerTypes } from '../../core/plugins/layer-types';
import { setMemoryBudget } from '../../core/graph/budget';
import { prepareTraining } from '../../core/project/prepare';
import { restoreTrainer, snapshotTrainer } from '../../core/train/trainer-state';
import { TrainingRunner } from '../../core/train/runner';
import type { EpochStats, Trainer } from '../../core/train/trainer';
import type { Activity } from '../../core/util/activity';
import { createDataFitCheck } from './data-fit-check';
import { DataFiles } from './data-files';
import { HeldWeights } from './held-weights';
import { handleExport, handleExportFolder } from './export-handler';
import { createInspectHandler } from './inspect-handler';
import { inferShapes, summarize } from '../shapes/infer-shapes';
import type { FromWorker, ToWorker, WirePlugin } from './protocol';
import type { RunState } from './protocol-types';
import {
  fromWireTensors,
  readSavedRun,
  savedRunOf,
  toWireError,
  toWireTensors,
  transferList,
} from './wire';

export interface WorkerDeps {
  post(msg: FromWorker, transfer?: Transferable[]): void;
  /** Evaluates a plugin's JavaScript as an ES module (a Blob URL import in the worker). */
  evaluate: EvaluateModule;
  /** The text of a data file shipped with the app (iris.csv, digits.csv). */
  readDataFile(name: string): Promise<string>;
  /** Lets queued messages (pause, stop) in between slices of training. */
  yieldToHost(): Promise<void>;
  now?: () => number;
  /** Least time between progress messages while running. Default 50 ms (at most 20 a second). */
  progressMs?: number;
  sliceMs?: number;
  /** Least time between weight snapshots at epoch ends. Default 250 ms. */
  weightsMs?: number;
  /**
   * Told what runs (a plugin's forward, a training step, a Lab view), for the watchdog on the
   * UI thread that ends a worker stuck in one of them (client.ts).
   */
  activity?: Activity;
  /** The timer a paced run waits with between steps. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Least time between saved-run snapshots ('trained') while running. Default 2000 ms. */
  trainedMs?: number;
}

interface Run {
  runner: TrainingRunner | null;
  trainer: Trainer | null;
  stopRequested: boolean;
  /** pause / resume / step that came while the run was being prepared, applied once it runs. */
  queued: ('pause' | 'resume' | 'step')[];
  done: Promise<void>;
}

const ENDED: RunState[] = ['stopped', 'finished', 'failed'];

export interface WorkerCore {
  /** Handle one message. Resolves once it is dealt with; a training run goes on after that. */
  handle(msg: ToWorker): Promise<void>;
  /** Resolves when the current run (if any) has ended. */
  runDone(): Promise<void>;
}

export function createWorkerCore(deps: WorkerDeps): WorkerCore {
  const now = deps.now ?? (() => performance.now());
  const activity = deps.activity;
  const watched = <T>(what: string, fn: () => T): T => (activity ? activity.run(what, fn) : fn());
  const catalog = new PluginCatalog(deps.evaluate, { activity });
  const loaded = new Map<string, string>();
  /** Shipped data files (iris.csv …), read once. */
  const shippedFiles = new Map<string, string>();
  /** The CSV files the UI sent ('dataFile'). */
  const userFiles = new DataFiles();
  /** Weight sets named by key: the snapshots sent, the sets the UI gave ('holdWeights'). */
  const held = new HeldWeights();
  const heldWeights = (key: string) => held.get(key);
  let pluginsReady: Promise<void> = Promise.resolve();
  let run: Run | null = null;
  let lastState: RunState = 'idle';
  let last: Trainer | null = null;
  /** Steps a second runs train at (null: full speed); the UI's speed control sets it. */
  let speed: number | null = null;

  const post = deps.post;
  // The Lab views: their data from the current project, with the run's weights while it trains.
  const inspector = createInspectHandler({
    post,
    registry: async () => {
      await pluginsReady;
      return catalog.registry();
    },
    dataHost,
    dataStamp: (project) => userFiles.stamp(project),
    trainer: () => run?.trainer ?? last,
    heldWeights,
    now,
    activity,
  });
  // The canvas's neuron maps: the same machinery, a request and a workbench of their own.
  const mapper = createInspectHandler({
    post,
    registry: async () => {
      await pluginsReady;
      return catalog.registry();
    },
    dataHost,
    dataStamp: (project) => userFiles.stamp(project),
    trainer: () => run?.trainer ?? last,
    heldWeights,
    now,
    activity,
    answer: 'neuronMaps',
  });
  /** Refresh the live views (the Lab's and the canvas's), at once with `force`. */
  const tickViews = (force: boolean) => {
    inspector.tick(force);
    mapper.tick(force);
  };

  async function setPlugins(list: WirePlugin[]): Promise<void> {
    const want = new Map(list.map((p) => [p.file, p.source]));
    let removed = false;
    for (const file of [...loaded.keys()]) {
      if (want.has(file)) continue;
      catalog.remove(file);
      loaded.delete(file);
      removed = true;
    }
    const changed = list.filter((p) => loaded.get(p.file) !== p.source);
    for (const p of changed) {
      post({ type: 'pluginLoading', file: p.file });
      await catalog.load(p.file, p.source);
      loaded.set(p.file, p.source);
    }
    // A clash may be gone now that the other file changed or left: try those files again.
    if (removed || changed.length) {
      const again = new Set(changed.map((p) => p.file));
      for (const s of catalog.statuses()) {
        if (s.ok || again.has(s.file) || s.error?.field !== 'type') continue;
        post({ type: 'pluginLoading', file: s.file });
        await catalog.load(s.file, loaded.get(s.file)!);
      }
    }
    const order = list.map((p) => p.file);
    const statuses = catalog
      .statuses()
      .sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file));
    post({ type: 'plugins', statuses });
  }

  async function compile(id: number, input: ToWorker & { type: 'compile' }): Promise<void> {
    await pluginsReady;
    const registry = catalog.registry();
    const project = input.project;
    const inference = watched('checking the network', () =>
      inferShapes(project, registryLayers(registry)),
    );
    // The shapes of every node that has one, even when the project does not compile.
    let summary = summarize(inference);
    try {
      const parsed = parseProject(project);
      const graph = watched('checking the network', () => compileProject(parsed, registry));
      summary = summarize(inference, graph.warnings);
      for (const n of graph.nodes) {
        for (const [w, spec] of Object.entries(n.weights))
          summary.weightShapes[`${n.id}.${w}`] = spec.shape.slice();
      }
      await fitCheck(parsed, graph, userFiles.stamp(parsed));
      summary.ok = true;
      post({ type: 'compiled', id, summary });
    } catch (e) {
      post({ type: 'compileError', id, error: toWireError(e), summary });
    }
  }

  const fitCheck = createDataFitCheck(dataHost);

  /** Shipped data files are read once, before training, since core reads them synchronously. */
  async function dataHost(project: Project): Promise<DataHost> {
    const source = project.data.source;
    const name = source?.startsWith('builtin:') ? source.slice('builtin:'.length) : '';
    if (Object.hasOwn(BUILTIN_FILES, name)) {
      const file = BUILTIN_FILES[name as keyof typeof BUILTIN_FILES];
      if (!shippedFiles.has(file)) shippedFiles.set(file, await deps.readDataFile(file));
    }
    return {
      readDataFile(file) {
        const text = shippedFiles.get(file);
        if (text === undefined) throw new Error(`${file} is not shipped with the app`);
        return text;
      },
      readUserFile: (path) => userFiles.read(path),
    };
  }

  async function stopRun(): Promise<void> {
    const r = run;
    if (!r) return;
    r.stopRequested = true;
    r.runner?.stop();
    await r.done;
  }

  async function train(msg: ToWorker & { type: 'train' }): Promise<void> {
    const previous = run;
    let finish!: () => void;
    const r: Run = {
      runner: null,
      trainer: null,
      stopRequested: false,
      queued: [],
      done: new Promise((res) => (finish = res)),
    };
    // The new run is current at once, so that pause or step sent right after it apply to it.
    run = r;
    if (previous) {
      previous.stopRequested = true;
      previous.runner?.stop();
      await previous.done;
    }
    const end = (state: RunState, error?: unknown) => {
      lastState = state;
      post(
        error === undefined
          ? { type: 'state', state }
          : { type: 'state', state, error: toWireError(error) },
      );
      if (run === r) run = null;
      finish();
    };
    setKernelMode(msg.kernel ?? DEFAULT_KERNEL_MODE);
    let trainer: Trainer;
    try {
      await pluginsReady;
      const project = parseProject(msg.project);
      const registry = catalog.registry();
      const host = await dataHost(project);
      trainer = watched('preparing the training', () => {
        let model: Model | undefined;
        if (msg.weights) {
          model = new Model(compileProject(project, registry), project.training.seed);
          let given = held.get(msg.weights);
          let want = model.weightShapes();
          if (msg.weightsWhereTheyFit) {
            given = fitting(given, want);
            want = Object.fromEntries(Object.keys(given).map((k) => [k, want[k]]));
          }
          matchWeights(want, given);
          model.importWeights(given);
        }
        const t = prepareTraining(project, { registry, host, model }).trainer;
        if (msg.resume) restoreTrainer(t, readSavedRun(msg.resume));
        return t;
      });
    } catch (e) {
      end('failed', e);
      return;
    }
    if (r.stopRequested) {
      end('stopped');
      return;
    }
    r.trainer = last = trainer;
    const pending: EpochStats[] = [];
    let weightsAt = -Infinity;
    const weightsMs = deps.weightsMs ?? 250;
    const flush = () => {
      if (pending.length) post({ type: 'epochs', stats: pending.splice(0) });
    };
    const sendWeights = (id?: number) => postWeights(trainer, id);
    // A run between two batches is a consistent state to save: at most every trainedMs while it
    // runs, and whenever it pauses or ends well (a failed batch leaves no state worth resuming).
    // The snapshot grows with the history: its period grows with its cost, so that making it
    // never takes more than about 2 % of a long run's time.
    let trainedAt = now();
    let trainedEvery = deps.trainedMs ?? 2000;
    const sendTrained = () => {
      const t0 = now();
      postTrained(trainer);
      trainedAt = now();
      trainedEvery = Math.max(deps.trainedMs ?? 2000, 50 * (trainedAt - t0));
    };
    const runner = new TrainingRunner(
      trainer,
      {
        onEpoch(stats) {
          pending.push(stats);
          if (now() - weightsAt >= weightsMs) {
            flush();
            sendWeights();
            weightsAt = now();
          }
        },
        onProgress(progress) {
          flush();
          post({ type: 'progress', progress });
          // A paced run is watched step by step: every view follows every step.
          tickViews(progress.state !== 'running' || progress.stepsPerSecond !== null);
          // While paused, each Step moves the run on by one batch: keep that too.
          const due = progress.state === 'running' && now() - trainedAt >= trainedEvery;
          if (due || progress.state === 'paused') sendTrained();
        },
        onState(state, error) {
          flush();
          if (state === 'paused' || ENDED.includes(state)) sendWeights();
          if (state === 'paused' || state === 'stopped' || state === 'finished') sendTrained();
          lastState = state;
          post(
            state === 'failed'
              ? { type: 'state', state, error: toWireError(error) }
              : { type: 'state', state },
          );
          if (state === 'paused' || ENDED.includes(state)) tickViews(true);
        },
      },
      {
        yieldToHost: deps.yieldToHost,
        now,
        sliceMs: deps.sliceMs,
        progressMs: deps.progressMs ?? 50,
        activity,
        stepsPerSecond: speed,
        sleep: deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
      },
    );
    r.runner = runner;
    // run() enters its first state synchronously, so queued commands apply right after.
    void runner.run(msg.startPaused ?? false).finally(() => {
      if (run === r) run = null;
      finish();
    });
    for (const c of r.queued.splice(0)) command(c);
  }

  function setSpeed(stepsPerSecond: number | null): void {
    try {
      run?.runner?.setSpeed(stepsPerSecond);
      speed = stepsPerSecond;
    } catch (e) {
      post({ type: 'error', error: toWireError(e) });
    }
  }

  function command(c: 'pause' | 'resume' | 'step'): void {
    if (!run) return;
    if (!run.runner) run.queued.push(c);
    else run.runner[c]();
  }

  function postWeights(trainer: Trainer, id?: number): void {
    const key = held.keepSnapshot(trainer.model.weights);
    const tensors = toWireTensors(trainer.model.weights);
    const epoch = trainer.history.length;
    const at = trainer.position;
    post(
      {
        type: 'weights',
        ...(id === undefined ? {} : { id }),
        key,
        tensors,
        epoch,
        at,
        normalization: trainer.normalization,
      },
      transferList(tensors),
    );
  }

  function postTrained(trainer: Trainer, id?: number): void {
    const trained = savedRunOf(snapshotTrainer(trainer));
    post({ type: 'trained', ...(id === undefined ? {} : { id }), trained });
  }

  /** Build the project's trainer and put the saved run into it, to see whether it fits. */
  async function checkTrained(msg: ToWorker & { type: 'checkTrained' }): Promise<void> {
    await pluginsReady;
    let trainer: Trainer;
    try {
      const project = parseProject(msg.project);
      const host = await dataHost(project);
      trainer = prepareTraining(project, { registry: catalog.registry(), host }).trainer;
    } catch {
      // The network's own problems (or data not loaded yet) are shown where they are; the saved
      // run is checked again when it resumes.
      post({ type: 'trainedChecked', id: msg.id, checked: false });
      return;
    }
    try {
      restoreTrainer(trainer, readSavedRun(msg.trained));
      post({ type: 'trainedChecked', id: msg.id, checked: true });
    } catch (e) {
      post({ type: 'trainedChecked', id: msg.id, checked: true, error: toWireError(e) });
    }
  }

  async function measureMemory(msg: ToWorker & { type: 'measureMemory' }): Promise<void> {
    await pluginsReady;
    try {
      const project = parseProject(msg.project);
      const registry = catalog.registry();
      const host = await dataHost(project);
      const report = watched('measuring memory', () =>
        prepareTraining(project, { registry, host }).trainer.measureMemory(msg.batch),
      );
      post({ type: 'memory', id: msg.id, report });
    } catch (e) {
      post({ type: 'error', id: msg.id, error: toWireError(e) });
    }
  }

  async function handle(msg: ToWorker): Promise<void> {
    switch (msg.type) {
      case 'dataFile':
        userFiles.set(msg.key, msg.text);
        return;
      case 'holdWeights':
        held.keepGiven(msg.key, fromWireTensors(msg.tensors));
        return;
      case 'budget':
        try {
          setMemoryBudget(msg.budget);
        } catch (e) {
          post({ type: 'error', error: toWireError(e) });
        }
        return;
      case 'plugins': {
        const next = pluginsReady.then(() => setPlugins(msg.plugins));
        pluginsReady = next.catch(() => {});
        try {
          await next;
        } catch (e) {
          post({ type: 'error', error: toWireError(e) });
        }
        return;
      }
      case 'pluginTypes': {
        const read = () => pluginLayerTypes(deps.evaluate, msg.file, msg.source);
        const types = await (activity
          ? activity.runAsync(`reading the layer types of ${msg.file}`, read)
          : read());
        post({ type: 'pluginTypes', id: msg.id, types });
        return;
      }
      case 'checkPlugin': {
        // After the plugin files before it, so that a clash is judged against what is loaded.
        await pluginsReady;
        try {
          const status = await catalog.check(msg.file, msg.source);
          post({ type: 'pluginChecked', id: msg.id, status });
        } catch (e) {
          post({ type: 'error', id: msg.id, error: toWireError(e) });
        }
        return;
      }
      case 'compile':
        return compile(msg.id, msg);
      case 'train':
        return train(msg);
      case 'pause':
      case 'resume':
      case 'step':
        command(msg.type);
        return;
      case 'speed':
        setSpeed(msg.stepsPerSecond);
        return;
      case 'stop':
        if (run) return stopRun();
        // Nothing runs: answer anyway, so that the client's stop never waits for nothing.
        post({ type: 'state', state: lastState === 'idle' ? 'idle' : lastState });
        return;
      case 'getWeights': {
        const t = run?.trainer ?? last;
        if (!t) {
          post({
            type: 'error',
            id: msg.id,
            error: { code: 'USAGE', message: 'there are no weights yet: train first', place: {} },
          });
        } else postWeights(t, msg.id);
        return;
      }
      case 'getTrained': {
        const t = run?.trainer ?? last;
        if (!t) {
          post({
            type: 'error',
            id: msg.id,
            error: {
              code: 'USAGE',
              message: 'there is no run to save yet: train first',
              place: {},
            },
          });
        } else postTrained(t, msg.id);
        return;
      }
      case 'checkTrained':
        return checkTrained(msg);
      case 'measureMemory':
        return measureMemory(msg);
      case 'inspect':
        return inspector.handle(msg);
      case 'neuronMaps':
        return mapper.handle(msg);
      case 'export':
        await pluginsReady;
        return watched(`exporting ${msg.format}`, () =>
          handleExport(msg, {
            post,
            registry: () => catalog.registry(),
            trainer: () => run?.trainer ?? last,
            heldWeights,
          }),
        );
      case 'exportFolder': {
        await pluginsReady;
        let host: DataHost;
        try {
          host = await dataHost(parseProject(msg.project));
        } catch (e) {
          post({ type: 'error', id: msg.id, error: toWireError(e) });
          return;
        }
        return watched('exporting a training folder', () =>
          handleExportFolder(msg, { post, registry: () => catalog.registry(), host }),
        );
      }
      default: {
        const unknown: never = msg;
        post({
          type: 'error',
          error: {
            code: 'USAGE',
            message: `unknown message ${JSON.stringify((unknown as { type?: unknown }).type)}`,
            place: {},
          },
        });
      }
    }
  }

  return {
    handle,
    runDone: () => run?.done ?? Promise.resolve(),
  };
}

/** The given weights whose name and shape the network has. */
function fitting(
  given: ReturnType<typeof fromWireTensors>,
  want: Record<string, number[]>,
): ReturnType<typeof fromWireTensors> {
  const out: ReturnType<typeof fromWireTensors> = {};
  for (const [k, t] of Object.entries(given)) {
    const shape = want[k];
    if (shape && shape.length === t.shape.length && shape.every((d, i) => d === t.shape[i]))
      out[k] = t;
  }
  return out;
}
