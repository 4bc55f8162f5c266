import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PluginCatalog } from '../../../core/plugins/catalog';
import { sandboxEvaluator } from '../../../core/plugins/sandbox';
import { apiCompletion } from '../../../renderer/editor/completions';
import { lineProblems } from '../../../renderer/editor/diagnostics';
import { fileNameProblem } from '../../../renderer/editor/file-name';
import { layerTemplate, newLayerFileName } from '../../../renderer/editor/template';
import { API_TYPES, GENERATED, pluginApiModule } from '../../../scripts/editor-api';

const catalog = new PluginCatalog(sandboxEvaluator(() => {}));

describe('the layer editor’s completion', () => {
  it('is generated from plugins/api.d.ts and up to date (node --import tsx scripts/editor-api.ts)', async () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(
      await pluginApiModule(readFileSync(API_TYPES, 'utf8')),
    );
  });

  it('offers ctx, ctx.ops, ctx.rng and tensor members with their declarations', () => {
    const names = (s: string) => apiCompletion(s)?.members.map((m) => m.name);
    expect(names('    const y = ctx.')).toEqual(expect.arrayContaining(['save', 'zeros', 'ops']));
    expect(names('ctx.ops.ma')).toEqual(['matmul']);
    expect(names('ctx.rng.')).toEqual(['uniform', 'range', 'normal']);
    expect(names('x.')).toEqual(['shape', 'data', 'size']);
    expect(apiCompletion('Math.')).toBeNull();
    const zeros = apiCompletion('ctx.ze')!;
    expect(zeros.from).toBe(4);
    expect(zeros.members[0]).toMatchObject({ detail: 'zeros(shape: number[]): Tensor' });
  });
});

describe('the layer editor’s problems by line', () => {
  it('the template passes its own check', async () => {
    const s = await catalog.check('user:my-layer.js', layerTemplate('MyLayer'));
    expect(s.ok && s.layers[0].check.ok).toBe(true);
    expect(lineProblems(s, layerTemplate('MyLayer'))).toEqual([]);
  });

  it('puts a wrong gradient on the backward line, naming the tensor', async () => {
    const source = layerTemplate('T').replace(
      'ga.data[i % n] += gy.data[i] * t.data[i]',
      'ga.data[i % n] += t.data[i]',
    );
    const s = await catalog.check('user:t.js', source);
    const problems = lineProblems(s, source);
    const line = source.split('\n').findIndex((l) => l.includes('backward(')) + 1;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ line, severity: 'error' });
    expect(problems[0].message).toMatch(/Gradient of a is wrong at \[\d+\]/);
  });

  it('puts a syntax error and a throw where they are', async () => {
    const bad = 'export default {\n  type: "X",\n  forward(ctx x) {}\n};';
    expect(lineProblems(await catalog.check('user:x.js', bad), bad)).toEqual([
      expect.objectContaining({
        line: 3,
        column: 15,
        message: expect.stringContaining('syntax error'),
      }),
    ]);
    const thrower = layerTemplate('Th').replace('ctx.save(t);', 'ctx.save(t);\n    boom();');
    const [p] = lineProblems(await catalog.check('user:th.js', thrower), thrower);
    expect(p.line).toBe(thrower.split('\n').findIndex((l) => l.includes('boom()')) + 1);
    expect(p.message).toContain('during forward');
  });
});

describe('the layer editor’s file names', () => {
  it('accepts plain plugin file names and says why others are refused', () => {
    expect(fileNameProblem('my-layer.ts')).toBeNull();
    expect(fileNameProblem('a/b.js')).toMatch(/folders/);
    expect(fileNameProblem('.x.js')).toMatch(/dot/);
    expect(fileNameProblem('api.d.ts')).toMatch(/types only/);
    expect(fileNameProblem('x.txt')).toMatch(/ends in/);
    expect(newLayerFileName(['my-layer.js'])).toBe('my-layer-2.js');
  });
});
