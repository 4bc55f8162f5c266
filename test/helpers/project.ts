import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataHost } from '../../core/data/resolve';
import { parseProject } from '../../core/graph/parse';
import type { ProjectInput } from '../../core/graph/schema';
import type { LayerRegistry } from '../../core/layers/registry';
import { prepareTraining } from '../../core/project/prepare';
import { Trainer } from '../../core/train/trainer';

const dataDir = fileURLToPath(new URL('../../data/', import.meta.url));

/** Reads shipped data files from data/ and user files relative to the working directory. */
export const nodeHost: DataHost = {
  readDataFile: (name) => readFileSync(dataDir + name, 'utf8'),
  readUserFile: (path) => readFileSync(path, 'utf8'),
};

export type NodeSpec = ProjectInput['nodes'][number];

/** A project around the given nodes, with small inline or built-in data. */
export function makeProject(nodes: NodeSpec[], over: Partial<ProjectInput> = {}): ProjectInput {
  return {
    format: 'backprop-lab.project',
    version: 1,
    name: 'test',
    nodes,
    output: nodes[nodes.length - 1].id,
    loss: { type: 'BCE' },
    data: { source: 'builtin:xor', samples: 64, noise: 0.1, testFraction: 0.25 },
    training: {
      optimizer: { type: 'sgd', lr: 0.5 },
      batchSize: 16,
      epochs: 3,
      seed: 7,
      shuffle: true,
    },
    ...over,
  };
}

/** x → [Dense(h) → Tanh] × depth → Dense(1) → Sigmoid, with per-node extras. */
export function mlp(
  depth: number,
  hidden: number,
  extra: Record<string, Partial<NodeSpec>> = {},
): NodeSpec[] {
  const nodes: NodeSpec[] = [{ id: 'x', type: 'Input', params: { shape: [2] } }];
  let prev = 'x';
  for (let i = 1; i <= depth; i++) {
    nodes.push({
      id: `fc${i}`,
      type: 'Dense',
      params: { units: hidden },
      inputs: [prev],
      ...extra[`fc${i}`],
    });
    nodes.push({ id: `h${i}`, type: 'Tanh', inputs: [`fc${i}`], ...extra[`h${i}`] });
    prev = `h${i}`;
  }
  nodes.push({ id: 'out', type: 'Dense', params: { units: 1 }, inputs: [prev], ...extra.out });
  nodes.push({ id: 'y', type: 'Sigmoid', inputs: ['out'], ...extra.y });
  return nodes;
}

/**
 * A Trainer for a project, through the fused plan for plain chains (`fused`) or the tape, with
 * the built-in layers or those of `registry`.
 */
export function trainerFor(p: ProjectInput, fused: boolean, registry?: LayerRegistry): Trainer {
  const project = parseProject(p);
  const { graph, train, test, normalization } = prepareTraining(project, {
    host: nodeHost,
    registry,
  });
  return new Trainer({
    graph,
    train,
    test,
    normalization,
    loss: project.loss.type,
    config: project.training,
    fused,
  });
}
