/** Writing Python source text: literals, identifiers and comments that are always valid. */

/** A Python str literal for any text (non-ASCII escaped, so the file is plain ASCII). */
export function pyString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** A float literal: `0.01`, `2.0`, `1e-07` (always reads back as the same double). */
export function pyFloat(value: number): string {
  if (!Number.isFinite(value))
    return `float(${pyString(String(value).replace('Infinity', 'inf'))})`;
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : String(value);
}

/** A literal for a layer parameter or a shape: numbers, booleans, strings and lists of them. */
export function pyValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  return 'None';
}

/** A shape as a Python tuple: `(2,)`, `(8, 2)`, `()`. */
export function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function pyDict(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${v}`).join(', ')}}`;
}

/** Text for one comment line: no line breaks or control characters can end the comment. */
export function commentText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 ? ' ' : ch;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try ' +
    'while with yield'
  ).split(' '),
);

/** Names the generated module uses itself: a layer variable must not hide them. */
const MODULE_NAMES = new Set(
  'self torch nn F np json math struct sys Net build load read_safetensors WEIGHT_NAMES INPUT_SHAPE OUTPUT_SHAPE'.split(
    ' ',
  ),
);

/**
 * Attributes every torch.nn.Module has (torch 1.13 to 2.x): a layer stored under one of these
 * names would replace a method. Names starting with _ are avoided altogether.
 */
export const MODULE_ATTRIBUTES = new Set(
  (
    'T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda ' +
    'double dump_patches eval extra_repr float forward get_buffer get_extra_state get_parameter ' +
    'get_submodule half ipu load_state_dict modules mtia named_buffers named_children ' +
    'named_modules named_parameters parameters register_backward_hook register_buffer ' +
    'register_forward_hook register_forward_pre_hook register_full_backward_hook ' +
    'register_full_backward_pre_hook register_load_state_dict_post_hook ' +
    'register_load_state_dict_pre_hook register_module register_parameter ' +
    'register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ ' +
    'set_extra_state set_submodule share_memory smart_apply state_dict to to_empty train ' +
    'training type xpu zero_grad'
  ).split(' '),
);

export function isPyIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name);
}

/**
 * Gives each node id a Python identifier that is unique, is no keyword, hides nothing the
 * module uses and is no nn.Module attribute: `fc1` stays `fc1`, `my-layer` becomes `my_layer`,
 * `in` becomes `in_`.
 */
export class PyNames {
  private readonly used = new Set<string>();

  reserve(name: string): void {
    this.used.add(name);
  }

  identifier(id: string): string {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base)) base = `n${base}`;
    if (KEYWORDS.has(base) || MODULE_NAMES.has(base) || MODULE_ATTRIBUTES.has(base)) base += '_';
    if (base.startsWith('_')) base = `n${base}`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** Removes the common indentation of a block of code and blank lines around it. */
export function dedent(code: string): string {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd()).join('\n');
}
