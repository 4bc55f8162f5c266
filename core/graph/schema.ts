import { z } from 'zod';
import { NORMALIZE_KINDS } from '../data/normalize';
import { LOSS_TYPES } from '../losses';

// The project file: the contract documented in docs/project-format.md. This is the project
// itself (versions 1 and 2 alike); version 2 adds the saved training, read by
// project/document.ts and project/trained-section.ts.

const nodeId = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*$/,
    'a node id starts with a letter or _ and holds only letters, digits, _ and -',
  );

const paramValue = z.union([z.number(), z.boolean(), z.string(), z.array(z.number())]);

export const nodeSchema = z.strictObject({
  id: nodeId,
  type: z.string().min(1, 'a node needs a type'),
  params: z.record(z.string(), paramValue).optional(),
  inputs: z.array(z.string()).optional(),
  frozen: z.boolean().optional(),
  detach: z.boolean().optional(),
  memory: z.enum(['store', 'recompute']).optional(),
});

export const dataSchema = z
  .strictObject({
    source: z
      .string()
      .regex(/^(builtin|csv):.+/, "a data source is 'builtin:<name>' or 'csv:<path>'")
      .optional(),
    samples: z.number().int().positive().optional(),
    noise: z.number().min(0).optional(),
    seed: z.number().int().optional(),
    testFraction: z.number().min(0).max(0.9).optional(),
    normalize: z.enum(NORMALIZE_KINDS).optional(),
    target: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    targets: z.array(z.string()).min(1).optional(),
    x: z.array(z.array(z.number())).optional(),
    y: z.array(z.array(z.number())).optional(),
  })
  .superRefine((d, ctx) => {
    const inline = d.x !== undefined || d.y !== undefined;
    if (!d.source && !inline)
      ctx.addIssue({ code: 'custom', message: "give either 'source' or inline 'x' and 'y'" });
    if (d.source && inline)
      ctx.addIssue({
        code: 'custom',
        message: "give either 'source' or inline 'x' and 'y', not both",
      });
    if (inline && (d.x === undefined || d.y === undefined))
      ctx.addIssue({ code: 'custom', message: "inline data needs both 'x' and 'y'" });
    if (d.source?.startsWith('csv:') && !d.target && !d.targets) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: 'a CSV source needs the target column name(s)',
      });
    }
  });

export const optimizerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('sgd'),
    lr: z.number().positive().default(0.001),
    momentum: z.number().min(0).max(1).default(0),
    weightDecay: z.number().min(0).default(0),
  }),
  z.strictObject({
    type: z.literal('adam'),
    lr: z.number().positive().default(0.001),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: z.number().positive().default(1e-8),
    weightDecay: z.number().min(0).default(0),
  }),
]);

export const trainingSchema = z.strictObject({
  optimizer: optimizerSchema.default({ type: 'sgd', lr: 0.001, momentum: 0, weightDecay: 0 }),
  batchSize: z.number().int().positive().default(32),
  epochs: z.number().int().min(0).default(100),
  seed: z.number().int().default(0),
  shuffle: z.boolean().default(true),
});

export const projectSchema = z.strictObject({
  format: z.literal('backprop-lab.project'),
  // Version 2 is version 1 with a `trained` section (taken off before this schema runs): the
  // project itself reads the same, and is version 1 in memory.
  version: z.union([z.literal(1), z.literal(2)]).transform((): 1 => 1),
  name: z.string().default('Untitled'),
  description: z.string().optional(),
  nodes: z.array(nodeSchema).min(1, 'a project needs at least one node'),
  output: z.string(),
  loss: z.strictObject({ type: z.enum(LOSS_TYPES) }),
  data: dataSchema,
  training: trainingSchema.default({
    optimizer: { type: 'sgd', lr: 0.001, momentum: 0, weightDecay: 0 },
    batchSize: 32,
    epochs: 100,
    seed: 0,
    shuffle: true,
  }),
  plugins: z.array(z.string()).default([]),
  layout: z.record(z.string(), z.strictObject({ x: z.number(), y: z.number() })).optional(),
});

/** A project as written in a file (defaults may be missing). */
export type ProjectInput = z.input<typeof projectSchema>;
/** A validated project with every default filled in. */
export type Project = z.output<typeof projectSchema>;
export type ProjectNode = z.output<typeof nodeSchema>;
export type DataSpec = z.output<typeof dataSchema>;
export type OptimizerConfig = z.output<typeof optimizerSchema>;
export type TrainingConfig = z.output<typeof trainingSchema>;
