// What the worker's check of a draft says, as problems at lines of the file: a syntax error or
// a refusal where it was found, a throw inside build/forward/backward where it was raised (or
// on that function's line), a wrong gradient on the backward that computed it. No CodeMirror
// here: the editor turns these into lint markers.
import type { PluginStatus } from '../worker/protocol-types';
import { describeCheck } from '../panels/plugins/plugin-check';

export interface LineProblem {
  /** 1-based. */
  line: number;
  /** 1-based; absent: the whole line. */
  column?: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Every problem of the check, by line (several may share one). */
export function lineProblems(status: PluginStatus, source: string): LineProblem[] {
  const lines = source.split('\n');
  const clamp = (n: number) => Math.min(Math.max(1, n), lines.length);
  if (!status.ok) {
    const e = status.error;
    const message = short(e?.message ?? 'the plugin could not be loaded', status.file);
    const line = e?.line ?? (e?.field === 'type' ? lineOf(lines, /\btype\s*:/, 0) : null) ?? 1;
    return [{ line: clamp(line), column: e?.column, severity: 'error', message }];
  }
  const out: LineProblem[] = [];
  for (const layer of status.layers) {
    const start = lineOf(lines, new RegExp(`\\btype\\s*:\\s*['"\`]${escape(layer.type)}['"\`]`), 0);
    const from = start ?? 1;
    const fn = (name: string) => lineOf(lines, new RegExp(`\\b${name}\\s*[(:]`), from - 1);
    const g = layer.check.gradcheck;
    if (g.error) {
      const phase = /during (build|forward|backward)\b/.exec(g.error)?.[1];
      const line = g.at?.line ?? (phase ? fn(phase) : null) ?? from;
      out.push({
        line: clamp(line),
        column: g.at?.column,
        severity: 'error',
        message: short(g.error, status.file),
      });
      continue;
    }
    // Wrong gradients come from backward (or, without one, from a forward autograd cannot follow).
    const where = fn('backward') ?? fn('forward') ?? from;
    for (const c of describeCheck(layer.check)) {
      if (c.ok) continue;
      const fused = /fused/i.test(c.text) ? fn('fused') : null;
      out.push({
        line: clamp(fused ?? where),
        severity: c.text.includes('not checked') ? 'warning' : 'error',
        message: `${layer.type}: ${c.text}`,
      });
    }
  }
  return out;
}

/** The first line (1-based) at or after `from` (0-based) that matches. */
function lineOf(lines: string[], re: RegExp, from: number): number | null {
  for (let i = Math.max(0, from); i < lines.length; i++) if (re.test(lines[i])) return i + 1;
  return null;
}

/** Messages name the file and the place; at a line of that file, the file's name is noise. */
function short(message: string, file: string): string {
  return message
    .replace(new RegExp(`^${escape(file)}(:\\d+(:\\d+)?)?: `), '')
    .replace(` from plugin ${file}`, '')
    .replace(' (node gradcheck)', '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
