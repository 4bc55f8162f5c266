import { gradcheckLayer } from '../gradcheck/layer';
import type { GradcheckResult } from '../gradcheck/types';
import { BUILTIN_LAYERS } from '../layers/builtin';
import { type ParamSpec, arity } from '../layers/contract';
import { LayerRegistry } from '../layers/registry';
import type { Activity } from '../util/activity';
import { type LabError, isLabError } from '../util/errors';
import { type AutogradComparison, compareWithAutograd } from './autograd-check';
import { type FusedCheck, checkFusedKernel } from './fused-check';
import { SandboxRefusal, explainSandboxError, guardDefinition } from './sandbox';
import { pluginSourceToScript } from './source';
import { type PluginLayerDefinition, definitionsFromModule, pluginError } from './validate';

/** What the UI knows of a plugin layer: everything but its code. */
export interface PluginLayerInfo {
  type: string;
  description: string;
  category: string;
  params: Record<string, ParamSpec>;
  inputs: { min: number; max: number | null };
  hasBackward: boolean;
  file: string;
  check: PluginCheck;
}

/** The gradient check run when the plugin loaded. */
export interface PluginCheck {
  ok: boolean;
  inShapes: number[][];
  gradcheck: GradcheckResult;
  /** Hand-written backward against autograd; null when the layer has no backward. */
  autograd: AutogradComparison | null;
  /** The fused kernel against forward and backward; null when the layer has none. */
  fused: FusedCheck | null;
}

export interface PluginProblem {
  message: string;
  line?: number;
  column?: number;
  field?: string;
  phase?: string;
}

export interface PluginStatus {
  file: string;
  /** False when the file could not be used at all; its layers are then not available. */
  ok: boolean;
  error?: PluginProblem;
  layers: PluginLayerInfo[];
}

/**
 * Evaluates a plugin script (pluginSourceToScript: the body of a function `(exports, require)`)
 * and returns what it exported: sandboxEvaluator (core/plugins/sandbox) in the app and on the
 * command line.
 */
export type EvaluateModule = (script: string, file: string) => Promise<{ default?: unknown }>;

export interface CatalogOptions {
  /** Told which plugin function runs, for a watchdog on another thread. */
  activity?: Activity;
}

interface Entry {
  status: PluginStatus;
  defs: PluginLayerDefinition[];
}

/**
 * The plugins loaded in one place (the training worker, or the command line): load, reload
 * and remove files; a broken file is kept with its message and never takes the others down.
 * The registry it builds holds the built-ins and every layer of every working file.
 */
export class PluginCatalog {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly evaluate: EvaluateModule,
    private readonly o: CatalogOptions = {},
  ) {}

  /**
   * Load a file, or load it again after it changed. Its code runs in the sandbox; the engine
   * keeps only frozen, guarded copies of its definitions (core/plugins/sandbox/guard.ts).
   */
  async load(file: string, source: string): Promise<PluginStatus> {
    const activity = this.o.activity;
    return activity
      ? activity.runAsync(`loading the plugin ${file}`, () => this.loadNow(file, source))
      : this.loadNow(file, source);
  }

  /**
   * Check a file's text as `load` would (syntax, sandbox, contract, clashes with the other
   * loaded files, the gradient check) without keeping it: an editor's draft. The loaded files
   * and the registry stay as they were.
   */
  async check(file: string, source: string): Promise<PluginStatus> {
    const activity = this.o.activity;
    const run = () => this.loadNow(file, source, false);
    return activity ? activity.runAsync(`checking the draft of ${file}`, run) : run();
  }

  private async loadNow(file: string, source: string, keep = true): Promise<PluginStatus> {
    let defs: PluginLayerDefinition[];
    try {
      const script = pluginSourceToScript(source, file);
      let mod: unknown;
      try {
        mod = await this.evaluate(script, file);
      } catch (e) {
        if (isLabError(e)) throw e;
        const why = e instanceof SandboxRefusal ? e.message : explainSandboxError(e);
        const what = why ?? (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        throw pluginError(file, `failed to load: ${what}`);
      }
      const raw = definitionsFromModule(mod, file);
      defs = raw.map((d) => guardDefinition(d, file, { activity: this.o.activity }));
      this.checkClashes(file, defs);
    } catch (e) {
      const status = broken(file, e);
      if (keep) this.entries.set(file, { status, defs: [] });
      return status;
    }
    const layers = defs.map((d) => describeLayer(d, file));
    // A fused kernel that does not compute what forward and backward compute is not trusted:
    // the layer trains on the tape.
    defs = defs.map((d, i) =>
      layers[i].check.fused?.ok === false ? { ...d, fused: undefined } : d,
    );
    const status: PluginStatus = { file, ok: true, layers };
    if (keep) this.entries.set(file, { status, defs });
    return status;
  }

  remove(file: string): void {
    this.entries.delete(file);
  }

  statuses(): PluginStatus[] {
    return [...this.entries.values()].map((e) => e.status);
  }

  status(file: string): PluginStatus | undefined {
    return this.entries.get(file)?.status;
  }

  /** Built-ins plus every layer of every working plugin file. */
  registry(): LayerRegistry {
    const r = new LayerRegistry();
    for (const { status, defs } of this.entries.values()) {
      if (status.ok) for (const d of defs) r.add(d, status.file);
    }
    return r;
  }

  private checkClashes(file: string, defs: PluginLayerDefinition[]): void {
    for (const d of defs) {
      if (d.type in BUILTIN_LAYERS)
        throw pluginError(
          file,
          `layer type '${d.type}' clashes with the built-in layer ${d.type}`,
          'type',
        );
      for (const [other, e] of this.entries) {
        if (other === file || !e.status.ok) continue;
        if (e.defs.some((x) => x.type === d.type)) {
          throw pluginError(
            file,
            `layer type '${d.type}' clashes with the same type in ${other}`,
            'type',
          );
        }
      }
    }
  }
}

function describeLayer(d: PluginLayerDefinition, file: string): PluginLayerInfo {
  const { min, max } = arity(d);
  const inShapes = d.gradcheck?.inShapes ?? Array.from({ length: Math.max(min, 1) }, () => [4]);
  const opts = { inShapes, params: d.gradcheck?.params, batch: d.gradcheck?.batch, source: file };
  const gradcheck = gradcheckLayer(d, opts);
  let autograd: AutogradComparison | null = null;
  // A fused kernel is trusted only once checked.
  let fused: FusedCheck | null = d.fused
    ? {
        ok: false,
        identical: false,
        maxAbsDiff: Infinity,
        message:
          'fused kernel not checked (the layer does not run at these shapes): training uses the tape',
      }
    : null;
  if (!gradcheck.error) {
    try {
      fused = checkFusedKernel(d, opts);
    } catch (e) {
      fused = {
        ok: false,
        identical: false,
        maxAbsDiff: Infinity,
        message: `checking the fused kernel failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    try {
      autograd = compareWithAutograd(d, opts);
    } catch (e) {
      autograd = {
        traceable: false,
        ok: false,
        maxAbsDiff: 0,
        message: `comparison with autograd failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }
  return {
    type: d.type,
    description: d.description ?? '',
    category: d.category ?? 'Plugins',
    params: { ...(d.params ?? {}) },
    inputs: { min, max: max === Infinity ? null : max },
    hasBackward: typeof d.backward === 'function',
    file,
    check: {
      ok: gradcheck.ok && (autograd?.ok ?? true) && (fused?.ok ?? true),
      inShapes,
      gradcheck,
      autograd,
      fused,
    },
  };
}

function broken(file: string, e: unknown): PluginStatus {
  const err: LabError | null = isLabError(e) ? e : null;
  const message = err ? err.message : `${file}: ${e instanceof Error ? e.message : String(e)}`;
  return {
    file,
    ok: false,
    error: {
      message,
      line: err?.place.line,
      column: err?.place.column,
      field: err?.place.path,
      phase: err?.place.phase,
    },
    layers: [],
  };
}
