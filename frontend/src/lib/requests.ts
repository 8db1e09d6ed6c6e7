// Request-log filtering shared by the server query and the live stream, so
// a live entry shows exactly when the same filter on the server would list it.

import type { RequestFilter, RequestSummary } from './api';
import { formatLatency } from './format';

/** Whether a log entry matches the filter (api, status code or class, key id, verdict). */
export function matchesFilter(f: RequestFilter, r: RequestSummary): boolean {
  if (f.api && r.api !== f.api) {
    return false;
  }
  if (f.key && r.keyId !== f.key) {
    return false;
  }
  if (f.verdict && r.verdict !== f.verdict) {
    return false;
  }
  if (f.status) {
    const cls = /^([1-5])xx$/.exec(f.status);
    if (cls) {
      if (Math.floor(r.status / 100) !== Number(cls[1])) {
        return false;
      }
    } else if (String(r.status) !== f.status) {
      return false;
    }
  }
  return true;
}

/**
 * Adds live entries (any order) to a newest-first list without duplicates,
 * keeping at most `cap` entries.
 */
export function mergeNewest(list: RequestSummary[], incoming: RequestSummary[], cap: number): RequestSummary[] {
  if (incoming.length === 0) {
    return list;
  }
  const seen = new Set(list.map((r) => r.id));
  const fresh = incoming.filter((r) => !seen.has(r.id)).sort((a, b) => b.id - a.id);
  if (fresh.length === 0) {
    return list;
  }
  const merged = fresh.length && list.length && fresh[fresh.length - 1]!.id > list[0]!.id
    ? [...fresh, ...list]
    : [...fresh, ...list].sort((a, b) => b.id - a.id);
  return merged.length > cap ? merged.slice(0, cap) : merged;
}

// Error kinds answered before the engine records a key's use (it records
// it only once auth, tenant, rate limit and scope have passed).
const REFUSED_KINDS = new Set([
  'missing_key',
  'wrong_scheme',
  'malformed_key',
  'invalid_key',
  'revoked_key',
  'expired_key',
  'key_in_query',
  'integration_inactive',
  'wrong_tenant',
  'unknown_tenant',
  'rate_limited',
  'insufficient_scope',
]);

/** Whether a logged request counted as a use of its key (for "last used"). */
export function countsAsUse(r: RequestSummary): boolean {
  return r.keyId !== undefined && r.keyId !== '' && !REFUSED_KINDS.has(r.errorKind ?? '');
}

/** A monospace character is 0.6 em wide, at the 0.92 em the log's code cells use. */
const MONO_EM = 0.6 * 0.92;

/** The widths of the request log's columns (CSS lengths); the Path column takes the rest. */
export interface LogColumns {
  api: string;
  status: string;
  error: string;
  key: string;
  latency: string;
}

/**
 * Sizes the log's columns to what the rows hold (in characters, within
 * bounds), so an error code or a key name is not cut while the Path column
 * has room to spare. The table keeps a fixed layout (its rows are
 * virtual), so the widths are computed rather than left to the browser.
 * `tableWidth` (px; 0 when not known yet) caps the columns of any length
 * at a share of the table (a smaller one when `narrow`, the details pane
 * open), so the Path column keeps some room. (Chromium lays out a <col>
 * whose width mixes percentages into min() as if it had none: the cap is
 * computed here, in pixels.)
 */
export function logColumns(rows: RequestSummary[], tableWidth = 0, narrow = false): LogColumns {
  let api = 3;
  let error = 10; // "Error code"
  let key = 3;
  let latency = 7; // "Latency"
  let injected = false;
  for (const r of rows) {
    api = Math.max(api, r.api.length);
    // A verdict's badge sits beside the code, in a smaller font.
    error = Math.max(error, (r.errorCode ?? r.errorKind ?? '').length + (r.verdict ? Math.ceil(r.verdict.length * 0.85) + 2 : 0));
    key = Math.max(key, (r.keyName ?? '').length);
    latency = Math.max(latency, formatLatency(r.latencyMicros).length);
    injected ||= Boolean(r.injected);
  }
  // Characters within bounds, at a generous average width per character
  // for the column's font (em: the "ch" of a <col> is not the cells'), and
  // for the columns of any length a share of the table at most, so the
  // Path column keeps room when the details pane narrows the log.
  const width = (chars: number, min: number, max: number, em: number, share = 0): string => {
    const w = `calc(${(Math.min(max, Math.max(min, chars)) * em).toFixed(1)}em + 1.3rem)`;
    return share > 0 && tableWidth > 0 ? `min(${w}, ${Math.round(share * tableWidth)}px)` : w;
  };
  return {
    api: width(api, 4, 16, 0.6, 0.12),
    status: injected ? '8.6rem' : '4.4rem',
    error: width(error, 6, 26, MONO_EM, 0.22),
    key: width(key, 4, 48, 0.6, narrow ? 0.13 : 0.3),
    latency: width(latency, 7, 10, 0.62),
  };
}
