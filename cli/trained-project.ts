// A project file's saved training on the command line: resuming it (train --resume), writing a
// trained project (train --save), and the weights info and export use.
import type { Normalization } from '../core/data/normalize';
import type { CompiledGraph } from '../core/graph/compile';
import type { Project } from '../core/graph/schema';
import { matchWeights } from '../core/io/match-weights';
import type { WeightMap } from '../core/model/model';
import type { ProjectDocument } from '../core/project/document';
import { projectDocumentText } from '../core/project/document';
import { trainedText } from '../core/project/trained-section';
import type { Trainer } from '../core/train/trainer';
import { restoreTrainer, snapshotTrainer } from '../core/train/trainer-state';
import { LabError } from '../core/util/errors';
import { inFile } from './errors';
import { writeOutput } from './weights-files';

/** The saved training, or the reason it cannot be used (naming the file and the field). */
export function savedTraining(doc: ProjectDocument, file: string) {
  if (doc.trainedError) throw doc.trainedError;
  if (!doc.trained) {
    throw new LabError(
      'USAGE',
      `${file}: there is no saved training to resume (write one with 'backprop-lab train ${file} --save TRAINED.json')`,
      { file, path: 'trained' },
    );
  }
  return doc.trained;
}

/** Put the file's saved training into the trainer: it continues where the run stopped. */
export async function resumeTrainer(trainer: Trainer, doc: ProjectDocument, file: string) {
  const state = savedTraining(doc, file);
  await inFile(file, () => restoreTrainer(trainer, state));
}

/** The weights saved with the project, checked against the network, and their normalization. */
export async function savedWeights(
  graph: CompiledGraph,
  expected: Record<string, number[]>,
  doc: ProjectDocument,
  file: string,
): Promise<{ weights: WeightMap; normalization: Normalization | null }> {
  const state = savedTraining(doc, file);
  await inFile(file, () => {
    try {
      matchWeights(expected, state.weights);
    } catch (e) {
      if (!(e instanceof LabError)) throw e;
      const problems = e.problems.map((p) => `trained.weights.${p}`);
      throw new LabError(
        'TRAINED',
        `the saved weights do not fit the network '${graph.project.name}': ${problems[0]}`,
        { path: 'trained.weights' },
        problems,
      );
    }
  });
  return { weights: state.weights, normalization: state.normalization };
}

/** Write the project with the trainer's run (a version 2 project file), atomically. */
export function writeTrainedProject(file: string, project: Project, trainer: Trainer): void {
  const text = projectDocumentText(project, trainedText(snapshotTrainer(trainer)));
  writeOutput(file, text, 'trained project');
}

/** "epoch 37 of 200, 4 batches into the next; adam, 374 steps; last epoch's loss 0.0213". */
export function describeTraining(doc: ProjectDocument, epochs: number): string | null {
  const t = doc.trained;
  if (!t) return null;
  const { epoch, batch } = t.loop;
  const into = batch ? `, ${batch} batch${batch === 1 ? '' : 'es'} into the next` : '';
  const last = t.history.at(-1);
  const loss = last ? `; last epoch's loss ${last.trainLoss.toPrecision(4)}` : '';
  return `trained: epoch ${epoch} of ${epochs}${into}; ${t.optimizer.type}, ${t.optimizer.steps} steps${loss}`;
}
