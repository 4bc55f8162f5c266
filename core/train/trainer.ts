import { backward } from '../autograd/backward';
import { autogradState, inNode, noGrad } from '../autograd/state';
import type { Dataset } from '../data/dataset';
import type { Normalization } from '../data/normalize';
import type { CompiledGraph } from '../graph/compile';
import type { TrainingConfig } from '../graph/schema';
import { LOSSES, LOSS_DEFINITIONS, type LossType } from '../losses';
import { type MemoryReport, MemoryMeter } from '../memory/meter';
import { Model } from '../model/model';
import { createOptimizer, type Optimizer } from '../optim';
import type { Tensor, TensorData } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';
import { BufferArena, inArena } from '../tensor/arena';
import { gatherBatch, gatherRows } from './batch';
import { FusedChain } from './chain/fused-chain';
import { anyNonFiniteWasm } from '../ops/kernels/vector';
import { fitData } from './fit';
import { type DivergenceFacts, divergenceAdvice, fmtValue, maxAbs } from './divergence';
import { dropoutSeed, fillEpochOrder, shuffleSeed } from './sample-order';
import { countCorrect } from './metrics';
import type { LoopState } from './trainer-state';

/** Where the memory report charges what the loss keeps for backward (its targets, say). */
export const LOSS_NODE = '(loss)';
/** How the memory report's detail names the batch's targets (kept by some losses). */
export const TARGETS = '(targets)';
/** evaluate() reads a data set in batches of at least this many samples. */
const EVAL_BATCH = 256;

export interface EpochStats {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
}

/**
 * Where a run stands, the one counter every view shows: the epoch of the last batch trained
 * (0 before any) and how many of that epoch's batches are done (all of them once it ended).
 */
export interface RunPosition {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
}

export interface StepResult {
  /** 1-based epoch the batch belonged to. */
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  samples: number;
  /** Set when this step finished an epoch. */
  epochDone: EpochStats | null;
  /** All epochs are done. */
  finished: boolean;
}

export interface TrainerOptions {
  graph: CompiledGraph;
  train: Dataset;
  test: Dataset;
  loss: LossType;
  config: TrainingConfig;
  /** A model to continue training (otherwise a new one is initialised from the seed). */
  model?: Model;
  /**
   * The normalization `train` and `test` already went through (statistics from the training
   * split), kept with the trained network for its exports; null or absent when none.
   */
  normalization?: Normalization | null;
  /**
   * Train plain chains of built-in layers through the fused plan (default true). It gives the
   * same weights bit for bit; false forces the tape, for comparison.
   */
  fused?: boolean;
}

/**
 * The training loop, one batch at a time so that a worker can pause, step and stop between
 * batches. Same project, same seed: the same weights, bit for bit.
 *
 * @example const t = new Trainer(opts); while (!t.finished) t.step();
 */
export class Trainer {
  readonly model: Model;
  readonly optimizer: Optimizer;
  readonly history: EpochStats[] = [];
  readonly batchesPerEpoch: number;
  /** What the network's raw inputs go through before its first layer (see TrainerOptions). */
  readonly normalization: Normalization | null;
  private readonly o: TrainerOptions;
  private readonly targetShape: (b: number) => number[];
  private readonly shuffleRng: Rng;
  private readonly dropoutRng: Rng;
  private readonly classTargets: boolean;
  private readonly arena = new BufferArena();
  private readonly chain: FusedChain | null;
  private readonly rngBefore = new Rng(0);
  private order: Int32Array;
  private epochIndex = 0;
  private batchIndex = 0;
  private lossSum = 0;
  private correct = 0;
  private seen = 0;
  private hasAccuracy = true;
  private lastLoss: number | null = null;
  /** Weight updates made by this trainer (steps that succeeded). */
  private updates = 0;
  private evalIndex: Int32Array | null = null;

  constructor(o: TrainerOptions) {
    this.o = o;
    this.normalization = o.normalization ?? null;
    const seed = o.config.seed;
    this.targetShape = fitData(o.graph, o.train, o.loss);
    if (o.train.n === 0) throw new LabError('DATA', `the training set '${o.train.name}' is empty`);
    this.model = o.model ?? new Model(o.graph, seed);
    this.optimizer = createOptimizer(o.config.optimizer, this.model.parameters());
    this.shuffleRng = new Rng(shuffleSeed(seed));
    this.dropoutRng = new Rng(dropoutSeed(seed));
    this.classTargets = o.train.numClasses !== undefined;
    this.batchesPerEpoch = Math.ceil(o.train.n / o.config.batchSize);
    this.order = this.newOrder();
    this.chain =
      o.fused === false ? null : FusedChain.create(o.graph, this.model, LOSS_DEFINITIONS[o.loss]);
  }

  /** Whether steps run through the fused plan for plain chains (instead of the tape). */
  get fused(): boolean {
    return this.chain !== null;
  }

  get epoch(): number {
    return this.epochIndex + 1;
  }

  /** Where training stands (see RunPosition): after one step of a new run, epoch 1, batch 1. */
  get position(): RunPosition {
    const batchesPerEpoch = this.batchesPerEpoch;
    if (this.batchIndex > 0)
      return { epoch: this.epochIndex + 1, batch: this.batchIndex, batchesPerEpoch };
    return {
      epoch: this.epochIndex,
      batch: this.epochIndex ? batchesPerEpoch : 0,
      batchesPerEpoch,
    };
  }

  /** Epochs this run trains in all. */
  get epochs(): number {
    return this.o.config.epochs;
  }

  get finished(): boolean {
    return this.epochIndex >= this.o.config.epochs;
  }

  /** The training settings of this run. */
  get config(): TrainingConfig {
    return this.o.config;
  }

  /** The training split the batches are drawn from. */
  get trainSet(): Dataset {
    return this.o.train;
  }

  /** Where the loop stands, for saving a run and resuming it exactly (see trainer-state.ts). */
  loopState(): LoopState {
    return {
      epoch: this.epochIndex,
      batch: this.batchIndex,
      sums: {
        loss: this.lossSum,
        correct: this.correct,
        seen: this.seen,
        accuracy: this.hasAccuracy,
      },
      order: Int32Array.from(this.order),
      shuffle: this.shuffleRng.state(),
      dropout: this.dropoutRng.state(),
      lastLoss: this.lastLoss,
      updates: this.updates,
    };
  }

  /** Continue from a saved loop state (restoreTrainer in trainer-state.ts checks it first). */
  setLoopState(s: LoopState): void {
    this.epochIndex = s.epoch;
    this.batchIndex = s.batch;
    this.lossSum = s.sums.loss;
    this.correct = s.sums.correct;
    this.seen = s.sums.seen;
    this.hasAccuracy = s.sums.accuracy;
    this.order = Int32Array.from(s.order);
    this.shuffleRng.setState(s.shuffle);
    this.dropoutRng.setState(s.dropout);
    this.lastLoss = s.lastLoss;
    this.updates = s.updates;
  }

  /** Train on one batch. */
  step(): StepResult {
    if (this.finished) throw new LabError('USAGE', 'training has finished all its epochs');
    // Every buffer the engine makes during the step is reused by the next one.
    return inArena(this.arena, () => {
      try {
        return this.trainBatch();
      } finally {
        this.optimizer.zeroGrad(); // gradients live in the arena: drop them with it
      }
    });
  }

  private trainBatch(): StepResult {
    const { batchSize } = this.o.config;
    const start = this.batchIndex * batchSize;
    const end = Math.min(start + batchSize, this.o.train.n);
    this.rngBefore.copyFrom(this.dropoutRng);
    const { value, x, y, output } = this.chain
      ? this.chainStep(start, end)
      : this.tapeStep(start, end);
    if (!Number.isFinite(value)) this.diagnose(x, y, output, this.rngBefore, value);
    this.checkGradients(x, y);
    this.optimizer.step();
    this.updates++;

    const b = end - start;
    this.lastLoss = value;
    this.lossSum += value * b;
    this.seen += b;
    const c = countCorrect(this.o.loss, output, y, this.classTargets);
    if (c === null) this.hasAccuracy = false;
    else this.correct += c;

    const epoch = this.epoch,
      batch = this.batchIndex;
    this.batchIndex++;
    let epochDone: EpochStats | null = null;
    if (this.batchIndex >= this.batchesPerEpoch) epochDone = this.endEpoch();
    return {
      epoch,
      batch,
      batchesPerEpoch: this.batchesPerEpoch,
      loss: value,
      samples: b,
      epochDone,
      finished: this.finished,
    };
  }

  /** One batch through the tape: the general path, for any graph. */
  private tapeStep(
    start: number,
    end: number,
  ): { value: number; x: Tensor; y: Tensor; output: Tensor } {
    const { train, graph } = this.o;
    const { x, y } = gatherBatch(
      train,
      this.order,
      start,
      end,
      graph.input.outShape,
      this.targetShape,
    );
    const { output } = this.model.forward(x, { training: true, rng: this.dropoutRng });
    const loss = LOSSES[this.o.loss](output, y);
    const value = loss.data[0];
    if (Number.isFinite(value)) {
      this.optimizer.zeroGrad();
      backward(loss);
    }
    return { value, x, y, output };
  }

  /** One batch through the fused plan of a plain chain: same arithmetic, no allocation. */
  private chainStep(
    start: number,
    end: number,
  ): { value: number; x: Tensor; y: Tensor; output: Tensor } {
    const chain = this.chain!;
    const { train } = this.o;
    const b = end - start;
    const bufs = chain.inputs(b, this.targetShape(b));
    gatherRows(train.x, train.inDim, this.order, start, b, bufs.x);
    gatherRows(train.y, train.yDim, this.order, start, b, bufs.y);
    const value = chain.forward(this.dropoutRng);
    if (Number.isFinite(value)) chain.backward();
    return { value, ...chain.tensors() };
  }

  /** Train to the end of the current epoch. */
  runEpoch(): EpochStats {
    for (;;) {
      const r = this.step();
      if (r.epochDone) return r.epochDone;
    }
  }

  /** Whether evaluate() runs through the fused plan (every layer of the chain has a fused `evaluate`). */
  get fusedEvaluation(): boolean {
    return this.chain?.evaluates ?? false;
  }

  /** Mean loss and accuracy over a data set, in evaluation mode (dropout off, nothing recorded). */
  evaluate(ds: Dataset): { loss: number; accuracy: number | null } {
    if (ds.n === 0) return { loss: NaN, accuracy: null };
    if (this.chain?.evaluates) return this.chainEvaluate(this.chain, ds);
    return noGrad(() => {
      const bs = Math.max(this.o.config.batchSize, EVAL_BATCH);
      const order = Int32Array.from({ length: ds.n }, (_, i) => i);
      let lossSum = 0,
        correct = 0,
        acc = true;
      for (let s = 0; s < ds.n; s += bs) {
        const e = Math.min(s + bs, ds.n);
        const { x, y } = gatherBatch(
          ds,
          order,
          s,
          e,
          this.o.graph.input.outShape,
          this.targetShape,
        );
        const { output } = this.model.forward(x, { training: false, rng: this.dropoutRng.clone() });
        lossSum += LOSSES[this.o.loss](output, y).data[0] * (e - s);
        const c = countCorrect(this.o.loss, output, y, this.classTargets);
        if (c === null) acc = false;
        else correct += c;
      }
      return { loss: lossSum / ds.n, accuracy: acc ? correct / ds.n : null };
    });
  }

  /**
   * evaluate() through the fused plan: the same batches, kernels and loss as the per-layer
   * forward, so the same numbers bit for bit, on buffers allocated once per batch size.
   */
  private chainEvaluate(chain: FusedChain, ds: Dataset): { loss: number; accuracy: number | null } {
    const bs = Math.max(this.o.config.batchSize, EVAL_BATCH);
    const order = this.evalOrder(ds.n);
    let lossSum = 0,
      correct = 0,
      acc = true;
    for (let s = 0; s < ds.n; s += bs) {
      const b = Math.min(s + bs, ds.n) - s;
      const bufs = chain.evalInputs(b, this.targetShape(b));
      gatherRows(ds.x, ds.inDim, order, s, b, bufs.x);
      gatherRows(ds.y, ds.yDim, order, s, b, bufs.y);
      const { loss, y, output } = chain.evaluate(this.dropoutRng.clone());
      lossSum += loss * b;
      const c = countCorrect(this.o.loss, output, y, this.classTargets);
      if (c === null) acc = false;
      else correct += c;
    }
    return { loss: lossSum / ds.n, accuracy: acc ? correct / ds.n : null };
  }

  /** 0..n−1, the order evaluation reads a data set in (kept between calls). */
  private evalOrder(n: number): Int32Array {
    if (this.evalIndex?.length !== n) this.evalIndex = Int32Array.from({ length: n }, (_, i) => i);
    return this.evalIndex;
  }

  /**
   * Measure one training step's memory on the first batch of the current epoch: what every node
   * holds for backward and the peak. Weights are not changed. A batch larger than the training
   * set takes its samples again (so that the effect of a large batch can be seen on a small
   * data set); with `detail`, the report lists every tensor held and what it is kept for.
   */
  measureMemory(batchSize = this.o.config.batchSize, o: { detail?: boolean } = {}): MemoryReport {
    const n = this.o.train.n;
    const size = Math.max(1, batchSize);
    const order =
      size <= n ? this.order : Int32Array.from({ length: size }, (_, i) => this.order[i % n]);
    const { x, y } = gatherBatch(
      this.o.train,
      order,
      0,
      Math.min(size, order.length),
      this.o.graph.input.outShape,
      this.targetShape,
    );
    const meter = new MemoryMeter(o.detail);
    for (const node of this.o.graph.nodes) meter.touch(node.id);
    const prev = autogradState.meter;
    autogradState.meter = meter;
    const names = new Map<TensorData, string>();
    for (const [name, w] of this.model.weights) names.set(w.data, name);
    names.set(y.data, TARGETS);
    try {
      const { output, outputs } = this.model.forward(x, {
        training: true,
        rng: this.dropoutRng.clone(),
      });
      // Name each node's output by the node (the first node wins a buffer two of them share).
      for (const [id, t] of outputs) if (!names.has(t.data)) names.set(t.data, id);
      meter.touch(LOSS_NODE);
      const loss = inNode(LOSS_NODE, () => LOSSES[this.o.loss](output, y));
      meter.forwardDone();
      backward(loss);
    } finally {
      autogradState.meter = prev;
      this.optimizer.zeroGrad();
    }
    return meter.report((data) => names.get(data) ?? null);
  }

  private endEpoch(): EpochStats {
    const test = this.o.test.n ? this.evaluate(this.o.test) : null;
    const stats: EpochStats = {
      epoch: this.epoch,
      trainLoss: this.lossSum / this.seen,
      trainAccuracy: this.hasAccuracy ? this.correct / this.seen : null,
      testLoss: test ? test.loss : null,
      testAccuracy: test ? test.accuracy : null,
    };
    this.history.push(stats);
    this.epochIndex++;
    this.batchIndex = 0;
    this.lossSum = this.correct = this.seen = 0;
    this.hasAccuracy = true;
    this.order = this.newOrder();
    return stats;
  }

  /** This epoch's sample order: 0..n−1, shuffled when asked (reusing the array). */
  private newOrder(): Int32Array {
    const n = this.o.train.n;
    const order = this.order?.length === n ? this.order : new Int32Array(n);
    return fillEpochOrder(order, this.shuffleRng, this.o.config.shuffle);
  }

  /** Where a failing step is: `epoch 3, batch 2 (step 18)`. */
  private where(): string {
    return `epoch ${this.epoch}, batch ${this.batchIndex + 1} (step ${this.updates + 1})`;
  }

  /** What the advice for a failing step rests on. */
  private facts(x: Tensor, y: Tensor): DivergenceFacts {
    return {
      updates: this.updates,
      givenWeights: this.o.model !== undefined,
      inputMax: maxAbs(x.data),
      normalized: this.normalization !== null,
      targetMax: LOSS_DEFINITIONS[this.o.loss].regression ? maxAbs(y.data) : null,
      lr: this.o.config.optimizer.lr,
    };
  }

  /** Find the first node whose output is not finite, and stop with its name and fitting advice. */
  private diagnose(x: Tensor, y: Tensor, output: Tensor, rng: Rng, value: number): never {
    const at = this.where();
    const advice = divergenceAdvice(this.facts(x, y));
    noGrad(() => {
      try {
        this.model.forward(x, { training: true, rng, checkFinite: true });
      } catch (e) {
        if (e instanceof LabError && e.code === 'NON_FINITE') {
          throw new LabError(
            'NON_FINITE',
            `Training diverged at ${at}: ${e.message}. ${advice}`,
            e.place,
          );
        }
        throw e;
      }
    });
    const targets = LOSS_DEFINITIONS[this.o.loss].regression
      ? ` and targets reach ${fmtValue(maxAbs(y.data))}`
      : '';
    throw new LabError(
      'NON_FINITE',
      `Training diverged at ${at}: the ${this.o.loss} loss is ${value} although every node's output is finite (outputs reach ${fmtValue(maxAbs(output.data))}${targets}: too far apart for float32). ${advice}`,
      { node: this.o.graph.output.id, tensor: 'loss' },
    );
  }

  private checkGradients(x: Tensor, y: Tensor): void {
    for (const [name, w] of this.model.weights) {
      const g = w.grad?.data;
      if (!g || anyNonFiniteWasm(g) === false) continue; // checked in the kernels' memory
      for (let i = 0; i < g.length; i++) {
        if (!Number.isFinite(g[i])) {
          const node = name.slice(0, name.lastIndexOf('.'));
          throw new LabError(
            'NON_FINITE',
            `Training diverged at ${this.where()}: the gradient of ${name} is ${g[i]}; the weights were not updated. ${divergenceAdvice(this.facts(x, y))}`,
            { node, tensor: name },
          );
        }
      }
    }
  }
}
