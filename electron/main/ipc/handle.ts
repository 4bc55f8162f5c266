// The one way main answers the renderer: every handler is registered through `handle`, which
// refuses senders other than the app window's own page and validates every argument before
// the handler sees it.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import { LabError } from '../../../core/util/errors';
import { INVOKE_CHANNELS, type Invoke, type InvokeChannel } from '../../ipc/channels';
import { log } from '../log';
import type { AppUrlCheck } from '../security';

export type Args<C extends InvokeChannel> = Parameters<Invoke[C]>;
export type Result<C extends InvokeChannel> = ReturnType<Invoke[C]>;

/** A handler and the schema of its arguments (a tuple: one entry per argument). */
export interface HandlerSpec<C extends InvokeChannel> {
  args: z.ZodType<Args<C>>;
  run(...args: Args<C>): Result<C> | Promise<Result<C>>;
}

export type HandlerTable<C extends InvokeChannel = InvokeChannel> = { [K in C]: HandlerSpec<K> };

/** Why an IPC message is refused, or null when its sender is the app window's page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => string | null;

interface SenderWindow {
  isDestroyed(): boolean;
  webContents: { id: number };
}

export function createSenderCheck(
  getWindow: () => SenderWindow | null,
  isAppUrl: AppUrlCheck,
): SenderCheck {
  return (event) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return 'the app window is closed';
    if (event.sender.id !== win.webContents.id) return 'it does not come from the app window';
    const frame = event.senderFrame;
    if (!frame) return 'the frame that sent it is gone';
    if (frame.parent !== null) return `it comes from a subframe (${frame.url})`;
    if (!isAppUrl(frame.url)) return `it comes from ${frame.url}, not from the app's page`;
    return null;
  };
}

export type Handle = <C extends InvokeChannel>(
  channel: C,
  args: z.ZodType<Args<C>>,
  fn: (...args: Args<C>) => Result<C> | Promise<Result<C>>,
) => void;

export function createHandle(ipcMain: Pick<IpcMain, 'handle'>, checkSender: SenderCheck): Handle {
  return (channel, args, fn) => {
    ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
      const refused = checkSender(event);
      if (refused !== null) {
        const message = `Refused IPC '${channel}': ${refused}.`;
        log.error(message);
        throw new LabError('USAGE', message);
      }
      const parsed = args.safeParse(raw);
      if (!parsed.success) {
        const problems = describeIssues(parsed.error.issues, raw.length);
        const message = `Invalid payload for '${channel}': ${problems}.`;
        log.error(message);
        throw new LabError('USAGE', message);
      }
      try {
        return await fn(...parsed.data);
      } catch (e) {
        log.error(`IPC '${channel}' failed`, e);
        throw e;
      }
    });
  };
}

/** Registers the whole table; its type makes sure every channel of the map has a handler. */
export function registerHandlers(handle: Handle, table: HandlerTable): void {
  const register = <C extends InvokeChannel>(channel: C) =>
    handle(channel, table[channel].args, (...a) => table[channel].run(...a));
  for (const channel of INVOKE_CHANNELS) register(channel);
}

/** "argument 1 › text: expected string, received number; …" */
export function describeIssues(issues: readonly z.core.$ZodIssue[], argCount: number): string {
  return issues
    .map((issue) => {
      const [index, ...rest] = issue.path;
      if (index === undefined && (issue.code === 'too_big' || issue.code === 'too_small')) {
        const n = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
        return `expected ${n} argument${n === 1 ? '' : 's'}, got ${argCount}`;
      }
      const where =
        typeof index === 'number'
          ? [`argument ${index + 1}`, ...rest.map(String)].join(' › ')
          : 'arguments';
      return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
    })
    .join('; ');
}
