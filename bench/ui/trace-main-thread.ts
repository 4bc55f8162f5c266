// A Chromium trace of the page's main thread (Chrome DevTools Protocol): every task with its wall
// time and its CPU time. A long-task observer sees only wall time; on a loaded machine the OS
// can stretch a 3 ms task to 300 ms, and the trace tells the two apart.
import type { CDPSession, Page } from '@playwright/test';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** A trace of the page's main-thread tasks; `stop` gives each task's wall and CPU time (ms). */
export async function traceMainThread(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.start', {
    categories: 'toplevel,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  return {
    async stop(): Promise<{ wallMs: number; cpuMs: number }[]> {
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      const main = events.find(
        (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
      );
      if (!main) throw new Error('the trace has no renderer main thread');
      return events
        .filter(
          (e) => e.ph === 'X' && e.name === 'RunTask' && e.pid === main.pid && e.tid === main.tid,
        )
        .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
    },
  };
}
