import { describe, expect, it } from 'vitest';
import { pluginSourceToJs } from '../../../core/plugins/source';

describe('syntax errors in files whose id holds a colon (the app names files user:x.js)', () => {
  it('are reported once, without the transformer’s own prefix', () => {
    expect(() => pluginSourceToJs('export default {\n  x: +*\n}', 'user:scaled.js')).toThrow(
      /^user:scaled\.js:2:\d+: syntax error: Unexpected token$/,
    );
  });
});
