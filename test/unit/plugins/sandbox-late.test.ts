// The engine's modules evaluated before the realm is hardened (as here: this file imports them
// first) must not leave Node's own code broken after a plugin loads.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { LabError } from '../../../core/util/errors';
import { preluNet } from '../export/networks';

describe('a realm hardened after the engine loaded', () => {
  test('Error.stackTraceLimit stays assignable, so Node can still report a failed spawn', async () => {
    await preluNet();
    expect(() => {
      Error.stackTraceLimit = 12;
    }).not.toThrow();
    expect(Error.stackTraceLimit).toBe(12);
    const r = spawnSync('/nonexistent/program');
    expect((r.error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  test('LabError is still an Error and frozen', () => {
    const e = new LabError('PLUGIN', 'x');
    expect(e).toBeInstanceOf(Error);
    expect(Object.isFrozen(LabError)).toBe(true);
  });
});
