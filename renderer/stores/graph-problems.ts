// The live check's problems as the builder shows them: marks on nodes (each with a severity, so
// that other checks can add their own, a failed gradient check say) and the reason Train cannot
// start. Pure: the graph store computes these from the worker's last answer.
import type { ProjectIssue } from '../worker/protocol-types';

/** One thing to mark on a node: an error stops training, a warning does not. */
export interface NodeMark {
  severity: 'error' | 'warning';
  message: string;
}

/** Where in the Training tab a problem that no node has is shown. */
export type BlockerPlace = 'data' | 'loss' | 'settings' | 'training';

/** Why Train is disabled: the first problem that stops it, and the node it is on. */
export interface TrainBlocker {
  message: string;
  node?: string;
  /** For a problem no node has: the part of the Training tab that shows it. */
  where?: BlockerPlace;
  /** How many problems stop training in all. */
  count: number;
}

/** A field holding text it does not take (not committed): a node's, or the Training tab's. */
export interface FieldDraftError {
  label: string;
  message: string;
  /** The node whose parameter it is (the inspector's fields). */
  node?: string;
  /** The part of the Training tab it is in (the Training tab's fields). */
  where?: BlockerPlace;
}

/** The part of the Training tab that shows a problem at this project path. */
function placeOf(path: string): BlockerPlace {
  if (/^data\b/.test(path)) return 'data';
  if (/^loss\b/.test(path)) return 'loss';
  if (/^training\b/.test(path)) return 'settings';
  return 'training';
}

/**
 * A problem's message as shown on its own node: without the `node 'fc1' (Dense): ` a project
 * file's list puts in front.
 *
 * @example onNode("node 'relu1' (ReLU): takes 1 input, got 0", 'relu1') // 'takes 1 input, got 0'
 */
export function onNode(message: string, id: string): string {
  const head = `node '${id}'`;
  if (!message.startsWith(head)) return message;
  const rest = message.slice(head.length);
  const m = /^(?: \([^)]*\))?: /.exec(rest);
  return m ? rest.slice(m[0].length) : message;
}

/** Marks per node id: its problems as errors, then its warnings; each message once. */
export function marksByNode(
  errors: Readonly<Record<string, readonly ProjectIssue[]>>,
  warnings: Readonly<Record<string, readonly ProjectIssue[]>>,
): Record<string, NodeMark[]> {
  const out: Record<string, NodeMark[]> = {};
  const add = (id: string, severity: NodeMark['severity'], message: string) => {
    const list = (out[id] ??= []);
    const text = onNode(message, id);
    if (!list.some((m) => m.message === text)) list.push({ severity, message: text });
  };
  for (const [id, list] of Object.entries(errors))
    for (const i of list) add(id, 'error', i.message);
  for (const [id, list] of Object.entries(warnings))
    for (const i of list) add(id, 'warning', i.message);
  return out;
}

/** The most severe of some marks (null when there are none). */
export function worstSeverity(marks: readonly NodeMark[]): NodeMark['severity'] | null {
  if (marks.some((m) => m.severity === 'error')) return 'error';
  return marks.length ? 'warning' : null;
}

/**
 * Why training cannot start, or null: an empty canvas, or the live check's problems (every one
 * of them stops training; warnings are elsewhere and do not).
 */
export function trainBlocker(
  nodeCount: number,
  issues: readonly ProjectIssue[],
): TrainBlocker | null {
  if (nodeCount === 0) return { message: 'The canvas is empty: add layers first.', count: 1 };
  if (issues.length === 0) return null;
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  // Not capitalized: a message may start with a node id or a file name ("labels.csv:49:3: …").
  return {
    message: `Fix first: ${first.message}${more}`,
    ...(first.node ? { node: first.node } : { where: placeOf(first.path) }),
    count: issues.length,
  };
}

/**
 * Why Train cannot start while a field holds text it does not take ("1e400" as a learning
 * rate): the run would train on the value before it, which the field no longer shows.
 */
export function draftBlocker(drafts: readonly FieldDraftError[]): TrainBlocker | null {
  if (drafts.length === 0) return null;
  const [first] = drafts;
  const more = drafts.length > 1 ? ` (and ${drafts.length - 1} more)` : '';
  return {
    message: `Fix first: ${first.label}: ${first.message}${more}`,
    ...(first.node ? { node: first.node } : { where: first.where ?? 'training' }),
    count: drafts.length,
  };
}
