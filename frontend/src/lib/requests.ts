// Request-log filtering shared by the server query and the live stream, so
// a live entry shows exactly when the same filter on the server would list it.

import type { RequestFilter, RequestSummary } from './api';

/** Whether a log entry matches the filter (api, status code or class, key id). */
export function matchesFilter(f: RequestFilter, r: RequestSummary): boolean {
  if (f.api && r.api !== f.api) {
    return false;
  }
  if (f.key && r.keyId !== f.key) {
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
