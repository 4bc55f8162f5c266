import type { Dataset } from '../data/dataset';
import { trainTestSplit } from '../data/dataset';
import { type Normalization, fitNormalization, normalizeDataset } from '../data/normalize';
import { type DataHost, type DataSpec, resolveData } from '../data/resolve';
import { type CompiledGraph, compileProject } from '../graph/compile';
import type { Project } from '../graph/schema';
import { LayerRegistry } from '../layers/registry';
import { fitData } from '../train/fit';
import { Trainer } from '../train/trainer';
import type { Model } from '../model/model';

export interface PrepareOptions {
  /** Layers available to the graph (built-ins plus loaded plugins). */
  registry?: LayerRegistry;
  /** Reads data files: the shipped ones and the user's CSVs. */
  host: DataHost;
  /** Continue from these weights instead of a fresh initialisation. */
  model?: Model;
}

export interface Prepared {
  graph: CompiledGraph;
  /** The data as loaded: raw features. */
  data: Dataset;
  /** The splits the trainer works on: normalized features when the project asks for it. */
  train: Dataset;
  test: Dataset;
  /** `data.normalize`'s statistics from the training split (null for "none"). */
  normalization: Normalization | null;
  trainer: Trainer;
}

/** Default test fraction: 0.2, except for inline data, which is usually a handful of points. */
export function testFractionOf(project: Project): number {
  const d = project.data;
  return d.testFraction ?? (d.x ? 0 : 0.2);
}

/** The project's data as training sees it: loaded, split, and the normalization of its training split. */
export interface ProjectData {
  /** As loaded: raw features. */
  data: Dataset;
  /** The raw splits. */
  split: { train: Dataset; test: Dataset };
  normalization: Normalization | null;
}

/**
 * Load and split a project's data (seeded by the data's own seed or the training seed) and fit
 * its normalization on the training split: what training does, for commands that need the
 * data's names or statistics without training (predict, export).
 */
export function loadProjectData(project: Project, host: DataHost): ProjectData {
  const seed = project.training.seed;
  const spec = { ...project.data, seed: project.data.seed ?? seed } as DataSpec;
  const data = resolveData(spec, host);
  const split = trainTestSplit(data, testFractionOf(project), seed);
  const normalization = fitNormalization(project.data.normalize ?? 'none', split.train);
  return { data, split, normalization };
}

/**
 * From a validated project to a ready trainer: compile the graph, load and split the data,
 * check that it fits (every target, before any training), and normalize both splits with
 * statistics from the training split.
 */
export function prepareTraining(project: Project, opts: PrepareOptions): Prepared {
  const graph = compileProject(project, opts.registry ?? new LayerRegistry());
  const { data, split, normalization } = loadProjectData(project, opts.host);
  // Every sample's targets are checked here, where the data is loaded and a bad value can be
  // named by its file line or sample index, not mid-training by its place in a batch.
  fitData(graph, data, project.loss.type);
  const train = normalizeDataset(split.train, normalization);
  const test = normalizeDataset(split.test, normalization);
  const trainer = new Trainer({
    graph,
    train,
    test,
    normalization,
    loss: project.loss.type,
    config: project.training,
    model: opts.model,
  });
  return { graph, data, train, test, normalization, trainer };
}
