import { LabError } from '../util/errors';
import { jsonSyntaxError } from '../util/json-position';
import { type Project, projectSchema } from './schema';

/** The newest project format version this code reads (2: a project with its training). */
export const LATEST_VERSION = 2;

/** One problem in a project, at a field path like `nodes[2].params.units`. */
export interface ProjectIssue {
  path: string;
  node?: string;
  message: string;
}

export class ProjectError extends LabError {
  readonly issues: ProjectIssue[];
  constructor(
    code: 'PROJECT_SCHEMA' | 'PROJECT_GRAPH',
    summary: string,
    issues: ProjectIssue[],
    file?: string,
  ) {
    super(
      code,
      summary,
      { file, path: issues[0]?.path, node: issues[0]?.node },
      issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)),
    );
    this.issues = issues;
  }
}

/** `nodes[2].params.units` from zod's ['nodes', 2, 'params', 'units']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s;
}

/**
 * Validate a project (already parsed from JSON) against the format, listing every
 * problem with its field path. Text that is not JSON is reported with its line and column.
 *
 * @example const project = parseProject(JSON.parse(text));
 */
export function parseProject(value: unknown, file?: string): Project {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (v.format !== undefined && v.format !== 'backprop-lab.project') {
      throw new ProjectError(
        'PROJECT_SCHEMA',
        `${where(file)}not a Backprop Lab project (format is ${JSON.stringify(v.format)})`,
        [
          {
            path: 'format',
            message: `expected "backprop-lab.project", got ${JSON.stringify(v.format)}`,
          },
        ],
        file,
      );
    }
    if (typeof v.version === 'number' && v.version > LATEST_VERSION) {
      throw new ProjectError(
        'PROJECT_SCHEMA',
        `${where(file)}project format version ${v.version} is newer than this app reads (${LATEST_VERSION})`,
        [
          {
            path: 'version',
            message: `version ${v.version} is not supported; this version of Backprop Lab reads versions 1 and ${LATEST_VERSION}`,
          },
        ],
        file,
      );
    }
  }
  const r = projectSchema.safeParse(value);
  if (r.success) return r.data;
  const nodes = Array.isArray((value as { nodes?: unknown })?.nodes)
    ? (value as { nodes: { id?: unknown }[] }).nodes
    : [];
  const issues: ProjectIssue[] = r.error.issues.map((i) => {
    const path = formatPath(i.path);
    const nodeIndex = i.path[0] === 'nodes' && typeof i.path[1] === 'number' ? i.path[1] : -1;
    const id = nodeIndex >= 0 ? nodes[nodeIndex]?.id : undefined;
    return { path, node: typeof id === 'string' ? id : undefined, message: friendly(i) };
  });
  const head =
    issues.length === 1
      ? `${issues[0].path || 'project'}: ${issues[0].message}`
      : `${issues.length} problems in the project, first ${issues[0].path || 'project'}: ${issues[0].message}`;
  throw new ProjectError('PROJECT_SCHEMA', `${where(file)}${head}`, issues, file);
}

/** Parse project text: JSON syntax errors come back with line and column. */
export function parseProjectText(text: string, file?: string): Project {
  return parseProject(parseJsonText(text, file), file);
}

/** JSON.parse for a project file: a syntax error says where (line, column) and why. */
export function parseJsonText(text: string, file?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // JSON.parse's own message rarely says where (and differs between engines): find it.
    const at = jsonSyntaxError(text);
    const reason = at?.reason ?? (e instanceof Error ? e.message : String(e));
    const pos = at ? `line ${at.line}, column ${at.column}: ` : '';
    throw new LabError('PROJECT_SCHEMA', `${where(file)}${pos}not valid JSON (${reason})`, {
      file,
      line: at?.line,
      column: at?.column,
    });
  }
}

/** Zod's wording, made plainer where it matters most: a missing field says so. */
function friendly(i: { code: string; message: string; expected?: unknown }): string {
  if (i.code === 'invalid_type' && /received undefined$/.test(i.message)) {
    return `is missing (expected ${article(String(i.expected))})`;
  }
  return i.message;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function where(file?: string): string {
  return file ? `${file}: ` : '';
}
