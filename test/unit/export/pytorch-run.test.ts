// The exported .py file, run by Debian's python3-torch, computes what the engine computes.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../core/export';
import {
  allNets,
  coreOutput,
  inputsFor,
  maxAbsDiff,
  WACKY_MAPPED,
  preluNet,
  WACKY_UNMAPPED,
  wackyNet,
  type Net,
} from './networks';
import { PYTHON, runExportedPython, scratch, whyNoTorch } from './python-torch';

const prelu = await preluNet();

const skipReason = whyNoTorch();
if (skipReason) console.warn(`PyTorch export checks skipped: ${skipReason}`);
const tmp = scratch();
afterAll(() => tmp.cleanup());

function exportBoth(net: Net, stem: string): { py: string; weights: string } {
  const input = { graph: net.graph, weights: net.weights };
  return {
    py: tmp.file(`${stem}.py`, exportModel('py', input)),
    weights: tmp.file(`${stem}.safetensors`, exportModel('safetensors', input)),
  };
}

describe.skipIf(skipReason !== undefined)('PyTorch export run by python3-torch', () => {
  for (const net of [...allNets(), wackyNet(WACKY_MAPPED), prelu]) {
    it(`${net.name}: load() gives the engine's outputs within 1e-5`, () => {
      const files = exportBoth(net, net.name);
      const input = inputsFor(net);
      const run = runExportedPython(files.py, files.weights, input, tmp.dir);
      expect(run.training).toBe(false);
      expect(run.shape).toEqual([input.dims[0], ...net.graph.output.outShape]);
      expect(maxAbsDiff(run.values!, coreOutput(net, input))).toBeLessThan(1e-5);
      // Every exported weight has its state_dict entry, with its shape.
      expect(Object.keys(run.weightNames).sort()).toEqual(Object.keys(net.weights).sort());
      for (const [name, key] of Object.entries(run.weightNames)) {
        expect(run.stateDict[key], name).toEqual(net.weights[name].shape);
      }
    });
  }

  it('keeps state_dict keys equal to the weight names when node ids are Python identifiers', () => {
    const xor = allNets()[0];
    const files = exportBoth(xor, 'xor-keys');
    const run = runExportedPython(files.py, files.weights, inputsFor(xor), tmp.dir);
    for (const [name, key] of Object.entries(run.weightNames)) expect(key).toBe(name);
  });

  it('maps ids that Python cannot use to identifiers, and loads by the explicit name map', () => {
    const net = allNets().find((n) => n.name === 'python-names')!;
    const files = exportBoth(net, 'names');
    const run = runExportedPython(files.py, files.weights, inputsFor(net), tmp.dir);
    expect(run.weightNames).toEqual({
      'class.weight': 'class_.weight',
      'class.bias': 'class_.bias',
      'forward.weight': 'forward_.weight',
      'forward.bias': 'forward_.bias',
      '_modules.weight': 'n_modules.weight',
      '_modules.bias': 'n_modules.bias',
      'my-out.weight': 'my_out.weight',
      'my-out.bias': 'my_out.bias',
    });
  });

  it('a plugin without PyTorch code becomes a class that raises NotImplementedError; its weights still load', () => {
    const net = wackyNet(WACKY_UNMAPPED);
    const files = exportBoth(net, 'wacky-stub');
    const run = runExportedPython(files.py, files.weights, inputsFor(net), tmp.dir);
    expect(run.notImplemented).toBe(
      'the plugin layer Wacky (from wacky.js) has no PyTorch code: port the forward() of its ' +
        'JavaScript definition into the class Wacky in this file',
    );
    expect(run.weightNames['w-1.a']).toBe('w_1.a');
    expect(run.loadedWeights!['w_1.a']).toEqual(Array.from(net.weights['w-1.a'].data));
    expect(run.loadedWeights!['fc.weight']).toEqual(Array.from(net.weights['fc.weight'].data));
  });

  it('runs as a script: prints the output for zeros, with or without weights', () => {
    const xor = allNets()[0];
    const files = exportBoth(xor, 'xor-main');
    const withWeights = spawnSync(PYTHON, [files.py, files.weights], { encoding: 'utf8' });
    expect(withWeights.status, withWeights.stderr).toBe(0);
    expect(withWeights.stdout).toMatch(/^tensor\(\[\[0\.\d+\]\]\)/);
    const fresh = spawnSync(PYTHON, [files.py], { encoding: 'utf8' });
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stderr).toContain("no weights file given: using PyTorch's initial weights");
  });

  it('load() refuses weights of another network, naming what is missing and extra', () => {
    const xor = allNets()[0];
    const iris = allNets()[1];
    const files = exportBoth(xor, 'xor-wrong');
    const irisWeights = exportBoth(iris, 'iris-wrong').weights;
    const run = spawnSync(PYTHON, [files.py, irisWeights], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(
      /the weights do not match this network: missing \['fc1\.weight'|missing \[.*'fc2\.weight'/,
    );
    expect(run.stderr).toContain("'logits.weight'");
  });
});
