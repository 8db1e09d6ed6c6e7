import { describe, expect, it } from 'vitest';
import { formatLatency } from './format';

describe('formatLatency', () => {
  it.each([
    [0, '0 µs'],
    [850, '850 µs'],
    [999.4, '999 µs'],
    [999.6, '1.0 ms'],
    [1000, '1.0 ms'],
    [12_345, '12.3 ms'],
    [999_940, '999.9 ms'],
    [999_960, '1.00 s'],
    [1_200_000, '1.20 s'],
    [61_234_567, '61.23 s'],
  ])('%d µs → %s', (micros, want) => {
    expect(formatLatency(micros)).toBe(want);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('unknown latency %d → dash', (micros) => {
    expect(formatLatency(micros)).toBe('–');
  });
});
