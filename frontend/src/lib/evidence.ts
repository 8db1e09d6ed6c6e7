// The request log as evidence: the verdicts that judge a client's
// behaviour, the query string every log call shares (list, count, HAR), and
// saving an export as a file. No backend calls here: api.ts makes them.

import type { RequestFilter } from './api';

/** What a client did wrong, as the backend judges it (journal.Verdicts). */
export type Verdict = 'retry_too_early' | 'ignored_auth_failure' | 'repeated_bad_request';

/** Every verdict, in the order the screen shows them. */
export const VERDICTS: readonly Verdict[] = ['retry_too_early', 'ignored_auth_failure', 'repeated_bad_request'];

const EXPLAINED: Record<Verdict, string> = {
  retry_too_early: 'sent again before the Retry-After of a 429 had passed',
  ignored_auth_failure: 'kept sending a key the API had refused (revoked, expired or invalid)',
  repeated_bad_request: 'asked again for a page size the API had refused with a 400',
};

/** Whether s names a verdict. */
export function isVerdict(s: unknown): s is Verdict {
  return typeof s === 'string' && (VERDICTS as readonly string[]).includes(s);
}

/** One sentence on what the client did to earn the verdict. */
export function explainVerdict(v: Verdict): string {
  return EXPLAINED[v];
}

/**
 * The query string of a request-log filter ("" or "?api=…&verdict=…"),
 * shared by the list, the count and the HAR export so all three see the
 * same entries. Empty fields are left out.
 */
export function requestQuery(f: RequestFilter): string {
  const q = new URLSearchParams();
  if (f.api) q.set('api', f.api);
  if (f.status) q.set('status', f.status);
  if (f.key) q.set('key', f.key);
  if (f.verdict) q.set('verdict', f.verdict);
  if (f.before !== undefined) q.set('before', String(f.before));
  if (f.limit !== undefined) q.set('limit', String(f.limit));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Whether a parsed document looks like a HAR 1.x log. */
export function isHar(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const log = (v as Record<string, unknown>)['log'];
  return typeof log === 'object' && log !== null && typeof (log as Record<string, unknown>)['version'] === 'string' && Array.isArray((log as Record<string, unknown>)['entries']);
}

/** The file name of a download from a Content-Disposition header, else `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const m = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  const name = m?.[1]?.trim() ?? '';
  // Only a plain name: no folders.
  return name !== '' && !/[\\/]/.test(name) ? name : fallback;
}

/** Offers text to the user as a file download (a Blob behind a temporary link). */
export function saveText(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has read the Blob by the next task; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Calls fn once, `ms` after the first call of a burst; calls meanwhile
 * join that one. Counts refresh once per `ms` during a flood of live
 * requests (a plain debounce would never fire while the flood lasts).
 * cancel() drops a pending call.
 */
export function coalesce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  run.cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  return run;
}
