// The number formatters after the sandbox's lockdown (core/plugins/sandbox/harden-realm.ts): the
// command line and the training worker load plugins in the engine's own thread, so every message
// formatted after the first plugin (a budget refusal, train's summary) is formatted under it.
import { describe, expect, it } from 'vitest';
import { hardenRealm } from '../../../core/plugins/sandbox/harden-realm';
import { formatBinaryBytes, formatInteger } from '../../../core/util/number-format';

describe('number formatting under lockdown', () => {
  it('groups thousands by hand, where toLocaleString no longer does', () => {
    hardenRealm();
    // SES's locale taming: toLocaleString is toString (what formatInteger must not rely on).
    expect((4e9).toLocaleString('en-US')).toBe('4000000000');
    expect([0, 999, 1000, 4e9, -1234567, 12.6, -0.4].map(formatInteger)).toEqual([
      '0',
      '999',
      '1,000',
      '4,000,000,000',
      '-1,234,567',
      '13',
      '0',
    ]);
    expect([NaN, Infinity, 1e21].map(formatInteger)).toEqual(['NaN', 'Infinity', '1e+21']);
    expect(formatBinaryBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
  });
});
