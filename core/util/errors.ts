/**
 * Every error Backprop Lab reports to a user carries a code, a readable message and, where it
 * has one, the place it happened (a node id, a field path, a file line), so the UI and the
 * command line can show it where it belongs.
 */
export type LabErrorCode =
  | 'PROJECT_SCHEMA'
  | 'PROJECT_GRAPH'
  | 'SHAPE_MISMATCH'
  | 'UNKNOWN_TYPE'
  | 'CYCLE'
  | 'DANGLING_INPUT'
  | 'DATA'
  | 'CSV'
  | 'WEIGHTS'
  | 'TRAINED'
  | 'SAFETENSORS'
  | 'NON_FINITE'
  | 'PLUGIN'
  | 'GRADIENT'
  | 'OP'
  /** More memory or work than the budget allows (core/graph/budget.ts). */
  | 'BUDGET'
  /** A step, a plugin load or an inspection ran past its time limit. */
  | 'TIMEOUT'
  | 'USAGE';

export interface LabErrorPlace {
  node?: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  plugin?: string;
  tensor?: string;
  phase?: string;
}

export class LabError extends Error {
  readonly code: LabErrorCode;
  readonly place: LabErrorPlace;
  /** Further problems found in the same pass (a project with several mistakes lists them all). */
  readonly problems: string[];

  constructor(
    code: LabErrorCode,
    message: string,
    place: LabErrorPlace = {},
    problems: string[] = [],
  ) {
    super(message);
    this.name = 'LabError';
    this.code = code;
    this.place = place;
    this.problems = problems.length ? problems : [message];
  }
}

export function isLabError(e: unknown): e is LabError {
  return e instanceof LabError;
}
