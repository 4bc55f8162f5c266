// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ChartsPanel from '../../../../renderer/panels/charts/ChartsPanel.vue';
import { useGraphStore } from '../../../../renderer/stores/graph';
import type { EpochStats } from '../../../../renderer/worker/protocol-types';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, freshStores } from '../helpers/stores';
import { mountWithStores, progress } from '../toolbar/helpers';

// A Chart.js stand-in that records what the charts hand it.
interface FakeChart {
  data: { datasets: { label: string; data: { x: number; y: number }[] }[] };
  options: { scales: { x: Record<string, unknown>; y: { type: string } } };
  updates: (string | undefined)[];
}
const charts: FakeChart[] = [];
vi.mock('../../../../renderer/panels/charts/chart-setup', () => ({
  cssVar: (_: string, fallback: string) => fallback,
  chartJs: () =>
    class {
      data: FakeChart['data'];
      options: FakeChart['options'];
      updates: (string | undefined)[] = [];
      constructor(
        _el: unknown,
        config: { data: FakeChart['data']; options: FakeChart['options'] },
      ) {
        this.data = config.data;
        this.options = config.options;
        charts.push(this as unknown as FakeChart);
      }
      update(mode?: string) {
        this.updates.push(mode);
      }
      destroy() {}
    },
}));

const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

let unmount: (() => void) | null = null;
const drawCalls = new Map<string, number>();
beforeEach(() => {
  charts.length = 0;
  // A 2D context whose drawing calls do nothing but are counted (the sparkline draws by hand).
  drawCalls.clear();
  const ctx = new Proxy(
    {},
    {
      get: (t, k) =>
        k in t
          ? t[k as never]
          : () => drawCalls.set(String(k), (drawCalls.get(String(k)) ?? 0) + 1),
    },
  );
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(
    ctx as CanvasRenderingContext2D,
  );
});
afterEach(() => {
  unmount?.();
  unmount = null;
  vi.restoreAllMocks();
});

function stats(from: number, to: number, acc: number | null = 0.5): EpochStats[] {
  const out: EpochStats[] = [];
  for (let e = from; e <= to; e++)
    out.push({
      epoch: e,
      trainLoss: 1 / e,
      testLoss: 2 / e,
      trainAccuracy: acc,
      testAccuracy: acc,
    });
  return out;
}

async function setup() {
  const { worker } = freshStores<FakeWorker>();
  useGraphStore().load(XOR);
  const wrapper = mountWithStores(ChartsPanel);
  unmount = () => wrapper.unmount();
  await flushPromises();
  return { wrapper, worker };
}

describe('charts', () => {
  it('draw train and test curves from the history without animation, and show the last values', async () => {
    const { wrapper, worker } = await setup();
    expect(charts).toHaveLength(2);
    expect(wrapper.text()).toContain('Train to see the curves per epoch');
    worker.emit({ type: 'epochs', stats: stats(1, 4) });
    worker.emit({ type: 'progress', progress: progress({ epoch: 4 }) });
    await flushPromises();
    await frame();
    const [loss, acc] = charts;
    expect(loss.updates).toEqual(['none']);
    expect(loss.data.datasets.map((d) => d.label)).toEqual(['train', 'test']);
    expect(loss.data.datasets[0].data).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 0.5 },
      { x: 3, y: 1 / 3 },
      { x: 4, y: 0.25 },
    ]);
    expect(acc.data.datasets[1].data).toHaveLength(4);
    expect(wrapper.text()).toContain('train 0.250');
    expect(wrapper.text()).toContain('test 0.500');
    expect(wrapper.text()).toContain('train 50.0%');
    expect(wrapper.text()).not.toContain('Train to see the curves');
  });

  it('draws the batch loss from every batch a report carries, not one point per report', async () => {
    const { worker } = await setup();
    const losses = Array.from({ length: 20 }, (_, i) => 1 / (i + 1));
    worker.emit({ type: 'progress', progress: progress({ steps: 20, recentLosses: losses }) });
    await flushPromises();
    await frame();
    expect(drawCalls.get('moveTo')).toBe(1);
    expect(drawCalls.get('lineTo')).toBe(19);
  });

  it('coalesces many history updates into one redraw per frame', async () => {
    const { worker } = await setup();
    for (let i = 0; i < 10; i++)
      worker.emit({ type: 'epochs', stats: stats(i * 10 + 1, i * 10 + 10) });
    await flushPromises();
    await frame();
    expect(charts[0].updates).toEqual(['none']);
    expect(charts[0].data.datasets[0].data).toHaveLength(100);
  });

  it('decimates thousands of epochs to about a point per pixel', async () => {
    const { worker } = await setup();
    worker.emit({ type: 'epochs', stats: stats(1, 50_000) });
    await flushPromises();
    await frame();
    const points = charts[0].data.datasets[0].data;
    expect(points.length).toBeLessThanOrEqual(600);
    expect(points[0]).toEqual({ x: 1, y: 1 });
    expect(points.at(-1)).toEqual({ x: 50_000, y: 1 / 50_000 });
  });

  it('switches the loss axis between log and linear', async () => {
    const { wrapper } = await setup();
    expect(charts[0].options.scales.y.type).toBe('logarithmic');
    await wrapper.get('input[type=checkbox]').setValue(false);
    await frame();
    expect(charts[0].options.scales.y.type).toBe('linear');
    expect(charts[1].options.scales.y.type).toBe('linear');
  });

  it('says when there is no accuracy (a regression loss)', async () => {
    const { wrapper, worker } = await setup();
    worker.emit({ type: 'epochs', stats: stats(1, 3, null) });
    await flushPromises();
    expect(wrapper.text()).toContain('No accuracy: the targets are numbers');
  });
});
