// The builder canvas's maps of each neuron over the input plane (for networks on 2-D data):
// asked of the worker while a canvas shows them, kept live while training (every step at slow
// speeds, a few times a second at full speed), drawn inside the nodes.
import { defineStore } from 'pinia';
import { computed, markRaw, nextTick, ref, shallowRef, watch } from 'vue';
import type { NodeMaps } from '../../core/inspect/neuron-maps';
import { sizeOf } from '../../core/tensor/tensor';
import { recordTime } from '../lab/draw/canvas';
import type { InspectRequest, NeuronsResult, ResultContext } from '../lab/inspect-types';
import type { FromWorker } from '../worker/protocol';
import { clonePlain } from './clone';
import { useGraphStore } from './graph';
import { usePluginsStore } from './plugins';
import { services } from './services';
import { useTrainingStore } from './training';
import { viewKey, viewWeights } from './view-weights';

/** Cells across each map, and the most neurons of one node that get a map. */
export const NEURON_MAP = { grid: 24, maxUnits: 16 } as const;

export const useNeuronMapsStore = defineStore('neuronMaps', () => {
  const graph = useGraphStore();
  const training = useTrainingStore();
  const plugins = usePluginsStore();

  /** The person wants the maps (the canvas's toggle). */
  const enabled = ref(true);
  /** How many canvases draw them. */
  const viewers = ref(0);
  /** The network takes 2 features: there is a plane to map. */
  const twoD = computed(() => {
    // The network's input: the node whose layer takes no inputs.
    const input = graph.nodes.find((n) => plugins.layerInfo(n.type)?.inputs.max === 0);
    const shape = input ? graph.summary?.nodes[input.id]?.outShape : undefined;
    return !!shape && sizeOf(shape) === 2;
  });
  const wanted = computed(() => enabled.value && viewers.value > 0 && twoD.value);
  /** The last maps, with the weights they were made from. */
  const result = shallowRef<(NeuronsResult & ResultContext) | null>(null);
  /** Answers received (the nodes redraw when it changes). */
  const version = ref(0);

  let seq = 0;
  let scheduled = false;
  const projectKey = computed(() => viewKey(graph.project));

  function send(): void {
    seq++;
    const { worker } = services();
    if (!wanted.value) {
      worker.post({ type: 'neuronMaps', seq, request: null });
      return;
    }
    const p = graph.project;
    const source = viewWeights(training);
    const request: InspectRequest = {
      query: { view: 'neurons', ...NEURON_MAP },
      project: clonePlain(p),
      weights: source,
    };
    worker.post({ type: 'neuronMaps', seq, request });
  }

  function refresh(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      send();
    });
  }

  function receive(msg: FromWorker): void {
    if (msg.type !== 'neuronMaps' || msg.seq !== seq) return;
    const t0 = performance.now();
    const r = msg.result;
    // A network that does not compute (yet) has no maps: the nodes draw none.
    result.value = r?.view === 'neurons' ? markRaw(r) : null;
    version.value++;
    void nextTick(() => recordTime('update:neuron-maps', performance.now() - t0));
  }

  /** The maps of one node's neurons, if it has some. */
  function forNode(id: string): NodeMaps | null {
    return result.value?.maps.nodes.find((n) => n.id === id) ?? null;
  }

  function attach(): void {
    viewers.value++;
  }

  function detach(): void {
    viewers.value = Math.max(0, viewers.value - 1);
  }

  watch([wanted, projectKey], () => refresh());
  watch(
    () => training.active,
    () => refresh(),
  );
  watch(
    () => [training.weights, training.weightsEpoch],
    () => {
      if (!training.active) refresh();
    },
  );
  watch(wanted, (on) => {
    if (!on) {
      result.value = null;
      version.value++;
    }
  });

  services().worker.subscribe(receive);
  services().worker.onRestart(() => wanted.value && refresh());

  return { enabled, viewers, twoD, wanted, result, version, forNode, attach, detach, refresh };
});
