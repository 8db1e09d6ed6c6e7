// The virtual clock as the header shows it: reading Go durations before
// they are sent, formatting the offset from real time, and the local
// date-time field of "Set the time". Pure functions, unit-tested in
// clock.test.ts.

import type { ClockStatus } from './api';

/** The clock at a moment after its status was read. */
export interface ClockView {
  /** The mock's time, in ms since the epoch. */
  now: number;
  /** Real time, in ms since the epoch. */
  real: number;
  /** now − real, in seconds. */
  offsetSeconds: number;
  frozen: boolean;
  /** Whether the mock's time differs from real time: frozen, or off by a second or more. */
  virtual: boolean;
}

/**
 * The clock `elapsedMs` after `s` was read: real time moves on, and so does
 * the mock's unless it is frozen (then the offset grows more negative).
 * Null when the status cannot be read.
 */
export function clockView(s: ClockStatus, elapsedMs = 0): ClockView | null {
  const now0 = Date.parse(s.now);
  const real0 = Date.parse(s.real);
  if (Number.isNaN(now0) || Number.isNaN(real0)) {
    return null;
  }
  const elapsed = Math.max(0, elapsedMs);
  const real = real0 + elapsed;
  const now = s.frozen ? now0 : now0 + elapsed;
  const offsetSeconds = (now - real) / 1000;
  return { now, real, offsetSeconds, frozen: s.frozen, virtual: s.frozen || Math.abs(offsetSeconds) >= 1 };
}

/** Whether a clock status differs from real time (what shows the header's badge). */
export function isVirtual(s: ClockStatus): boolean {
  return s.frozen || Math.abs(s.offsetSeconds) >= 1;
}

const UNITS: [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'm'],
  [1, 's'],
];

/**
 * Formats an offset from real time in whole seconds, signed: the two
 * largest units from the first that is not zero ("+2h 0m", "-1d 3h",
 * "+1m 1s", "+45s"), or every unit down to seconds when `precise`
 * ("+1d 0h 5m 0s"). Under half a second is "0s".
 */
export function formatOffset(seconds: number, precise = false): string {
  if (!Number.isFinite(seconds)) {
    return '–';
  }
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) {
    return '0s';
  }
  const sign = seconds < 0 ? '-' : '+';
  const parts: string[] = [];
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (parts.length === 0 && n === 0) {
      continue; // leading zero units
    }
    parts.push(`${n}${unit}`);
    if (!precise && parts.length === 2) {
      break;
    }
  }
  return sign + parts.join(' ');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * The mock's time for the badge, in local time: "14:02:11" on the same day
 * as real time, "2027-01-01 14:02:11" on another day (so a jump of a day
 * does not read as no jump at all).
 */
export function formatMockTime(nowMs: number, realMs: number): string {
  const now = new Date(nowMs);
  if (Number.isNaN(now.getTime())) {
    return '–';
  }
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  return sameLocalDay(now, new Date(realMs)) ? time : `${toLocalInput(nowMs).slice(0, 10)} ${time}`;
}

/** A time as the value of an <input type="datetime-local" step="1">: "2027-01-01T14:02:11", local. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  const year = d.getFullYear();
  return `${year < 0 ? '-' : ''}${pad(Math.abs(year), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Turns a datetime-local value ("2027-01-01T14:02" or with seconds), read
 * as local time, into the RFC 3339 UTC time the admin API takes
 * ("2027-01-01T13:02:00Z"). Null when it is not such a value.
 */
export function localInputToRFC3339(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) {
    return null;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  // new Date rolls 2027-02-30 over to March: refuse what it had to repair.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || date.getHours() !== h || date.getMinutes() !== mi) {
    return null;
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What parseGoDuration answers. */
export type DurationResult = { ok: true; seconds: number; text: string } | { ok: false; error: string };

// Go's time.ParseDuration units, in nanoseconds.
const GO_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

// A time.Duration is an int64 of nanoseconds.
const MAX_NANOS = 9_223_372_036_854_775_807;

/**
 * Reads a Go duration as time.ParseDuration does ("61s", "1h30m", "-1h",
 * "1.5h", "0"), so a mistake is named before it is sent. Leading and
 * trailing spaces are dropped (the trimmed `text` is what to send). Units
 * are h, m, s, ms, us and ns; "1d" is refused with a hint, since Go has no
 * days.
 */
export function parseGoDuration(input: string): DurationResult {
  const text = input.trim();
  if (text === '') {
    return { ok: false, error: 'Give a duration such as 61s, 90m or -1h.' };
  }
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') {
    return { ok: true, seconds: 0, text };
  }
  if (s === '') {
    return { ok: false, error: `“${text}” is not a duration: give a number and a unit, such as 61s, 90m or -1h.` };
  }
  let nanos = 0;
  const part = /^(\d*)(?:\.(\d*))?([^\d.]*)/;
  while (s !== '') {
    const m = part.exec(s);
    const whole = m?.[0] ?? '';
    const int = m?.[1] ?? '';
    const frac = m?.[2] ?? '';
    const unit = m?.[3] ?? '';
    if (whole === '' || (int === '' && frac === '')) {
      return { ok: false, error: `“${text}” is not a duration: give a number and a unit, such as 61s, 90m or -1h.` };
    }
    if (unit === '') {
      return { ok: false, error: `“${text}” needs a unit after the number: h, m, s or ms (such as ${int || '0'}s or ${int || '0'}m).` };
    }
    const size = GO_UNITS[unit];
    if (size === undefined) {
      const hint = unit === 'd' ? ' Go durations have no days: use h (1d = 24h).' : unit === 'w' ? ' Go durations have no weeks: use h (1w = 168h).' : '';
      return { ok: false, error: `“${text}” has the unknown unit “${unit}”: use h, m, s, ms, us or ns.${hint}` };
    }
    nanos += Number(`${int || '0'}.${frac || '0'}`) * size;
    s = s.slice(whole.length);
  }
  if (nanos > MAX_NANOS) {
    return { ok: false, error: `“${text}” is too long: a Go duration is at most about 2562047h (292 years).` };
  }
  const seconds = nanos / 1e9;
  return { ok: true, seconds: negative ? -seconds : seconds, text };
}
