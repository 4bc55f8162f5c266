/**
 * Exit codes: 0 success, 1 the run failed (diverged, gradcheck mismatch, a step or plugin load
 * ran past --step-timeout), 2 bad input, 70 a bug.
 */
export const EXIT = { ok: 0, failed: 1, badInput: 2, internal: 70 } as const;
