// The main process's log: the terminal that started the app (or the system log when packaged).
export const log = {
  warn(message: string): void {
    console.warn(`[backprop-lab] ${message}`);
  },
  error(message: string, error?: unknown): void {
    if (error === undefined) console.error(`[backprop-lab] ${message}`);
    else console.error(`[backprop-lab] ${message}`, error);
  },
};
