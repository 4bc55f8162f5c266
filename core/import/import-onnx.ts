/**
 * An ONNX model built from the engine's operators, back as a project with its weights: Gemm,
 * MatMul + Add, the activations, Add, Concat, Softmax, Dropout and Identity, and a
 * normalization (Sub and Div of constants) before the first layers: the weights' statistics
 * again when the model carries a project that normalizes, else folded into the first Dense
 * layers. Each layer's definition says which ONNX nodes are its (its `onnxImport`,
 * pattern.ts); anything else is refused, naming the node and its operator. Tested on the
 * engine's own exports and on models written by torch.onnx.export.
 */
import type { NormalizeKind, Normalization } from '../data/normalize';
import type { Project, ProjectInput, ProjectNode } from '../graph/schema';
import { parseProject } from '../graph/parse';
import { compileProject, type CompiledGraph } from '../graph/compile';
import { LayerRegistry } from '../layers/registry';
import { matchWeights } from '../io/match-weights';
import type { WeightMap } from '../model/model';
import { expectedWeights } from '../export/export-input';
import { ONNX_METADATA_FORMAT } from '../export/onnx/export-onnx';
import { LabError, isLabError } from '../util/errors';
import { identityAlias, type AliasMatch } from './identity';
import {
  readOnnxModel,
  type OnnxModelRead,
  type OnnxNodeInfo,
  type OnnxTensorValue,
} from './onnx-read';
import type { ImportContext, ImportMatch, OnnxImportPattern } from './pattern';

/** A layer's nodes, and which layer. */
interface LayerMatch extends ImportMatch {
  type: string;
}

/** The layers that can be read back: every built-in definition with an import pattern. */
function importableLayers(): { type: string; pattern: OnnxImportPattern }[] {
  const registry = new LayerRegistry();
  return registry.types().flatMap((type) => {
    const pattern = registry.get(type)!.def.onnxImport;
    return pattern ? [{ type, pattern }] : [];
  });
}

export interface ImportedModel {
  /** A project file's contents (version 1), its network read from the model. */
  project: ProjectInput;
  /** The weights, named as the engine names them (`fc1.weight`). */
  weights: WeightMap;
  /**
   * The input normalization the weights were trained with, when the model is one the engine
   * exported from a project that normalizes (its Sub and Div, read back); null otherwise.
   */
  normalization: Normalization | null;
  /** What the user should know: placeholders chosen, normalization folded. */
  notes: string[];
}

/** Operators that only make constants: folded before the layers are matched. */
const CONSTANT_OPS = new Set(['Constant', 'Transpose', 'Identity']);
const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** y = (x − shift) / scale per feature: a normalization read from Sub and Div nodes. */
interface Affine {
  shift: Float64Array;
  scale: Float64Array;
  nodes: OnnxNodeInfo[];
}

/**
 * Import the bytes of a `.onnx` file. Throws LabError naming `file` and, for a node the engine
 * cannot express, the node and its operator.
 *
 * @example const { project, weights } = importOnnx(bytes, 'model.onnx');
 */
export function importOnnx(bytes: Uint8Array, file: string): ImportedModel {
  const model = readOnnxModel(bytes, file);
  return new Importer(model, file).run();
}

class Importer {
  private readonly constants = new Map<string, OnnxTensorValue>();
  private readonly readers = new Map<string, OnnxNodeInfo[]>();
  private readonly used = new Set<OnnxNodeInfo>();
  private readonly outputs: Set<string>;
  private readonly ids = new Set<string>();
  /** Each computed value: the project node that computes it. */
  private readonly layerOf = new Map<string, string>();
  private readonly normalized = new Map<string, Affine>();
  private readonly nodes: ProjectNode[] = [];
  private readonly weights: WeightMap = {};
  private readonly notes: string[] = [];
  private readonly ctx: ImportContext;
  private readonly layers = importableLayers();
  private rank = 2;
  /** The settings of a project the engine exported into the file's metadata, if usable. */
  private readonly carried: Project | undefined;
  /** The input normalization read back (see recover). */
  private recovered: Normalization | null = null;

  constructor(
    private readonly model: OnnxModelRead,
    private readonly file: string,
  ) {
    this.outputs = new Set(model.outputs.map((o) => o.name));
    this.carried = carriedProject(model);
    for (const [name, t] of model.initializers) this.constants.set(name, t);
    for (const n of model.nodes) {
      for (const v of n.inputs) {
        if (v === '') continue;
        if (!this.readers.has(v)) this.readers.set(v, []);
        this.readers.get(v)!.push(n);
      }
    }
    const opset = model.opset;
    const rankOf = () => this.rank;
    this.ctx = {
      opset,
      get rank() {
        return rankOf();
      },
      constant: (v) => this.constants.get(v),
      consumers: (v) => this.readers.get(v) ?? [],
      isGraphOutput: (v) => this.outputs.has(v),
      attr: (node, name, fallback) => {
        const a = node.attributes[name];
        if (a === undefined) return fallback;
        if (a.kind === 'float' || a.kind === 'int') return a.value;
        return this.refuse(node, `its attribute ${name} is not a number`);
      },
      attrInts: (node, name) => {
        const a = node.attributes[name];
        return a?.kind === 'ints' ? a.value : undefined;
      },
      refuse: (node, why) => this.refuse(node, why),
    };
  }

  run(): ImportedModel {
    this.graphInput();
    this.foldConstants();
    for (const node of this.model.nodes) {
      if (this.used.has(node)) continue;
      if (node.domain !== '' && node.domain !== 'ai.onnx') {
        this.refuse(node, `its operator set '${node.domain}' is not ONNX's own`);
      }
      const m = this.matchLayer(node);
      if (m && 'alias' in m) this.addAlias(m);
      else if (m) this.addLayer(m);
      else if (!this.normalization(node)) this.refuseUnknown(node);
    }
    const output = this.graphOutput();
    return this.finish(output);
  }

  /** The one graph input that is not an initializer: the Input node. */
  private graphInput(): void {
    const inputs = this.model.inputs.filter((i) => !this.model.initializers.has(i.name));
    if (inputs.length !== 1) {
      this.fail(
        `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ') || 'none'}); a project has one Input`,
      );
    }
    const [x] = inputs;
    if (x.elemType !== '' && x.elemType !== 'FLOAT') {
      this.fail(`its input '${x.name}' holds ${x.elemType}, not float32`);
    }
    const features = x.shape?.slice(1) ?? [];
    if (!x.shape || x.shape.length < 2 || !features.every((d) => typeof d === 'number' && d > 0)) {
      this.fail(
        `its input '${x.name}' has shape ${describeShape(x.shape)}: it needs [batch, features…] with every feature dimension known`,
      );
    }
    this.rank = x.shape.length;
    const id = this.uniqueId(NODE_ID.test(x.name) ? x.name : 'x');
    this.nodes.push({ id, type: 'Input', params: { shape: features as number[] } });
    this.layerOf.set(x.name, id);
    const size = (features as number[]).reduce((a, b) => a * b, 1);
    this.normalized.set(x.name, {
      shift: new Float64Array(size),
      scale: new Float64Array(size).fill(1),
      nodes: [],
    });
  }

  /** Constant nodes, and Transposes and Identities of constants, become constants. */
  private foldConstants(): void {
    for (const node of this.model.nodes) {
      if (!CONSTANT_OPS.has(node.opType)) continue;
      const out = node.outputs[0];
      if (node.opType === 'Constant') {
        const a = node.attributes.value;
        const f = node.attributes.value_float;
        const fs = node.attributes.value_floats;
        let t: OnnxTensorValue | undefined;
        if (a?.kind === 'tensor') t = { ...a.value, name: out };
        else if (f?.kind === 'float')
          t = { name: out, dims: [], data: Float32Array.of(f.value), dtype: 'FLOAT' };
        else if (fs?.kind === 'floats')
          t = {
            name: out,
            dims: [fs.value.length],
            data: Float32Array.from(fs.value),
            dtype: 'FLOAT',
          };
        if (!t) this.refuse(node, 'it holds no number tensor');
        this.constants.set(out, t);
        this.used.add(node);
        continue;
      }
      const src = this.constants.get(node.inputs[0]);
      if (!src) continue;
      if (node.opType === 'Identity') this.constants.set(out, { ...src, name: out });
      else this.constants.set(out, transposeConstant(src, this.ctx.attrInts(node, 'perm'), out));
      this.used.add(node);
    }
  }

  /** Sub or Div of a constant on the (normalized) input: part of the input's normalization. */
  private normalization(node: OnnxNodeInfo): boolean {
    if (node.opType !== 'Sub' && node.opType !== 'Div') return false;
    const [a, b] = node.inputs;
    const before = this.normalized.get(a);
    const c = this.constants.get(b);
    if (!before || !c) {
      this.refuse(
        node,
        `only a normalization of the input (its value minus or divided by a constant, before the first layer) can be imported`,
      );
    }
    const n = before.shift.length;
    const features = this.nodes[0].params!.shape as number[];
    const values = broadcastFeatures(c, features);
    if (!values) {
      this.refuse(
        node,
        `its constant has shape [${c.dims.join(', ')}], not [${features.join(', ')}]`,
      );
    }
    const shift = Float64Array.from(before.shift);
    const scale = Float64Array.from(before.scale);
    for (let i = 0; i < n; i++) {
      if (node.opType === 'Sub') shift[i] += values[i] * scale[i];
      else {
        if (values[i] === 0) this.refuse(node, `it divides feature ${i} by 0`);
        scale[i] *= values[i];
      }
    }
    this.normalized.set(node.outputs[0], { shift, scale, nodes: [...before.nodes, node] });
    this.used.add(node);
    return true;
  }

  /** The layer (or Identity) that starts at `node`; null when none does. */
  private matchLayer(node: OnnxNodeInfo): LayerMatch | AliasMatch | null {
    const alias = identityAlias(node, this.ctx);
    if (alias) return this.fold(undefined, alias, node);
    for (const { type, pattern } of this.layers) {
      if (!pattern.ops.includes(node.opType)) continue;
      const m = pattern.match(node, this.ctx);
      if (m) return this.fold(pattern, { ...m, type }, node);
    }
    return null;
  }

  /** No layer starts at `node`, and it is no normalization of the input. */
  private refuseUnknown(node: OnnxNodeInfo): never {
    if (this.layers.some(({ pattern }) => pattern.ops.includes(node.opType))) {
      this.refuse(node, 'it is not in a form that one of the engine’s layers computes');
    }
    const known = [
      ...new Set(this.layers.flatMap(({ pattern }) => pattern.summary ?? pattern.ops)),
    ];
    return this.refuse(
      node,
      `the engine has no layer for ${node.opType} (it imports ${[...known, 'Identity'].join(', ')}, and Sub and Div of the input for normalization)`,
    );
  }

  /** A layer reading a normalized input folds the normalization into its weights. */
  private fold(
    pattern: OnnxImportPattern | undefined,
    m: LayerMatch | AliasMatch,
    node: OnnxNodeInfo,
  ): LayerMatch | AliasMatch {
    const reads = 'alias' in m ? [m.alias] : m.inputs;
    const affine = reads.map((v) => this.normalized.get(v)).find((a) => a && a.nodes.length > 0);
    if (!affine) return m;
    const last = affine.nodes.at(-1)!;
    const about = `the normalization ${describeNode(last)} before it`;
    if ('alias' in m) {
      this.refuse(node, `${about} would reach another layer through it`);
    }
    const kind = this.carried?.data.normalize ?? 'none';
    if (kind !== 'none') return { ...m, inputs: m.inputs.map((v) => this.recover(v, kind, last)) };
    if (!pattern?.foldInput || m.inputs.length !== 1) {
      this.refuse(node, `${about} can only be folded into a Dense layer that reads nothing else`);
    }
    if (this.rank > 2) {
      this.refuse(
        node,
        `${about} is per position of a multi-axis input, which a Dense layer cannot fold`,
      );
    }
    const folded = { ...pattern.foldInput(m, affine.shift, affine.scale), type: m.type };
    this.notes.push(
      `the normalization before ${describeNode(node)} (${affine.nodes.map((n) => n.opType).join(', ')}) is folded into its weights: the project takes raw features`,
    );
    return { ...folded, inputs: [this.inputValue()] };
  }

  /**
   * A value read through the input's normalization, in a model whose project normalizes: the
   * normalization becomes the weights' statistics again, and the layer reads the Input.
   */
  private recover(value: string, kind: Exclude<NormalizeKind, 'none'>, at: OnnxNodeInfo): string {
    const affine = this.normalized.get(value);
    if (!affine || affine.nodes.length === 0) return value;
    const found: Normalization = {
      kind,
      offset: Array.from(affine.shift, Math.fround),
      scale: Array.from(affine.scale, Math.fround),
    };
    const same = (a: number[], b: number[]) => a.every((v, i) => v === b[i]);
    const before = this.recovered;
    if (before && !(same(before.offset, found.offset) && same(before.scale, found.scale))) {
      this.refuse(at, 'the layers read the input through two different normalizations');
    }
    this.recovered = found;
    return this.inputValue();
  }

  private inputValue(): string {
    return [...this.normalized.entries()].find(([, a]) => a.nodes.length === 0)![0];
  }

  private addAlias(m: AliasMatch): void {
    const source = this.layerOf.get(m.alias);
    if (source === undefined)
      this.refuse(m.nodes[0], `it reads '${m.alias}', which no layer computes`);
    this.layerOf.set(m.output, source);
    const affine = this.normalized.get(m.alias);
    if (affine) this.normalized.set(m.output, affine);
    for (const n of m.nodes) this.used.add(n);
  }

  private addLayer(m: LayerMatch): void {
    const anchor = m.nodes[0];
    const inputs = m.inputs.map((v) => {
      const id = this.layerOf.get(v);
      if (id === undefined) this.refuse(anchor, `it reads '${v}', which no layer computes`);
      return id;
    });
    for (const n of m.nodes) {
      if (this.used.has(n)) this.refuse(n, 'it belongs to two layers');
      this.used.add(n);
    }
    const id = this.uniqueId(this.idFor(m));
    this.nodes.push({
      id,
      type: m.type,
      ...(m.params && Object.keys(m.params).length ? { params: m.params } : {}),
      inputs,
    });
    for (const [short, w] of Object.entries(m.weights ?? {})) this.weights[`${id}.${short}`] = w;
    this.layerOf.set(m.output, id);
  }

  private graphOutput(): string {
    if (this.model.outputs.length !== 1) {
      this.fail(`the model has ${this.model.outputs.length} outputs; a project has one`);
    }
    const name = this.model.outputs[0].name;
    const id = this.layerOf.get(name);
    if (id === undefined || this.nodes.find((n) => n.id === id)!.type === 'Input') {
      this.fail(`its output '${name}' is not computed by a layer`);
    }
    return id;
  }

  /**
   * A node id from the names in the file: a node's name when it is a valid id (the engine's
   * own exports name nodes by id), else the module path in the node's name
   * (`/encoder/fc1/Gemm` → `encoder_fc1`, as torch.onnx.export names them), else the output's
   * name, else the layer type and a number.
   */
  private idFor(m: LayerMatch): string {
    const nodes = [...m.nodes].reverse();
    const named = nodes.find((n) => NODE_ID.test(n.name));
    if (named) return named.name;
    for (const n of nodes) {
      const path = n.name.split('/').filter(Boolean).slice(0, -1).join('_');
      const cleaned = path.replace(/[^A-Za-z0-9_-]/g, '_');
      if (cleaned && NODE_ID.test(cleaned)) return cleaned;
    }
    if (NODE_ID.test(m.output)) return m.output;
    const base = m.type.toLowerCase();
    for (let i = 1; ; i++) if (!this.ids.has(`${base}${i}`)) return `${base}${i}`;
  }

  private uniqueId(base: string): string {
    let id = base;
    for (let i = 2; this.ids.has(id); i++) id = `${base}_${i}`;
    this.ids.add(id);
    return id;
  }

  private finish(output: string): ImportedModel {
    const carried = this.carried;
    const outNode = this.nodes.find((n) => n.id === output)!;
    const inShape = this.nodes[0].params!.shape as number[];
    const layout = carried?.layout
      ? Object.fromEntries(Object.entries(carried.layout).filter(([id]) => this.ids.has(id)))
      : undefined;
    const project: ProjectInput = {
      format: 'backprop-lab.project',
      version: 1,
      name: carried?.name ?? stem(this.file),
      description:
        carried?.description ??
        `Imported from ${stem(this.file)}.onnx${this.model.producerName ? ` (written by ${this.model.producerName})` : ''}.`,
      nodes: this.nodes,
      output,
      loss: carried?.loss ?? { type: outNode.type === 'Sigmoid' ? 'BCE' : 'MSE' },
      data: carried?.data ?? placeholderData(inShape, [1]),
      ...(carried ? { training: carried.training } : {}),
      plugins: [],
      ...(layout ? { layout } : {}),
    };
    if (!carried) {
      this.notes.push(
        'the data and the loss are placeholders (the model does not carry them): set them in the Training tab or the project file',
      );
    }
    const graph = this.check(project);
    if (!carried) project.data = placeholderData(inShape, graph.output.outShape);
    // With every default written out (training settings, plugins), as a saved project has them.
    return {
      project: parseProject(project),
      weights: this.weights,
      normalization: this.recovered,
      notes: this.notes,
    };
  }

  /** The imported network compiles, and its weights fit it. */
  private check(project: ProjectInput): CompiledGraph {
    try {
      const graph = compileProject(parseProject(project), new LayerRegistry());
      matchWeights(expectedWeights(graph), this.weights);
      return graph;
    } catch (e) {
      if (!isLabError(e)) throw e;
      throw new LabError(
        e.code,
        `${this.file}: the imported network does not fit together: ${e.message}`,
        { ...e.place, file: this.file },
        e.problems,
      );
    }
  }

  private refuse(node: OnnxNodeInfo, why: string): never {
    throw new LabError('USAGE', `${this.file}: ${describeNode(node)} cannot be imported: ${why}`, {
      file: this.file,
      node: node.name || undefined,
    });
  }

  private fail(why: string): never {
    throw new LabError('USAGE', `${this.file}: ${why}`, { file: this.file });
  }
}

/** The project the engine exported into the file's metadata, when it is one it can read. */
function carriedProject(model: OnnxModelRead): Project | undefined {
  const meta = model.metadata;
  if (meta.format !== ONNX_METADATA_FORMAT || !meta.project) return undefined;
  try {
    return parseProject(JSON.parse(meta.project));
  } catch {
    return undefined; // the network is read from the graph anyway
  }
}

/** `node '/fc1/Gemm' (Gemm)`, or `node 3 (Gemm)` for a node without a name. */
function describeNode(n: OnnxNodeInfo): string {
  return `${n.name ? `node '${n.name}'` : `node ${n.index}`} (${n.opType})`;
}

function describeShape(shape: (number | string | null)[] | null): string {
  return shape ? `[${shape.map((d) => d ?? '?').join(', ')}]` : 'unknown';
}

function stem(file: string): string {
  const base = file.split(/[/\\]/).pop() ?? file;
  return base.replace(/\.onnx$/i, '') || 'model';
}

/** One sample of zeros: the project is valid and trains, until real data is set. */
function placeholderData(inShape: number[], outShape: number[]): ProjectInput['data'] {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    x: [new Array<number>(size(inShape)).fill(0)],
    y: [new Array<number>(size(outShape)).fill(0)],
  };
}

/**
 * A constant's values for every feature: shaped as the features (leading axes of 1 allowed, as a
 * batch axis), or one value for all; else undefined.
 */
function broadcastFeatures(c: OnnxTensorValue, features: number[]): Float64Array | undefined {
  const n = features.reduce((a, b) => a * b, 1);
  if (c.data.length === 1) return new Float64Array(n).fill(c.data[0]);
  const dims = c.dims.slice();
  while (dims.length > features.length && dims[0] === 1) dims.shift();
  if (dims.length === features.length && dims.every((d, i) => d === features[i])) {
    return Float64Array.from(c.data);
  }
  return undefined;
}

function transposeConstant(
  t: OnnxTensorValue,
  perm: number[] | undefined,
  name: string,
): OnnxTensorValue {
  const rank = t.dims.length;
  const p = perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const dims = p.map((i) => t.dims[i]);
  const strides = t.dims.map((_, i) => t.dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const data = new Float32Array(t.data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < data.length; k++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * strides[p[d]];
    data[k] = t.data[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
    }
  }
  return { name, dims, data, dtype: t.dtype };
}
