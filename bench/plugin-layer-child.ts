// One process of the plugin-layer benchmark (bench/plugin-layer.ts): load the shipped Wacky and
// Swish plugins either the way the command line loads them, or as plain ES modules evaluated with
// no sandbox at all (how plugins ran before they were confined), then train a network with both
// layers and print its steps per second as one JSON line.
//   node --import tsx bench/plugin-layer-child.ts cli|plain SECONDS REPEATS
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { subset } from '../core/data/dataset';
import { compileProject } from '../core/graph/compile';
import { parseProject } from '../core/graph/parse';
import { LayerRegistry } from '../core/layers/registry';
import { pluginSourceToJs } from '../core/plugins/source';
import { definitionsFromModule } from '../core/plugins/validate';
import { Trainer } from '../core/train/trainer';
import { Rng } from '../core/util/rng';
import { loadPlugins } from '../cli/plugins';
import { PLUGIN_WORKLOAD, pluginProject } from './plugin-workload';

const [mode, secondsArg, repeatsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 1.5);
const repeats = Number(repeatsArg ?? 5);
const FILES = ['wacky.js', 'swish.ts'];
const pluginPath = (f: string) => fileURLToPath(new URL(`../plugins/${f}`, import.meta.url));

/**
 * Plugins as ES modules from data: URLs in this realm, with nothing confined and nothing
 * wrapped: how the engine ran them before the sandbox.
 */
async function plainRegistry() {
  const registry = new LayerRegistry();
  for (const f of FILES) {
    const js = pluginSourceToJs(readFileSync(pluginPath(f), 'utf8'), f);
    const url = `data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`;
    for (const def of definitionsFromModule(await import(/* @vite-ignore */ url), f))
      registry.add(def, f);
  }
  return registry;
}

async function cliRegistry() {
  const files = FILES.map((f) => ({ label: f, path: pluginPath(f) }));
  return (await loadPlugins(files)).registry;
}

const registry = mode === 'plain' ? await plainRegistry() : await cliRegistry();
const w = PLUGIN_WORKLOAD;
const project = parseProject(pluginProject(w));
const graph = compileProject(project, registry);
const rng = new Rng(w.seed);
const n = w.batchSize * w.batches;
const x = new Float32Array(n * w.inputs).map(() => rng.range(-1, 1));
const y = new Float32Array(n).map(() => (rng.uniform() < 0.5 ? 1 : 0));
const dataset = {
  name: 'bench:plugins',
  n,
  inDim: w.inputs,
  yDim: 1,
  x,
  y,
  featureNames: Array.from({ length: w.inputs }, (_, i) => `x${i}`),
  targetNames: ['y'],
};
const trainer = new Trainer({
  graph,
  train: dataset,
  test: subset(dataset, []),
  loss: project.loss.type,
  config: project.training,
});
let loss = 0;
for (let i = 0; i < w.warmupSteps; i++) loss = trainer.step().loss;
// Wall time and this process's CPU time: on a shared machine the second is the steadier.
const windows: { steps: number; seconds: number; cpuSeconds: number }[] = [];
for (let r = 0; r < repeats; r++) {
  let steps = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    trainer.step();
    steps++;
    t = performance.now();
  }
  const cpu = process.cpuUsage(c0);
  windows.push({ steps, seconds: (t - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
}
process.stdout.write(`${JSON.stringify({ mode, warmupLoss: loss, windows })}\n`);
