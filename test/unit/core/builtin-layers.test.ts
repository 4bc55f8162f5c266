// The built-in layers are definitions like plugins', each holding all its capabilities; this is
// the part of docs/adding-a-layer.md a test can hold a new layer to.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arity } from '../../../core/layers/contract';
import { BUILTIN_DEFINITIONS, BUILTIN_LAYER_TYPES } from '../../../core/layers/builtin';
import { definitionsFromModule } from '../../../core/plugins/validate';

const FORMAT = readFileSync(new URL('../../../docs/project-format.md', import.meta.url), 'utf8');
const layers = BUILTIN_DEFINITIONS.filter((d) => !d.entry);

describe('the built-in layers', () => {
  it('pass the plugin validator, one definition per module', () => {
    for (const d of BUILTIN_DEFINITIONS)
      expect(definitionsFromModule({ default: d }, 'builtin', { builtin: true })).toEqual([d]);
  });

  it('have exactly one entry, the Input', () => {
    expect(BUILTIN_DEFINITIONS.filter((d) => d.entry).map((d) => d.type)).toEqual(['Input']);
  });

  it.each(layers.map((d) => [d.type, d] as const))(
    '%s carries its ONNX mapping, PyTorch code and Lab formulas, and a fused kernel if it takes one input',
    (_type, d) => {
      expect(typeof d.onnx).toBe('function');
      expect(d.pytorch).toBeDefined();
      expect(typeof d.lab?.forward).toBe('function');
      expect(typeof d.lab?.backward).toBe('function');
      if (arity(d).max === 1) expect(d.fused).toBeDefined();
    },
  );

  it.each(layers.map((d) => [d.type, d] as const))(
    '%s can be read back from ONNX (its onnxImport starts at an operator its onnx writes)',
    (_type, d) => {
      expect(d.onnxImport?.ops.length).toBeGreaterThan(0);
      expect(typeof d.onnxImport?.match).toBe('function');
    },
  );

  it('a built-in import pattern is checked as it is registered', () => {
    const [relu] = BUILTIN_DEFINITIONS.filter((d) => d.type === 'ReLU');
    const broken = { ...relu, onnxImport: { ops: [], match: () => null } };
    expect(() => definitionsFromModule({ default: broken }, 'builtin', { builtin: true })).toThrow(
      "layer 'ReLU': onnxImport.ops must list the ONNX operators it starts at, got an array",
    );
  });

  it('are each in the table of docs/project-format.md', () => {
    const from = FORMAT.indexOf('### Built-in layers');
    const table = FORMAT.slice(from, FORMAT.indexOf('\n\n', FORMAT.indexOf('| ---', from)));
    const rows = [...table.matchAll(/^\| `(\w+)` +\|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...BUILTIN_LAYER_TYPES]);
  });
});
