import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatInteger,
  formatNumber,
  formatPercent,
  formatScientific,
  formatSigned,
} from '../../../core/util/number-format';

describe('formatNumber', () => {
  it('writes a few significant digits and drops trailing zeros', () => {
    expect(formatNumber(0.042131)).toBe('0.04213');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(1200)).toBe('1200');
    expect(formatNumber(100)).toBe('100');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-2.5)).toBe('-2.5');
  });

  it('switches to exponent form only for very small or large magnitudes', () => {
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(12345)).toBe('1.235e+4');
    expect(formatNumber(12345, { large: 1e5 })).toBe('12350');
    expect(formatNumber(3.2e38, { expDigits: 2 })).toBe('3.2e+38');
    expect(formatNumber(1e-9, { small: 0 })).toBe('1e-9');
  });

  it('keeps zeros for stable widths, short exponents and the typographic minus on request', () => {
    expect(formatNumber(0.5, { keepZeros: true })).toBe('0.5000');
    expect(formatNumber(1.2e-5, { expDigits: 2, keepZeros: true, shortExponent: true })).toBe(
      '1.20e-5',
    );
    expect(formatNumber(2e5, { shortExponent: true })).toBe('2e5');
    expect(formatNumber(-0.25, { minus: '−' })).toBe('−0.25');
  });

  it('groups thousands and never lets toPrecision pick its own exponent form', () => {
    expect(formatNumber(2501.3, { digits: 3, grouped: true, large: Infinity })).toBe('2,500');
    expect(formatNumber(80000, { digits: 3, grouped: true, large: Infinity })).toBe('80,000');
    expect(formatNumber(12345, { digits: 3, large: Infinity })).toBe('12300');
  });

  it('names non-finite values as JavaScript does', () => {
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Infinity');
    expect(formatNumber(-Infinity, { minus: '−' })).toBe('-Infinity');
  });
});

describe('the rest of the family', () => {
  it('writes errors in exponent form', () => {
    expect(formatScientific(3.2e-7)).toBe('3.20e-7');
    expect(formatScientific(0.000123456, 4)).toBe('1.235e-4');
    expect(formatScientific(NaN)).toBe('NaN');
  });

  it('writes counts short and integers grouped', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1500)).toBe('1.5k');
    expect(formatCount(12345)).toBe('12.3k');
    expect(formatCount(200000)).toBe('200k');
    expect(formatCount(3.14e6)).toBe('3.14M');
    expect(formatInteger(1234567.4)).toBe('1,234,567');
  });

  it('writes percentages, signs and sizes', () => {
    expect(formatPercent(0.9731)).toBe('97.3%');
    expect(formatPercent(0.9731, 0)).toBe('97%');
    expect(formatSigned(0.125)).toBe('+0.125');
    expect(formatSigned(-0.125)).toBe('−0.125');
    expect(formatSigned(0)).toBe('0');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(12.5 * 1024)).toBe('12.5 KB');
    expect(formatBytes(3.2 * 1024 * 1024)).toBe('3.20 MB');
  });
});
