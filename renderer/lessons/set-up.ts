// What most lessons do first: open the lecture's network (the XOR example: x → Dense → tanh →
// Dense → sigmoid), and bring one Lab view to the front.
import type { ProjectInput } from '../../core/graph/schema';
import type { LabViewId, NodeInfo } from '../lab/inspect-types';
import { EXAMPLE_PROJECT } from '../stores/project';
import type { LessonApp } from './lesson';

export interface LabSetUp {
  /** The project to open (the XOR example by default). */
  project?: ProjectInput;
  view: LabViewId;
  /** Show the Lab in the main area, for room (the sidebar keeps the lesson). */
  expand?: boolean;
  /** Settings of the view, set before it is asked for. */
  before?: (app: LessonApp) => void;
}

/** Open the lesson's network and view; false when the student kept unsaved work instead. */
export async function setUpLab(app: LessonApp, o: LabSetUp): Promise<boolean> {
  if (!(await app.project.openBuiltIn(o.project ?? EXAMPLE_PROJECT))) return false;
  app.lab.clearMoved();
  o.before?.(app);
  app.lab.show(o.view);
  app.ui.setLabInMain(o.expand ?? false);
  app.showTab('lab');
  await app.labAnswer();
  return true;
}

/** The layers' linear nodes (Dense) in the lecture's order, k = 1, 2, … */
export function linearNodes(nodes: readonly NodeInfo[]): NodeInfo[] {
  return nodes.filter((n) => n.linear).sort((a, b) => a.k - b.k);
}

/** Mean of the absolute values. */
export function meanAbs(data: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += Math.abs(data[i]);
  return data.length ? s / data.length : 0;
}
