import { describe, expect, it } from 'vitest';
import { clockView, formatMockTime, formatOffset, isVirtual, localInputToRFC3339, parseGoDuration, toLocalInput } from './clock';

describe('formatOffset', () => {
  it.each([
    [0, '0s'],
    [0.4, '0s'],
    [-0.4, '0s'],
    [1, '+1s'],
    [45, '+45s'],
    [61, '+1m 1s'],
    [300, '+5m 0s'],
    [7200, '+2h 0m'],
    [7200.6, '+2h 0m'],
    [3900, '+1h 5m'],
    [86_400, '+1d 0h'],
    [90_061, '+1d 1h'],
    [-3600, '-1h 0m'],
    [-59.6, '-1m 0s'],
    [-86_400 * 400, '-400d 0h'],
  ])('%d s → %s', (s, want) => {
    expect(formatOffset(s)).toBe(want);
  });

  it('precise: every unit down to seconds', () => {
    expect(formatOffset(90_061, true)).toBe('+1d 1h 1m 1s');
    expect(formatOffset(3900, true)).toBe('+1h 5m 0s');
    expect(formatOffset(-61, true)).toBe('-1m 1s');
    expect(formatOffset(0, true)).toBe('0s');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('unreadable %d → dash', (s) => {
    expect(formatOffset(s)).toBe('–');
  });
});

describe('parseGoDuration (as time.ParseDuration)', () => {
  it.each([
    ['61s', 61],
    ['90m', 5400],
    ['-1h', -3600],
    ['+1h', 3600],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['.5s', 0.5],
    ['5.s', 5],
    ['1m1s', 61],
    ['250ms', 0.25],
    ['1500us', 0.0015],
    ['1500µs', 0.0015],
    ['1500μs', 0.0015],
    ['1000000ns', 0.001],
    ['0', 0],
    ['-0', 0],
    ['24h', 86_400],
    ['  2m  ', 120],
  ])('%s → %d s', (text, want) => {
    const r = parseGoDuration(text);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.seconds).toBeCloseTo(want, 9);
      expect(r.text).toBe(text.trim());
    }
  });

  it.each([
    ['', /such as 61s/],
    ['   ', /such as 61s/],
    ['-', /not a duration/],
    ['.', /not a duration/],
    ['h', /not a duration/],
    ['5', /needs a unit/],
    ['1h30', /needs a unit/],
    ['1d', /no days: use h \(1d = 24h\)/],
    ['2w', /no weeks/],
    ['1 h', /unknown unit “ h”/],
    ['1x', /unknown unit “x”/],
    ['1h-5m', /unknown unit “h-”/],
    ['3000000h', /too long/],
  ])('%j is refused', (text, re) => {
    const r = parseGoDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(re);
  });

  it('accepts the longest Go duration and no more', () => {
    expect(parseGoDuration('2562047h').ok).toBe(true);
    expect(parseGoDuration('2562048h').ok).toBe(false);
  });
});

describe('clockView and isVirtual', () => {
  const real = '2026-12-02T10:00:00Z';
  it('real time: not virtual', () => {
    const s = { now: real, real, offsetSeconds: 0.0004, frozen: false };
    expect(isVirtual(s)).toBe(false);
    expect(clockView(s)?.virtual).toBe(false);
  });
  it('an offset of a second or more is virtual, and runs on with real time', () => {
    const s = { now: '2026-12-02T12:00:00Z', real, offsetSeconds: 7200, frozen: false };
    expect(isVirtual(s)).toBe(true);
    const v = clockView(s, 5000)!;
    expect(v.virtual).toBe(true);
    expect(new Date(v.now).toISOString()).toBe('2026-12-02T12:00:05.000Z');
    expect(v.offsetSeconds).toBe(7200);
  });
  it('frozen: the mock time stands still and the offset grows negative', () => {
    const s = { now: real, real, offsetSeconds: 0, frozen: true };
    expect(isVirtual(s)).toBe(true);
    const v = clockView(s, 3000)!;
    expect(new Date(v.now).toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(v.offsetSeconds).toBe(-3);
    expect(v.virtual).toBe(true);
  });
  it('half a second off is not virtual; negative elapsed counts as none', () => {
    const s = { now: '2026-12-02T10:00:00.500Z', real, offsetSeconds: 0.5, frozen: false };
    expect(clockView(s, -100)?.virtual).toBe(false);
  });
  it('unreadable times → null', () => {
    expect(clockView({ now: 'soon', real, offsetSeconds: 0, frozen: false })).toBeNull();
  });
});

describe('local date-time fields', () => {
  it('formats a local time for datetime-local', () => {
    expect(toLocalInput(new Date(2027, 0, 1, 14, 2, 11).getTime())).toBe('2027-01-01T14:02:11');
    expect(toLocalInput(Number.NaN)).toBe('');
  });
  it('reads it back as RFC 3339 UTC, without milliseconds', () => {
    const local = new Date(2027, 0, 1, 14, 2, 11);
    expect(localInputToRFC3339('2027-01-01T14:02:11')).toBe(local.toISOString().replace('.000Z', 'Z'));
    expect(localInputToRFC3339('2027-01-01T14:02')).toBe(new Date(2027, 0, 1, 14, 2).toISOString().replace('.000Z', 'Z'));
    expect(localInputToRFC3339('2027-01-01T14:02:11.250')).toBe(local.toISOString().replace('.000Z', 'Z'));
  });
  it.each(['', 'tomorrow', '2027-01-01', '2027-02-30T10:00', '2027-13-01T10:00', '2027-01-01T25:00'])('refuses %j', (v) => {
    expect(localInputToRFC3339(v)).toBeNull();
  });
  it('round-trips', () => {
    const ms = new Date(2030, 5, 15, 8, 30, 0).getTime();
    expect(Date.parse(localInputToRFC3339(toLocalInput(ms))!)).toBe(ms);
  });
});

describe('formatMockTime', () => {
  it('the time alone on the same day as real time', () => {
    const real = new Date(2026, 11, 2, 10, 0, 0).getTime();
    expect(formatMockTime(new Date(2026, 11, 2, 14, 2, 11).getTime(), real)).toBe('14:02:11');
  });
  it('the date too on another day', () => {
    const real = new Date(2026, 11, 2, 10, 0, 0).getTime();
    expect(formatMockTime(new Date(2027, 0, 1, 9, 5, 7).getTime(), real)).toBe('2027-01-01 09:05:07');
    expect(formatMockTime(new Date(2026, 11, 1, 23, 59, 59).getTime(), real)).toBe('2026-12-01 23:59:59');
  });
  it('unreadable → dash', () => {
    expect(formatMockTime(Number.NaN, 0)).toBe('–');
  });
});
