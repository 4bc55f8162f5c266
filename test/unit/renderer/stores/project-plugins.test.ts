import { describe, expect, it } from 'vitest';
import { withUsedPlugins } from '../../../../renderer/stores/project-plugins';
import type { LayerInfo } from '../../../../renderer/stores/layer-catalog';

const info = (source: string): LayerInfo => ({
  type: 'X',
  description: '',
  category: 'Plugins',
  params: {},
  inputs: { min: 1, max: 1 },
  source,
});
const layers: Record<string, LayerInfo> = {
  Dense: info('builtin'),
  Wacky: info('app:wacky.js'),
  Mine: info('user:my-layer.ts'),
};
const project = (types: string[], plugins?: string[]) => ({
  format: 'backprop-lab.project' as const,
  version: 1 as const,
  nodes: types.map((type, i) => ({ id: `n${i}`, type })),
  output: 'n0',
  loss: { type: 'MSE' as const },
  data: { source: 'builtin:xor' },
  ...(plugins ? { plugins } : {}),
});

describe('saving a project names the plugin files its nodes use', () => {
  it('adds each used plugin file once, by file name', () => {
    const out = withUsedPlugins(project(['Dense', 'Wacky', 'Mine', 'Wacky']), (t) => layers[t]);
    expect(out.plugins).toEqual(['wacky.js', 'my-layer.ts']);
  });

  it('keeps what the user listed and does not list a file twice', () => {
    const out = withUsedPlugins(
      project(['Wacky'], ['./plugins/wacky.js', './other.js']),
      (t) => layers[t],
    );
    expect(out.plugins).toEqual(['./plugins/wacky.js', './other.js']);
  });

  it('leaves a project without plugin layers as it is', () => {
    const p = project(['Dense']);
    expect(withUsedPlugins(p, (t) => layers[t])).toBe(p);
  });
});
