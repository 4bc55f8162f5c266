/**
 * A macrotask yield through a MessageChannel: it lets the worker's queued messages (pause, stop,
 * compile) run between slices of training, without setTimeout's 4 ms clamp on nested timers.
 *
 * @example const runner = new TrainingRunner(trainer, cb, { yieldToHost: macrotaskYield() });
 */
export function macrotaskYield(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}
