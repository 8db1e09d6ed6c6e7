import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatClock,
  formatDateTime,
  formatLatency,
  formatMillis,
  formatRelative,
  formatShare,
  formatTimestamp,
  prettyBody,
  statusClass,
} from './format';

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

describe('formatDateTime and formatClock (local time)', () => {
  const local = new Date(2026, 2, 1, 9, 5, 7, 45); // 1 March 2026, 09:05:07.045 local
  it('formats a date and time', () => {
    expect(formatDateTime(local.toISOString())).toBe('2026-03-01 09:05');
  });
  it('formats a time of day with milliseconds', () => {
    expect(formatClock(local.toISOString())).toBe('09:05:07.045');
  });
  it('formats a date and time with milliseconds', () => {
    expect(formatTimestamp(local.toISOString())).toBe('2026-03-01 09:05:07.045');
    expect(formatTimestamp('not a date')).toBe('–');
    expect(formatTimestamp(undefined)).toBe('–');
  });
  it.each([undefined, null, '', 'not a date'])('%j → dash', (v) => {
    expect(formatDateTime(v)).toBe('–');
  });
});

describe('formatRelative', () => {
  const now = Date.UTC(2026, 2, 1, 12, 0, 0);
  const at = (ms: number) => new Date(now + ms).toISOString();
  it.each([
    [undefined, 'never'],
    [at(-10_000), 'just now'],
    [at(10_000), 'just now'],
    [at(-5 * 60_000), '5 min ago'],
    [at(-59 * 60_000), '59 min ago'],
    [at(-3 * 3_600_000), '3 h ago'],
    [at(2 * 3_600_000), 'in 2 h'],
    [at(-86_400_000), '1 day ago'],
    [at(30 * 86_400_000), 'in 30 days'],
  ])('%s → %s', (iso, want) => {
    expect(formatRelative(iso, now)).toBe(want);
  });
});

describe('formatBytes, formatShare, formatMillis', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KB'],
    [2 * 1024 * 1024, '2.0 MB'],
  ])('%d bytes → %s', (n, want) => expect(formatBytes(n)).toBe(want));

  it.each([
    [0, '0 %'],
    [0.175, '17.5 %'],
    [1 / 3, '33.3 %'],
    [1, '100 %'],
  ])('share %d → %s', (n, want) => expect(formatShare(n)).toBe(want));

  it.each([
    [0.42, '0.4 ms'],
    [12.4, '12 ms'],
    [1250, '1.25 s'],
    [-1, '–'],
  ])('%d ms → %s', (n, want) => expect(formatMillis(n)).toBe(want));
});

describe('statusClass', () => {
  it.each([
    [200, '2xx'],
    [404, '4xx'],
    [599, '5xx'],
    [0, 'other'],
  ])('%d → %s', (n, want) => expect(statusClass(n)).toBe(want));
});

describe('prettyBody', () => {
  it('indents JSON', () => {
    expect(prettyBody('{"a":[1,{"b":null}]}')).toEqual({ text: '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}', json: true });
  });
  it('leaves other text as it is', () => {
    expect(prettyBody('Not Found')).toEqual({ text: 'Not Found', json: false });
    expect(prettyBody('{broken')).toEqual({ text: '{broken', json: false });
    expect(prettyBody('')).toEqual({ text: '', json: false });
  });
});
