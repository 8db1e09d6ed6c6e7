// Display formatting shared by every screen. Pure functions, unit-tested in
// format.test.ts.

/**
 * Formats a latency given in microseconds with a unit that keeps it short:
 * "850 µs", "12.3 ms", "1.20 s". Rounding never produces "1000 µs" or
 * "1000.0 ms"; such values move up to the next unit. Negative or non-finite
 * input yields "–" (the request log uses it for unknown latencies).
 */
export function formatLatency(micros: number): string {
  if (!Number.isFinite(micros) || micros < 0) {
    return '–';
  }
  const us = Math.round(micros);
  if (us < 1000) {
    return `${us} µs`;
  }
  const ms = micros / 1000;
  if (Number(ms.toFixed(1)) < 1000) {
    return `${ms.toFixed(1)} ms`;
  }
  return `${(micros / 1_000_000).toFixed(2)} s`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Formats an RFC 3339 time as a local date and time, "2026-03-01 12:00",
 * for tables; "–" when absent or unreadable.
 */
export function formatDateTime(iso: string | undefined | null): string {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '–';
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Formats a time of day with milliseconds, "12:00:01.234", for the request log. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '–';
  }
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Formats an RFC 3339 time as a local date and time with milliseconds,
 * "2026-03-01 12:00:01.234", for the request details (where the mock's
 * time and real time can be days apart); "–" when unreadable.
 */
export function formatTimestamp(iso: string | undefined | null): string {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '–';
  }
  return `${formatDateTime(iso)}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Says how long ago (or from now) a time is, in the largest whole unit:
 * "just now", "5 min ago", "in 3 h", "2 days ago". "never" when absent.
 */
export function formatRelative(iso: string | undefined | null, now: number = Date.now()): string {
  if (!iso) {
    return 'never';
  }
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) {
    return '–';
  }
  const diff = t - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) {
    return 'just now';
  }
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'h'],
    [60_000, 'min'],
  ];
  let text = '';
  for (const [size, unit] of units) {
    if (abs >= size || unit === 'min') {
      const n = Math.round(abs / size);
      text = unit === 'day' ? `${n} ${n === 1 ? 'day' : 'days'}` : `${n} ${unit}`;
      break;
    }
  }
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

/** Formats a byte count: "512 B", "1.5 KB", "2.0 MB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) {
    return '–';
  }
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KB`;
  }
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Formats a share (0 to 1) as a percentage: "0 %", "12.5 %", "100 %". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) {
    return '–';
  }
  const pct = Math.round(share * 1000) / 10;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

/** Formats milliseconds for the Explorer: "0.8 ms", "12 ms", "1.25 s". */
export function formatMillis(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '–';
  }
  if (ms < 10) {
    return `${ms.toFixed(1)} ms`;
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The class of a status for styling and filters: "2xx", "4xx"... */
export function statusClass(status: number): string {
  return status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : 'other';
}

/**
 * Pretty-prints a body: JSON indented by two spaces, anything else as it
 * is. `json` says whether it was JSON.
 */
export function prettyBody(body: string): { text: string; json: boolean } {
  const trimmed = body.trim();
  if (trimmed === '' || (trimmed[0] !== '{' && trimmed[0] !== '[')) {
    return { text: body, json: false };
  }
  try {
    return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { text: body, json: false };
  }
}
